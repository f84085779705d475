// Reads a CSV file's records as they stream past, in the contract's dialect, for the schema-change policy: the
// header's columns, then each value of a contract column. Only `strict` and `warn` datasets pay for this parse;
// the quote check (text-check.ts) still decides whether the file is whole.
import type { CsvDialect } from './contract';
import type { CheckedColumn, ContractCheck } from './drift';
import type { TextCheck } from './text-check';

export function csvRecordsCheck(dialect: CsvDialect, check: ContractCheck): TextCheck {
  const decoder = new TextDecoder('utf-8');
  const { delimiter, quote } = dialect;
  let header: string[] | undefined;
  /** Per field of the header, its contract column (looked up once). */
  let columns: Array<CheckedColumn | undefined> = [];
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
      columns = header.map((name) => check.column(name));
      return check.columns(header, recordLine);
    }
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      if (column === undefined) continue;
      const reason = check.valueOf(column, record[i], recordLine);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };

  const D = delimiter.charCodeAt(0);
  const Q = quote.charCodeAt(0);
  const countLines = (text: string, from: number, to: number) => {
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < to; nl = text.indexOf('\n', nl + 1)) line++;
  };

  // Slices from one special character to the next (a delimiter, a line end, a quote that opens or closes a field)
  // instead of building fields a character at a time.
  const scan = (text: string): string | undefined => {
    let i = 0;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = text.length;
    while (i < n) {
      if (state === 'quoted') {
        const q = text.indexOf(quote, i);
        const stop = q < 0 ? n : q;
        countLines(text, i, stop);
        field += text.slice(i, stop);
        if (q < 0) return undefined;
        state = 'quote-in-quoted';
        i = q + 1;
        continue;
      }
      if (state === 'quote-in-quoted') {
        if (text.charCodeAt(i) === Q) {
          field += quote;
          state = 'quoted';
          i++;
          continue;
        }
        state = 'unquoted'; // that quote closed the field; text[i] is read outside quotes
      }
      if (state === 'field-start' && text.charCodeAt(i) === Q) {
        state = 'quoted';
        i++;
        continue;
      }
      let j = i;
      for (let c = text.charCodeAt(j); j < n && c !== D && c !== 10 && c !== 13; c = text.charCodeAt(++j));
      if (j > i) {
        field += text.slice(i, j);
        state = 'unquoted';
      }
      if (j >= n) return undefined;
      const c = text.charCodeAt(j);
      if (c === D) {
        fields.push(field);
        field = '';
        state = 'field-start';
      } else if (c === 10) {
        const reason = endRecord();
        line++;
        recordLine = line;
        if (reason !== undefined) return reason;
      } // else the CR of CRLF
      i = j + 1;
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
