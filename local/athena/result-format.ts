// Athena's result conventions: ColumnInfo type names (Trino's), every value as a string, NULL as an empty Datum,
// and the CSV result file (every field double-quoted, NULL as an empty unquoted field).
import type * as Athena from '@aws-sdk/client-athena';
import {
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  type DuckDBType,
  DuckDBTypeId,
} from '@duckdb/node-api';

interface AthenaType {
  type: string;
  precision: number;
  scale: number;
}

/** Trino type name, precision and scale as Athena reports them in ResultSetMetadata.ColumnInfo. */
export function athenaType(t: DuckDBType): AthenaType {
  const simple = (type: string, precision = 0): AthenaType => ({ type, precision, scale: 0 });
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return simple('boolean');
    case DuckDBTypeId.TINYINT:
      return simple('tinyint', 3);
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return simple('smallint', 5);
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return simple('integer', 10);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return simple('bigint', 19);
    case DuckDBTypeId.UBIGINT:
      return { type: 'decimal', precision: 20, scale: 0 };
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return { type: 'decimal', precision: 38, scale: 0 };
    case DuckDBTypeId.FLOAT:
      return simple('float', 17);
    case DuckDBTypeId.DOUBLE:
      return simple('double', 17);
    case DuckDBTypeId.DECIMAL:
      return { type: 'decimal', precision: t.width, scale: t.scale };
    case DuckDBTypeId.VARCHAR:
      return simple('varchar', 2147483647);
    case DuckDBTypeId.BLOB:
      return simple('varbinary', 2147483647);
    case DuckDBTypeId.DATE:
      return simple('date');
    case DuckDBTypeId.TIME:
      return simple('time', 3);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return { type: 'timestamp', precision: 3, scale: 0 };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { type: 'timestamp with time zone', precision: 3, scale: 0 };
    case DuckDBTypeId.INTERVAL:
      return simple('interval day to second');
    case DuckDBTypeId.UUID:
      return simple('uuid');
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return simple('array');
    case DuckDBTypeId.STRUCT:
      return simple('row');
    case DuckDBTypeId.MAP:
      return simple('map');
    default:
      return simple('varchar', 2147483647);
  }
}

export function columnInfo(name: string, t: DuckDBType): Athena.ColumnInfo {
  const { type, precision, scale } = athenaType(t);
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: type,
    Precision: precision,
    Scale: scale,
    Nullable: 'UNKNOWN',
    CaseSensitive: type === 'varchar',
  };
}

/** Java's Double.toString, which Trino uses: plain between 1e-3 and 1e7 (always with a fraction), else d.dddEn. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(x);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** Trino's timestamp(3) text: `yyyy-MM-dd HH:mm:ss.SSS`. */
function timestampText(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(3, '0').slice(0, 3)}`;
}

/** One value as Athena's VarCharValue text; null stays null (an empty Datum). */
export function athenaValue(value: unknown, t: DuckDBType): string | null {
  if (value === null || value === undefined) return null;
  // Trino's text for nested values: [a, b], {k=v}, {field=value}; NULL inside them prints as null.
  const nested = (v: unknown, inner: DuckDBType) => athenaValue(v, inner) ?? 'null';
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return `[${(value as DuckDBListValue).items.map((v) => nested(v, t.valueType)).join(', ')}]`;
    case DuckDBTypeId.STRUCT: {
      const entries = (value as DuckDBStructValue).entries;
      return `{${t.entryNames.map((name, i) => `${name}=${nested(entries[name], t.entryTypes[i] ?? t)}`).join(', ')}}`;
    }
    case DuckDBTypeId.MAP:
      return `{${(value as DuckDBMapValue).entries.map((e) => `${nested(e.key, t.keyType)}=${nested(e.value, t.valueType)}`).join(', ')}}`;
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return javaDouble(Number(value));
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampText(String(value));
    case DuckDBTypeId.TIMESTAMP_TZ: {
      // The twin's session zone is UTC, as Athena's is: Trino prints the zone's name after the time.
      const text = String(value);
      return /\+00(:00)?$/.test(text) ? `${timestampText(text.replace(/\+00(:00)?$/, ''))} UTC` : text;
    }
    default:
      return String(value);
  }
}

function csvField(value: string | null): string {
  return value === null ? '' : `"${value.replaceAll('"', '""')}"`;
}

/** The CSV result file Athena writes: a quoted header row, then every row; NULL is an empty unquoted field. */
export function resultCsv(columns: string[], rows: (string | null)[][]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return `${lines.join('\n')}\n`;
}
