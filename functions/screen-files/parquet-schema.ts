// The top-level columns of a Parquet file and their Glue types, from its footer (FileMetaData, Thrift compact
// protocol): what a `strict` or `warn` contract is checked against, since the footer states each column's type
// for the whole file. Only the schema (and the row count) is decoded; the row groups that follow are not.

/** A top-level column: its name and the Glue type a crawler gives it ("struct" etc. for nested ones). */
export interface ParquetColumn {
  name: string;
  type: string;
}

export class ParquetFooterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParquetFooterError';
  }
}

// Thrift compact protocol type ids.
const T = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
};

class CompactReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new ParquetFooterError('the footer ends in the middle of its schema');
    return b;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ParquetFooterError('a varint in the footer is too long');
    }
  }

  int(): number {
    const v = this.varint();
    return Number((v >> 1n) ^ -(v & 1n));
  }

  binary(): Uint8Array {
    const length = Number(this.varint());
    if (this.pos + length > this.bytes.length) throw new ParquetFooterError('a string runs past the footer');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** The next field header of a struct: its id and type, or undefined at the struct's end. */
  field(lastId: number): { id: number; type: number } | undefined {
    const header = this.byte();
    const type = header & 0x0f;
    if (type === T.STOP) return undefined;
    const delta = header >> 4;
    return { id: delta === 0 ? this.int() : lastId + delta, type };
  }

  listHeader(): { size: number; type: number } {
    const header = this.byte();
    const small = header >> 4;
    return { size: small === 15 ? Number(this.varint()) : small, type: header & 0x0f };
  }

  skip(type: number): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return;
      case T.BYTE:
        this.pos++;
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint();
        return;
      case T.DOUBLE:
        this.pos += 8;
        return;
      case T.BINARY:
        this.binary();
        return;
      case T.LIST:
      case T.SET: {
        const { size, type: element } = this.listHeader();
        for (let i = 0; i < size; i++) this.skipElement(element);
        return;
      }
      case T.MAP: {
        const size = Number(this.varint());
        if (size === 0) return;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) {
          this.skipElement(kinds >> 4);
          this.skipElement(kinds & 0x0f);
        }
        return;
      }
      case T.STRUCT:
        this.struct(() => false);
        return;
      default:
        throw new ParquetFooterError(`unknown Thrift type ${type} in the footer`);
    }
  }

  /** Booleans inside a list are one byte each, not folded into a field header. */
  private skipElement(type: number): void {
    if (type === T.TRUE || type === T.FALSE) this.pos++;
    else this.skip(type);
  }

  /** Reads a struct's fields, handing each to `onField` (which reads it and returns true) or skipping it. */
  struct(onField: (id: number, type: number) => boolean): void {
    let lastId = 0;
    for (let f = this.field(lastId); f !== undefined; f = this.field(lastId)) {
      if (!onField(f.id, f.type)) this.skip(f.type);
      lastId = f.id;
    }
  }
}

interface SchemaElement {
  type?: number;
  name: string;
  numChildren: number;
  convertedType?: number;
  scale?: number;
  precision?: number;
  logical?: { kind: number; bitWidth?: number; signed?: boolean; scale?: number; precision?: number };
}

function readLogicalType(r: CompactReader): SchemaElement['logical'] {
  let logical: SchemaElement['logical'];
  r.struct((kind, type) => {
    if (type !== T.STRUCT) return false;
    logical = { kind };
    r.struct((id, fieldType) => {
      if (kind === 5 && fieldType === T.I32) {
        if (id === 1 && logical) logical.scale = r.int();
        else if (id === 2 && logical) logical.precision = r.int();
        else return false;
        return true;
      }
      if (kind === 10 && id === 1 && fieldType === T.BYTE) {
        if (logical) logical.bitWidth = r.byte();
        return true;
      }
      if (kind === 10 && id === 2 && (fieldType === T.TRUE || fieldType === T.FALSE)) {
        if (logical) logical.signed = fieldType === T.TRUE;
        return true;
      }
      return false;
    });
    return true;
  });
  return logical;
}

