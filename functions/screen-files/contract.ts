// A dataset's contract as screen-files receives it (DATASET_CONTRACTS, built from datasets/<name>/dataset.yml by
// infra/datasets.cjs): columns with Glue types, accepted formats, the CSV dialect and the schema-change policy;
// and whether one value fits a declared Glue type, as the crawler and Athena would read it.
import { z } from 'zod';
import { DATASET_NAME } from '../shared/config';

const DECIMAL = /^decimal\((\d{1,2}),(\d{1,2})\)$/;

export const FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type RawFormat = (typeof FORMATS)[number];

/** The format of a key by its extension (gzip is a transport, not a format); undefined when it names none. */
export function formatOf(key: string): RawFormat | undefined {
  const lower = key.toLowerCase();
  if (/\.csv(\.gz)?$/.test(lower)) return 'csv';
  if (/\.jsonl?(\.gz)?$/.test(lower)) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

export function decimalOf(type: string): { precision: number; scale: number } | undefined {
  const m = DECIMAL.exec(type);
  if (!m) return undefined;
  const precision = Number(m[1]);
  const scale = Number(m[2]);
  return precision >= 1 && precision <= 38 && scale <= precision ? { precision, scale } : undefined;
}

const INTEGER = /^[+-]?\d+$/;
const FLOATING = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT_MAX = 3.4028234663852886e38;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Hive's text form (space) and ISO 8601 (T, optional zone), as the crawler and Athena's SerDes read them.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

function integerFits(text: string, bits: number): boolean {
  if (!INTEGER.test(text)) return false;
  const value = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  return value >= -limit && value < limit;
}

function decimalFits(text: string, precision: number, scale: number): boolean {
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return false;
  const whole = (m[1] ?? '').replace(/^0+/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  return whole.length <= precision - scale && fraction.length <= scale;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar day, without building a Date: this runs for every value of a date column. */
function dateFits(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0) + (leap ? 1 : 0);
}

function timestampFits(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  return m !== null && dateFits(m[1] ?? '') && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}

const floating = (text: string) => FLOATING.test(text) || /^[+-]?(NaN|Infinity)$/.test(text);

/** Per simple Glue type, whether a non-empty text value reads as it (decimal(p,s) is checked apart). */
const FITS: Readonly<Record<string, (text: string) => boolean>> = {
  string: () => true,
  tinyint: (text) => integerFits(text, 8),
  smallint: (text) => integerFits(text, 16),
  int: (text) => integerFits(text, 32),
  bigint: (text) => integerFits(text, 64),
  double: floating,
  float: (text) => /^[+-]?(NaN|Infinity)$/.test(text) || (FLOATING.test(text) && Math.abs(Number(text)) <= FLOAT_MAX),
  boolean: (text) => /^(true|false)$/i.test(text),
  date: dateFits,
  timestamp: timestampFits,
};

/** The check of non-empty text values for `type` (a type the contract schema accepted), built once per column. */
export function fitsFor(type: string): (text: string) => boolean {
  const fits = FITS[type];
  if (fits) return fits;
  const decimal = decimalOf(type);
  if (decimal === undefined) return () => false;
  return (text) => decimalFits(text, decimal.precision, decimal.scale);
}

/** Whether a non-empty text value reads as `type`. */
export function textFits(type: string, text: string): boolean {
  return fitsFor(type)(text);
}

const columnType = z
  .string()
  .refine(
    (t) => Object.hasOwn(FITS, t) || decimalOf(t) !== undefined,
    `must be one of ${Object.keys(FITS).join(', ')} or decimal(p,s) with 1 <= p <= 38 and s <= p`,
  );

export const datasetContractSchema = z.object({
  formats: z.array(z.enum(FORMATS)).min(1),
  csv: z.object({ delimiter: z.string().length(1), quote: z.string().length(1) }),
  schemaChange: z.enum(['evolve', 'strict', 'warn']),
  columns: z
    .array(z.object({ name: z.string().min(1), type: columnType, required: z.boolean() }))
    .min(1)
    .refine((columns) => columns.some((c) => c.required), 'at least one column must be required'),
});

export type DatasetContract = z.output<typeof datasetContractSchema>;
export type ContractColumn = DatasetContract['columns'][number];
export type CsvDialect = DatasetContract['csv'];

export const datasetContractsSchema = z.record(z.string().regex(DATASET_NAME), datasetContractSchema);

/** A JSON value as text for the same checks; undefined for null (NULL), an object or array for no scalar type. */
export function jsonText(value: unknown): string | undefined | { nested: true } {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return { nested: true };
}

const INTEGER_RANK: Readonly<Record<string, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };
const INTEGER_DIGITS: Readonly<Record<string, number>> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };

/** Whether a column a file types as `actual` (a Parquet footer) reads as `declared` without loss. */
export function fileTypeFits(declared: string, actual: string): boolean {
  if (declared === actual) return true;
  if (declared === 'string' || actual === 'string') return false;
  const [from, to] = [INTEGER_RANK[actual], INTEGER_RANK[declared]];
  if (from !== undefined && to !== undefined) return from <= to;
  if (declared === 'double') return actual === 'float';
  const target = decimalOf(declared);
  if (target === undefined) return false;
  const source = decimalOf(actual);
  if (source) return source.scale <= target.scale && source.precision - source.scale <= target.precision - target.scale;
  const digits = INTEGER_DIGITS[actual];
  return digits !== undefined && digits <= target.precision - target.scale;
}
