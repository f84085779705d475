// Glue/Hive type names <-> DuckDB types. The crawler writes Hive names into the catalog; readers (table scans,
// the job runner, local Athena) turn them back into DuckDB types.
import { sqlIdentifier } from '../../duckdb';

export class UnsupportedTypeError extends Error {
  constructor(
    readonly typeName: string,
    options?: ErrorOptions,
  ) {
    super(`unsupported type: ${typeName}`, options);
    this.name = 'UnsupportedTypeError';
  }
}

/** Splits `a, b<c, d>, e` on top-level commas. */
function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === separator && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** A DuckDB type (as `DESCRIBE` prints it) -> the Glue/Hive type name a crawler would record. */
export function duckToGlueType(duckType: string): string {
  const t = duckType.trim();
  const upper = t.toUpperCase();
  if (upper.endsWith('[]')) return `array<${duckToGlueType(t.slice(0, -2))}>`;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  if (upper.startsWith('STRUCT(') && upper.endsWith(')')) {
    const fields = splitTopLevel(t.slice('STRUCT('.length, -1)).map((field) => {
      const m = /^("(?:[^"]|"")*"|\S+)\s+(.+)$/.exec(field);
      if (!m) throw new UnsupportedTypeError(duckType);
      const name = (m[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"');
      return `${name}:${duckToGlueType(m[2] ?? '')}`;
    });
    return `struct<${fields.join(',')}>`;
  }
  if (upper.startsWith('MAP(') && upper.endsWith(')')) {
    const [k, v] = splitTopLevel(t.slice('MAP('.length, -1));
    if (!k || !v) throw new UnsupportedTypeError(duckType);
    return `map<${duckToGlueType(k)},${duckToGlueType(v)}>`;
  }
  switch (upper) {
    case 'BOOLEAN':
      return 'boolean';
    case 'TINYINT':
      return 'tinyint';
    case 'SMALLINT':
      return 'smallint';
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'bigint';
    case 'UTINYINT':
      return 'smallint';
    case 'USMALLINT':
      return 'int';
    case 'UINTEGER':
      return 'bigint';
    case 'UBIGINT':
      return 'decimal(20,0)';
    case 'HUGEINT':
    case 'UHUGEINT':
      return 'decimal(38,0)';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP WITH TIME ZONE':
      return 'timestamp';
    case 'BLOB':
      return 'binary';
    default:
      // VARCHAR, UUID, TIME, INTERVAL, JSON, ENUM, BIT...: Hive has no closer match than string.
      return 'string';
  }
}

/** A Glue/Hive type name -> the DuckDB type to read or cast it as. */
export function glueToDuckType(glueType: string): string {
  const t = glueType.trim();
  const lower = t.toLowerCase();
  const inner = (prefix: string) => t.slice(prefix.length, -1);
  if (lower.startsWith('array<') && lower.endsWith('>')) return `${glueToDuckType(inner('array<'))}[]`;
  if (lower.startsWith('map<') && lower.endsWith('>')) {
    const [k, v] = splitTopLevel(inner('map<'));
    if (!k || !v) throw new UnsupportedTypeError(glueType);
    return `MAP(${glueToDuckType(k)}, ${glueToDuckType(v)})`;
  }
  if (lower.startsWith('struct<') && lower.endsWith('>')) {
    const fields = splitTopLevel(inner('struct<')).map((field) => {
      const colon = field.indexOf(':');
      if (colon <= 0) throw new UnsupportedTypeError(glueType);
      return `${sqlIdentifier(field.slice(0, colon).trim())} ${glueToDuckType(field.slice(colon + 1))}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  const decimal = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(lower);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  if (/^(varchar|char)\s*\(\s*\d+\s*\)$/.test(lower)) return 'VARCHAR';
  switch (lower) {
    case 'string':
    case 'varchar':
    case 'char':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'tinyint':
      return 'TINYINT';
    case 'smallint':
      return 'SMALLINT';
    case 'int':
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return 'DECIMAL(10,0)'; // Hive's default precision and scale
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'binary':
      return 'BLOB';
    default:
      throw new UnsupportedTypeError(glueType);
  }
}

/** Whether two Glue type names denote the same type (case and spacing aside). */
export function isSameGlueType(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}
