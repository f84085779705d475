// Reads a CSV file's records as they stream past, in the contract's dialect, for the schema-change policy: the
// header's columns, then each value of a contract column. Only `strict` and `warn` datasets pay for this parse;
// the quote check (text-check.ts) still decides whether the file is whole.
import type { CsvDialect } from './contract';
import type { ContractCheck } from './drift';
import type { TextCheck } from './text-check';

export function csvRecordsCheck(dialect: CsvDialect, check: ContractCheck): TextCheck {
  const decoder = new TextDecoder('utf-8');
  const { delimiter, quote } = dialect;
  let header: string[] | undefined;
  let fields: string[] = [];
  let field = '';
  let state: 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'field-start';
  let line = 1;
  let recordLine = 1;
  let first = true;

  const endRecord = (): string | undefined => {
    fields.push(field);
    const record = fields;
    fields = [];
    field = '';
    state = 'field-start';
    if (record.length === 1 && record[0] === '') return undefined; // a blank line
    if (header === undefined) {
      header = record.map((c) => c.trim().toLowerCase());
      return check.columns(header, recordLine);
    }
    for (let i = 0; i < header.length; i++) {
      const name = header[i] ?? '';
      if (!check.has(name)) continue;
      const reason = check.value(name, record[i], recordLine);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };

  const scan = (text: string): string | undefined => {
    let i = 0;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const ch = text[i] as string;
      if (state === 'quoted') {
        if (ch === quote) state = 'quote-in-quoted';
        else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (state === 'quote-in-quoted') {
        if (ch === quote) {
          field += quote;
          state = 'quoted';
          continue;
        }
        state = 'unquoted'; // that quote closed the field; ch is read outside quotes
      }
      if (ch === delimiter) {
        fields.push(field);
        field = '';
        state = 'field-start';
      } else if (ch === '\n') {
        const reason = endRecord();
        line++;
        recordLine = line;
        if (reason !== undefined) return reason;
      } else if (ch === '\r') {
        // the CR of CRLF
      } else if (ch === quote && state === 'field-start') state = 'quoted';
      else {
        field += ch;
        state = 'unquoted';
      }
    }
    return undefined;
  };

  return {
    write: (bytes) => scan(decoder.decode(bytes, { stream: true })),
    end() {
      const reason = scan(decoder.decode());
      if (reason !== undefined) return reason;
      return fields.length > 0 || field !== '' || state !== 'field-start' ? endRecord() : undefined;
    },
  };
}
