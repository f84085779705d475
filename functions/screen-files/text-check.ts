// Checks a whole text file as it streams past, before anything of it is loaded: one JSON line that is not an
// object, or a CSV quoted field left open, makes every later read of the dataset fail, and damage past the head
// is invisible to the head check. A check keeps at most one line, so memory stays bounded whatever the size.
import { Writable } from 'node:stream';
import type { CsvDialect } from './contract';
import { csvDelimiter, SCREEN_BYTES } from './screen';

export interface TextCheck {
  /** The next bytes of the (inflated) file; a refusal reason as soon as one is certain. */
  write(bytes: Uint8Array): string | undefined;
  /** The end of the file: a refusal reason, or undefined when the file is whole. */
  end(): string | undefined;
}

const LF = 0x0a;

/** The same bytes as a Buffer, without a copy: Buffer's indexOf is native, a Uint8Array's is several times slower. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const CR = 0x0d;

/** DuckDB's read_json refuses larger records (maximum_object_size); holding one line is the memory bound. */
export const MAX_JSON_LINE_BYTES = 16 * 1024 * 1024;

/** Parts of a line split over chunks, copied (a stream may reuse its buffers), joined when the line ends. */
class LineBuffer {
  private parts: Uint8Array[] = [];
  bytes = 0;

  add(part: Uint8Array): void {
    if (part.length === 0) return;
    this.parts.push(part.slice());
    this.bytes += part.length;
  }

  take(last: Uint8Array): Uint8Array {
    const line = this.parts.length === 0 ? last : Buffer.concat([...this.parts, last]);
    this.parts = [];
    this.bytes = 0;
    return line;
  }
}

/** Judges one parsed JSON-lines record (its line number given): a refusal reason, or undefined. */
export type JsonRecordCheck = (record: Record<string, unknown>, line: number) => string | undefined;

/**
 * JSON lines: every line that is not blank is one JSON object (readers skip blank lines). `onRecord` sees each
 * object as it is parsed, so a contract is checked in the same pass.
 */
export function jsonLinesCheck(maxLineBytes = MAX_JSON_LINE_BYTES, onRecord?: JsonRecordCheck): TextCheck {
  const pending = new LineBuffer();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lineNumber = 0;
  const tooLong = () => `line ${lineNumber + 1} is longer than ${maxLineBytes} bytes`;
  const judgeLine = (bytes: Uint8Array): string | undefined => {
    if (bytes.length > maxLineBytes) return tooLong();
    lineNumber++;
    let text: string;
    try {
      text = decoder.decode(bytes).trim(); // trim drops a BOM and the CR of CRLF too
    } catch {
      return `line ${lineNumber} is not UTF-8 text`;
    }
    if (text === '') return undefined;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return `line ${lineNumber} is not valid JSON (cut short or malformed)`;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return `line ${lineNumber} is not a JSON object`;
    }
    return onRecord?.(record as Record<string, unknown>, lineNumber);
  };
  return {
    write(chunk) {
      const bytes = asBuffer(chunk);
      let start = 0;
      for (let newline = bytes.indexOf(LF); newline >= 0; newline = bytes.indexOf(LF, start)) {
        const reason = judgeLine(pending.take(bytes.subarray(start, newline)));
        if (reason !== undefined) return reason;
        start = newline + 1;
      }
      pending.add(bytes.subarray(start));
      return pending.bytes > maxLineBytes ? tooLong() : undefined;
    },
    end: () => (pending.bytes > 0 ? judgeLine(pending.take(new Uint8Array())) : undefined),
  };
}

/**
 * CSV: no quoted field is left open at the end of the file. Quotes as the readers take them (RFC 4180): a quote
 * opens a quoted field only at the start of a field, elsewhere it is a literal character; inside one, a doubled
 * quote is a quote. The delimiter and quote are the contract's dialect when given, else the header's delimiter
 * (chosen as the head check chooses it) and `"`.
 */
export function csvQuotesCheck(dialect?: CsvDialect): TextCheck {
  const QUOTE = (dialect?.quote ?? '"').charCodeAt(0);
  const header = new LineBuffer();
  let delimiter: number | undefined;
  let state: 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'field-start';
  let line = 1;
  let openedOn = 0;
  let skipBom = true;

  const isFieldEnd = (byte: number | undefined) => byte === delimiter || byte === LF || byte === CR;
  const countLines = (bytes: Uint8Array, from: number, to: number) => {
    for (let nl = bytes.indexOf(LF, from); nl >= 0 && nl < to; nl = bytes.indexOf(LF, nl + 1)) line++;
  };

  // Jumps from quote to quote (indexOf is native): only a quote, and the byte before one, can change the state.
  const scan = (bytes: Uint8Array): void => {
    let i = 0;
    if (skipBom) {
      skipBom = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    }
    while (i < bytes.length) {
      if (state === 'quoted') {
        const quote = bytes.indexOf(QUOTE, i);
        countLines(bytes, i, quote < 0 ? bytes.length : quote);
        if (quote < 0) return;
        state = 'quote-in-quoted';
        i = quote + 1;
        continue;
      }
      if (state === 'quote-in-quoted') {
        if (bytes[i] === QUOTE) {
          state = 'quoted';
          i++;
          continue;
        }
        state = 'unquoted'; // that quote closed the field; bytes[i] is read outside quotes
      }
      const quote = bytes.indexOf(QUOTE, i);
      const stop = quote < 0 ? bytes.length : quote;
      countLines(bytes, i, stop);
      const atFieldStart = stop > i ? isFieldEnd(bytes[stop - 1]) : state === 'field-start';
      if (quote < 0) {
        state = atFieldStart ? 'field-start' : 'unquoted';
        return;
      }
      if (atFieldStart) {
        state = 'quoted';
        openedOn = line;
      } else state = 'unquoted';
      i = quote + 1;
    }
  };

  const start = (): void => {
    const bytes = header.take(new Uint8Array());
    // Not fatal: a character cut at SCREEN_BYTES must not hide the header; the BOM is dropped.
    const text = new TextDecoder().decode(bytes.subarray(0, SCREEN_BYTES));
    delimiter = (dialect?.delimiter ?? csvDelimiter(text.split(/\r?\n/, 1)[0] ?? '')).charCodeAt(0);
    scan(bytes);
  };

  return {
    write(chunk) {
      const bytes = asBuffer(chunk);
      if (delimiter === undefined) {
        header.add(bytes);
        if (bytes.includes(LF) || header.bytes >= SCREEN_BYTES) start();
        return undefined;
      }
      scan(bytes);
      return undefined;
    },
    end() {
      if (delimiter === undefined) start();
      return state === 'quoted' ? `a quoted field opened on line ${openedOn} is never closed` : undefined;
    },
  };
}

/** Thrown by a checking sink to stop the stream; carries the check's reason. */
export class TextRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TextRefused';
  }
}

/** The end of a stream pipeline: feeds the check and fails with TextRefused on its first refusal. */
export function checkingSink(check: TextCheck): Writable {
  return new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      const reason = check.write(chunk);
      done(reason === undefined ? undefined : new TextRefused(reason));
    },
    final(done) {
      const reason = check.end();
      done(reason === undefined ? undefined : new TextRefused(reason));
    },
  });
}
