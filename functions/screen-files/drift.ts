// The schema-change policy applied to one file's records as they stream past: under `strict` the first column the
// contract does not name, or the first value that does not fit its column's type, refuses the file (naming the
// column and the line); under `warn` the same findings are collected as drift for the notification.
import type { DatasetContract } from './contract';
import { fileTypeFits, fitsFor } from './contract';
import type { ParquetColumn } from './parquet-schema';

/** Values of one column that do not fit its declared type, in one file. */
export interface ColumnMisfit {
  column: string;
  type: string;
  /** How many values did not fit (for a Parquet column of another type: the file's rows). */
  values: number;
  /** Line of the first one (1 is a CSV file's header); absent for Parquet. */
  firstLine?: number;
  /** The first one, cut to SAMPLE_CHARS; absent for Parquet. */
  sample?: string;
  /** The column's type in a Parquet file's footer, when that type does not fit. */
  fileType?: string;
}

/** What a file carries that its contract does not: columns it does not name, values that do not fit. */
export interface FileDrift {
  key: string;
  newColumns: string[];
  /** New columns beyond the MAX_NEW_COLUMNS listed. */
  moreNewColumns?: number;
  misfits: ColumnMisfit[];
}

const SAMPLE_CHARS = 40;
/** New columns listed per file: the drift travels in the execution's state, which Step Functions caps at 256 KB. */
export const MAX_NEW_COLUMNS = 50;

function sample(text: string): string {
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}...` : text;
}

/** A value as a record gives it: text, NULL (undefined), or a nested JSON object or array. */
export type RecordValue = string | undefined | { nested: true };

/** A contract column as the check holds it, with its value check built once. */
export interface CheckedColumn {
  name: string;
  type: string;
  required: boolean;
  fits: (text: string) => boolean;
}

export class ContractCheck {
  private readonly types = new Map<string, CheckedColumn>();
  private readonly newColumns = new Set<string>();
  private readonly misfits = new Map<string, ColumnMisfit>();
  readonly strict: boolean;

  constructor(contract: DatasetContract) {
    for (const c of contract.columns) {
      const name = c.name.toLowerCase();
      this.types.set(name, { name, type: c.type, required: c.required, fits: fitsFor(c.type) });
    }
    this.strict = contract.schemaChange === 'strict';
  }

  /** Column names a record or header carries (lower case); a refusal under strict for one the contract lacks. */
  columns(names: readonly string[], line: number): string | undefined {
    for (const name of names) {
      if (this.types.has(name) || this.newColumns.has(name)) continue;
      if (this.strict) return `column ${name} (line ${line}) is not in the contract (schema change policy strict)`;
      this.newColumns.add(name);
    }
    return undefined;
  }

  /** The contract's column of that name (lower case), or undefined: values of others are not checked. */
  column(name: string): CheckedColumn | undefined {
    return this.types.get(name);
  }

  /** Calls `fn` with each contract column (lower case) until it returns a refusal. */
  eachColumn(fn: (name: string) => string | undefined): string | undefined {
    for (const name of this.types.keys()) {
      const reason = fn(name);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** One value of a contract column, by name; a refusal under strict when it does not fit. */
  value(name: string, value: RecordValue, line: number): string | undefined {
    const column = this.types.get(name);
    return column === undefined ? undefined : this.valueOf(column, value, line);
  }

  /** One value of a contract column; a refusal under strict when it does not fit. */
  valueOf(column: CheckedColumn, value: RecordValue, line: number): string | undefined {
    const { name } = column;
    // An empty value is NULL: it fits any type. A row that lacks a required value is the job's to reject, with a
    // reason; the contract's `required` is about the column being in the file.
    if (value === undefined || value === '' || (typeof value === 'string' && column.fits(value))) return undefined;
    const shown = typeof value === 'string' ? value : '(a nested object or array)';
    if (this.strict) {
      const what = `the value ${JSON.stringify(sample(shown))} on line ${line} does not fit its type ${column.type}`;
      return `column ${name}: ${what} (schema change policy strict)`;
    }
    const seen = this.misfits.get(name);
    if (seen) seen.values++;
    else this.misfits.set(name, { column: name, type: column.type, values: 1, firstLine: line, sample: sample(shown) });
    return undefined;
  }

  /**
   * A Parquet file's columns, typed by its footer: a required column missing refuses it; a column the contract does
   * not name, or of a type that does not read as the declared one, refuses it under strict and is drift under warn.
   */
  parquetColumns(columns: readonly ParquetColumn[], rows: number): string | undefined {
    const present = new Map(columns.map((c) => [c.name.toLowerCase(), c.type]));
    const missing = [...this.types].filter(([name, c]) => c.required && !present.has(name)).map(([name]) => name);
    if (missing.length > 0) return `missing columns: ${missing.join(', ')}`;
    for (const [name, fileType] of present) {
      const column = this.types.get(name);
      if (column === undefined) {
        if (this.strict) return `column ${name} is not in the contract (schema change policy strict)`;
        this.newColumns.add(name);
      } else if (!fileTypeFits(column.type, fileType)) {
        if (this.strict) {
          return `column ${name}: the file's type ${fileType} does not fit its type ${column.type} (schema change policy strict)`;
        }
        this.misfits.set(name, { column: name, type: column.type, values: rows, fileType });
      }
    }
    return undefined;
  }

  /** The drift found in the file, or undefined when it has none. */
  drift(key: string): FileDrift | undefined {
    if (this.newColumns.size === 0 && this.misfits.size === 0) return undefined;
    const names = [...this.newColumns];
    const more = names.length - MAX_NEW_COLUMNS;
    return {
      key,
      newColumns: names.slice(0, MAX_NEW_COLUMNS),
      ...(more > 0 ? { moreNewColumns: more } : {}),
      misfits: [...this.misfits.values()],
    };
  }
}
