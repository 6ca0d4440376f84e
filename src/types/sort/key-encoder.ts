/**
 * KeyEncoder: turns the sort key of a record (one or more fields, each ascending or descending)
 * into bytes whose unsigned byte order is the key order, so sorters compare bytes, never JS
 * values. The first bytes of the code are the normalized key prefix a sorter's index holds.
 */
import { UserError } from "../../core/errors.ts";
import { DataOutputView } from "../data-output-view.ts";
import type { TypeInformation } from "../type-information.ts";
import {
  invertBytes,
  readOrderedString,
  writeOrderedBigInt,
  writeOrderedBytes,
  writeOrderedDouble,
  writeOrderedInt32,
  writeOrderedString,
} from "./order-preserving.ts";

export type SortOrder = "ASCENDING" | "DESCENDING";

/** One field of a sort key: how to read it from a record, its direction, and its type if known. */
export interface KeyField<T = any> {
  selector: (value: T) => unknown;
  order: SortOrder;
  /** With a type the code is compact and untagged; without, values are tagged by kind (GENERIC). */
  type?: TypeInformation;
}

/** Writes one field value's main code at out.pos; tie-breaking bytes (see KeyEncoder) go to `trailer`. */
type FieldCodec = (value: unknown, out: DataOutputView, trailer: DataOutputView) => void;

/**
 * The code of a key is, per field, a prefix-free order-preserving code (inverted for DESCENDING
 * fields), so memcmp of two codes orders the keys exactly as compareValues orders the field
 * values lexicographically. Values compareValues calls equal but hash grouping keeps apart
 * (null and undefined, 1 and 1n, rows with other field names) differ only in a trailer written
 * after the group fields and again after the remaining fields: groups are runs of equal bytes.
 *
 * Kinds without a type, in compareValues' order: null/undefined, false, true, numbers with
 * bigints (numerically, NaN last), strings, arrays, Uint8Array, Date, rows (other objects by
 * their enumerable fields in order; other typed arrays by their elements).
 *
 * Threading: one instance per operator (it reuses a trailer buffer).
 */
export class KeyEncoder<T = unknown> {
  /** Byte length of the group fields' code (with their trailer) of the last encoded key. */
  groupLength = 0;
  private readonly selectors: ((value: T) => unknown)[];
  private readonly codecs: FieldCodec[];
  private readonly descending: boolean[];
  private readonly trailer = new DataOutputView(64);

  /** `groupFields`: how many leading fields form the group key (0: one group of everything). */
  constructor(readonly fields: readonly KeyField<T>[], readonly groupFields: number = fields.length) {
    if (groupFields < 0 || groupFields > fields.length) throw new UserError(`a key of ${fields.length} fields cannot group by ${groupFields}`);
    this.selectors = fields.map((f) => f.selector);
    this.codecs = fields.map((f) => codecFor(f.type));
    this.descending = fields.map((f) => f.order === "DESCENDING");
  }

  /** Writes the key of `record` at out.pos and sets groupLength. */
  encode(record: T, out: DataOutputView): void {
    const start = out.pos;
    const trailer = this.trailer;
    const n = this.codecs.length;
    this.groupLength = 0;
    for (let f = 0; f < n; f++) {
      const at = out.pos;
      this.codecs[f]!(this.selectors[f]!(record), out, trailer);
      if (this.descending[f]) invertBytes(out.buf, at, out.pos);
      if (f + 1 === this.groupFields) {
        if (trailer.pos > 0) appendTrailer(out, trailer);
        this.groupLength = out.pos - start;
      }
    }
    if (trailer.pos > 0) appendTrailer(out, trailer);
  }

  /**
   * For a key of one STRING field that is the whole record: reads the string back from its code
   * (key bytes buf[start, start + length)), so a sorter stores such records once.
   */
  stringDecoder(): ((buf: Uint8Array, start: number, length: number) => string) | undefined {
    if (this.fields.length !== 1 || this.fields[0]!.type?.kind !== "STRING") return undefined;
    if (!this.descending[0]) return (buf, start, length) => readOrderedString(buf, start, start + length - 1);
    let scratch = new Uint8Array(256);
    return (buf, start, length) => {
      if (scratch.length < length) scratch = new Uint8Array(length * 2);
      for (let i = 0; i < length; i++) scratch[i] = ~buf[start + i]! & 0xff;
      return readOrderedString(scratch, 0, length - 1);
    };
  }
}

function appendTrailer(out: DataOutputView, trailer: DataOutputView): void {
  const n = trailer.pos;
  out.ensure(n);
  out.buf.set(trailer.buf.subarray(0, n), out.pos);
  out.pos += n;
  trailer.pos = 0;
}