function readSchemaElement(r: CompactReader): SchemaElement {
  const e: SchemaElement = { name: '', numChildren: 0 };
  const decoder = new TextDecoder();
  r.struct((id, type) => {
    if (id === 4 && type === T.BINARY) e.name = decoder.decode(r.binary());
    else if (id === 10 && type === T.STRUCT) e.logical = readLogicalType(r);
    else if (type !== T.I32) return false;
    else if (id === 1) e.type = r.int();
    else if (id === 5) e.numChildren = r.int();
    else if (id === 6) e.convertedType = r.int();
    else if (id === 7) e.scale = r.int();
    else if (id === 8) e.precision = r.int();
    else return false;
    return true;
  });
  return e;
}

const INT_WIDTH: Readonly<Record<number, string>> = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' };
const UNSIGNED_WIDTH: Readonly<Record<number, string>> = {
  8: 'smallint',
  16: 'int',
  32: 'bigint',
  64: 'decimal(20,0)',
};
const CONVERTED_INT: Readonly<Record<number, string>> = {
  11: 'smallint',
  12: 'int',
  13: 'bigint',
  14: 'decimal(20,0)',
  15: 'tinyint',
  16: 'smallint',
  17: 'int',
  18: 'bigint',
};

/** The Glue type a crawler gives a leaf column, from its physical, converted and logical types. */
function glueType(e: SchemaElement): string {
  const { logical, convertedType } = e;
  if (logical?.kind === 5 || convertedType === 5) {
    return `decimal(${logical?.precision ?? e.precision ?? 38},${logical?.scale ?? e.scale ?? 0})`;
  }
  if (logical?.kind === 10 && logical.bitWidth !== undefined) {
    return (logical.signed === false ? UNSIGNED_WIDTH : INT_WIDTH)[logical.bitWidth] ?? 'bigint';
  }
  if (convertedType !== undefined && CONVERTED_INT[convertedType]) return CONVERTED_INT[convertedType];
  switch (e.type) {
    case 0:
      return 'boolean';
    case 1:
      return logical?.kind === 6 || convertedType === 6 ? 'date' : 'int';
    case 2:
      return logical?.kind === 8 || convertedType === 9 || convertedType === 10 ? 'timestamp' : 'bigint';
    case 3:
      return 'timestamp';
    case 4:
      return 'float';
    case 5:
      return 'double';
    case 6:
      return logical?.kind === 1 ||
        logical?.kind === 4 ||
        logical?.kind === 12 ||
        [0, 3, 19].includes(convertedType ?? -1)
        ? 'string'
        : 'binary';
    default:
      return 'binary';
  }
}

/** Nested columns as a crawler names their kind (their inner types are not compared). */
function nestedType(e: SchemaElement): string {
  if (e.logical?.kind === 2 || e.convertedType === 1 || e.convertedType === 2) return 'map';
  if (e.logical?.kind === 3 || e.convertedType === 3) return 'array';
  return 'struct';
}

/** The top-level columns and the row count, from the footer's bytes (without its length and magic). */
export function parquetColumns(footer: Uint8Array): { columns: ParquetColumn[]; rows: number } {
  const r = new CompactReader(footer);
  let elements: SchemaElement[] = [];
  let rows = 0;
  r.struct((id, type) => {
    if (id === 2 && type === T.LIST) {
      const { size } = r.listHeader();
      elements = Array.from({ length: size }, () => readSchemaElement(r));
      return true;
    }
    if (id === 3 && type === T.I64) {
      rows = r.int();
      return true;
    }
    return false;
  });
  const [root, ...rest] = elements;
  if (!root) throw new ParquetFooterError('the footer has no schema');
  const columns: ParquetColumn[] = [];
  let i = 0;
  for (let c = 0; c < root.numChildren && i < rest.length; c++) {
    const e = rest[i] as SchemaElement;
    columns.push({ name: e.name, type: e.numChildren > 0 ? nestedType(e) : glueType(e) });
    // Skip the column's subtree: every element's children follow it, depth first.
    let pending = 1;
    while (pending > 0 && i < rest.length) {
      pending += (rest[i] as SchemaElement).numChildren - 1;
      i++;
    }
  }
  return { columns, rows };
}
