/**
 * Join keys as bytes: a canonical encoding whose byte equality is keysEqual, so the hash join
 * compares and hashes serialized keys instead of JS values.
 */
import { UserError } from "../../../core/errors.ts";
import type { DataOutputView } from "../../../types/data-output-view.ts";
import { murmur3Bytes } from "../../../types/murmur3.ts";
import { describeValue } from "../../../types/value-errors.ts";
import { writeBigInteger } from "../../../types/bigint-codec.ts";

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int = 4,
  Float = 5,
  String = 6,
  BigInt = 7,
  Date = 8,
  Array = 9,
  View = 10,
  Object = 11,
}

/**
 * Writes `key` so that two keys give the same bytes exactly when keysEqual holds: integers in
 * int32 range as 4 bytes (so -0 is 0), other numbers as float64 with one NaN, rows (objects) with
 * their fields sorted by name, typed arrays with their constructor's name.
 */
export function writeJoinKey(key: unknown, out: DataOutputView): void {
  switch (typeof key) {
    case "number":
      if ((key | 0) === key) {
        out.writeByte(Tag.Int);
        out.writeInt32(key);
      } else {
        out.writeByte(Tag.Float);
        out.writeFloat64(key !== key ? Number.NaN : key);
      }
      return;
    case "string":
      out.writeByte(Tag.String);
      out.writeString(key);
      return;
    case "boolean":
      out.writeByte(key ? Tag.True : Tag.False);
      return;
    case "bigint":
      out.writeByte(Tag.BigInt);
      writeBigInteger(out, key);
      return;
    case "undefined":
      out.writeByte(Tag.Undefined);
      return;
    case "object":
      if (key === null) out.writeByte(Tag.Null);
      else writeObjectKey(key, out);
      return;
  }
  throw unsupported(key);
}

function writeObjectKey(key: object, out: DataOutputView): void {
  if (Array.isArray(key)) {
    out.writeByte(Tag.Array);
    out.writeVarUint(key.length);
    for (let i = 0; i < key.length; i++) writeJoinKey(key[i], out);
  } else if (ArrayBuffer.isView(key)) {
    out.writeByte(Tag.View);
    out.writeString(key.constructor.name);
    out.writeBytes(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
  } else if (key instanceof Date) {
    out.writeByte(Tag.Date);
    const t = key.getTime();
    out.writeFloat64(t !== t ? Number.NaN : t);
  } else if (key instanceof Map || key instanceof Set || key instanceof Promise || key instanceof WeakMap) {
    throw unsupported(key);
  } else {
    const names = Object.keys(key).sort();
    out.writeByte(Tag.Object);
    out.writeVarUint(names.length);
    for (const name of names) {
      out.writeString(name);
      writeJoinKey((key as Record<string, unknown>)[name], out);
    }
  }
}

/**
 * True when a key never matches (Flink: null keys do not join): null or undefined, or a
 * composite key (array) with a null or undefined field. Such records still reach outer joins and
 * coGroup.
 */
export function isNullKey(key: unknown): boolean {
  if (key === null || key === undefined) return true;
  if (Array.isArray(key)) {
    for (let i = 0; i < key.length; i++) if (key[i] === null || key[i] === undefined) return true;
  }
  return false;
}

/** The seed of the hash at a recursion level: every level partitions on independent bits. */
export function levelSeed(level: number): number {
  return Math.imul(level + 1, 0x9e3779b1) | 0;
}

/** The hash (unsigned) of encoded key bytes `buf[start, end)` at a recursion level. */
export function hashKeyBytes(buf: Uint8Array, start: number, end: number, seed: number): number {
  return murmur3Bytes(buf, seed, start, end) >>> 0;
}

/** True when `a[as, ae)` and `b[bs, be)` hold the same bytes. */
export function bytesEqual(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const n = ae - as;
  if (n !== be - bs) return false;
  for (let i = 0; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

function unsupported(key: unknown): UserError {
  return new UserError(`cannot join on ${describeValue(key)}; join keys are strings, numbers, bigints, booleans, tuples (arrays), rows (objects), dates or bytes`);
}