/** The codec of a field: compact for declared atomic types and tuples of them, tagged (generic) otherwise. */
export function codecFor(type: TypeInformation | undefined): FieldCodec {
  switch (type?.kind) {
    case "STRING":
      return (v, out) => (typeof v === "string" ? writeOrderedString(out, v) : mismatch("STRING", v));
    case "INT":
      return (v, out) => (typeof v === "number" && (v | 0) === v ? writeOrderedInt32(out, v) : mismatch("INT", v));
    case "LONG":
    case "DOUBLE":
    case "FLOAT":
    case "INSTANT":
      return (v, out) => (typeof v === "number" ? writeOrderedDouble(out, v) : mismatch(type.kind, v));
    case "BOOLEAN":
      return (v, out) => (typeof v === "boolean" ? out.writeByte(v ? 1 : 0) : mismatch("BOOLEAN", v));
    case "BIGINT":
      return (v, out) => (typeof v === "bigint" ? writeOrderedBigInt(out, v) : mismatch("BIGINT", v));
    case "BYTES":
      return (v, out) => (v instanceof Uint8Array ? writeOrderedBytes(out, v) : mismatch("BYTES", v));
    case "NULLABLE": {
      const inner = codecFor(type.innerType);
      return (v, out, trailer) => {
        if (v === null || v === undefined) {
          out.writeByte(0);
          trailer.writeByte(v === null ? 0 : 1);
        } else {
          out.writeByte(1);
          inner(v, out, trailer);
        }
      };
    }
    case "TUPLE": {
      const codecs = (type.fieldTypes ?? []).map(codecFor);
      const n = codecs.length;
      return (v, out, trailer) => {
        if (!Array.isArray(v) || v.length !== n) return mismatch(type.toString(), v);
        for (let i = 0; i < n; i++) codecs[i]!(v[i], out, trailer);
      };
    }
    default:
      return writeGeneric;
  }
}

function mismatch(declared: string, v: unknown): never {
  const what = v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`;
  throw new UserError(`a sort key declared as ${declared} holds ${what}; declare the field's type (e.g. Types.NULLABLE) to match the records`);
}

const enum Tag {
  End = 0,
  Nothing = 1,
  False = 2,
  True = 3,
  Numeric = 4,
  String = 5,
  Array = 6,
  Bytes = 7,
  Date = 8,
  Row = 9,
}

/** A value of any kind: a tag in compareValues' kind order, then the kind's code. */
export function writeGeneric(v: unknown, out: DataOutputView, trailer: DataOutputView): void {
  switch (typeof v) {
    case "string":
      out.writeByte(Tag.String);
      writeOrderedString(out, v);
      return;
    case "number":
      out.writeByte(Tag.Numeric);
      writeOrderedDouble(out, v);
      writeOrderedBigInt(out, 0n);
      trailer.writeByte(0);
      return;
    case "bigint":
      out.writeByte(Tag.Numeric);
      writeBigIntNumeric(v, out);
      trailer.writeByte(1);
      return;
    case "boolean":
      out.writeByte(v ? Tag.True : Tag.False);
      return;
    case "undefined":
      out.writeByte(Tag.Nothing);
      trailer.writeByte(1);
      return;
    case "object":
      if (v === null) {
        out.writeByte(Tag.Nothing);
        trailer.writeByte(0);
      } else writeObject(v, out, trailer);
      return;
    default:
      throw unsupported(v);
  }
}

/**
 * A bigint among numbers: the double nearest to it (rounding is monotonic), then its exact
 * distance from that double; a number's distance is 0. Bigints beyond the double range sort
 * just inside ±Infinity, by value.
 */
function writeBigIntNumeric(b: bigint, out: DataOutputView): void {
  const d = Number(b);
  writeOrderedDouble(out, d);
  if (d === Infinity) {
    out.writeByte(0x01);
    writeOrderedBigInt(out, b);
  } else if (d === -Infinity) {
    out.writeByte(0xff);
    writeOrderedBigInt(out, b);
  } else {
    writeOrderedBigInt(out, b - BigInt(d));
  }
}

function writeObject(v: object, out: DataOutputView, trailer: DataOutputView): void {
  if (Array.isArray(v)) {
    out.writeByte(Tag.Array);
    for (let i = 0; i < v.length; i++) writeGeneric(v[i], out, trailer);
    out.writeByte(Tag.End);
    return;
  }
  if (v instanceof Uint8Array) {
    out.writeByte(Tag.Bytes);
    writeOrderedBytes(out, v);
    return;
  }
  if (v instanceof Date) {
    out.writeByte(Tag.Date);
    writeOrderedDouble(out, v.getTime());
    return;
  }
  if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise || v instanceof ArrayBuffer || v instanceof DataView) {
    throw unsupported(v);
  }
  // rows: values by enumerable field in order (compareValues' rule); names and class in the trailer
  out.writeByte(Tag.Row);
  const row = v as Record<string, unknown>;
  for (const name in row) {
    writeGeneric(row[name], out, trailer);
    writeOrderedString(trailer, name);
  }
  out.writeByte(Tag.End);
  if (ArrayBuffer.isView(v)) writeOrderedString(trailer, v.constructor.name);
  else trailer.writeByte(0);
}

function unsupported(v: unknown): UserError {
  const what = typeof v === "object" && v !== null ? (v.constructor?.name ?? "object") : typeof v;
  return new UserError(`cannot sort or group by a ${what}; keys are strings, numbers, bigints, booleans, null, tuples (arrays), rows (objects), Dates or Uint8Arrays`);
}
