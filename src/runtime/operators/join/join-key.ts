/**
 * Join keys as bytes: a canonical encoding whose byte equality is keysEqual, so the hash join
 * compares and hashes serialized keys instead of JS values.
 */
import { UserError } from "../../../core/errors.ts";
import type { DataOutputView } from "../../../types/data-output-view.ts";
import { fmix, mixH1, mixK1, murmur3Bytes } from "../../../types/murmur3.ts";
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

/**
 * A bijective mix of an int32 key (murmur3's finalizer): distinct keys, distinct hashes. For the
 * fixed-width tables, which hash keys as numbers, never as bytes.
 */
export function mixInt32(key: number): number {
  let h = key | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The fixed-width tables' index slots hold a row's address plus one in their low ADDRESS_BITS
 * bits and the top 32 - ADDRESS_BITS bits of the key's hash above them: a probe passes over the
 * rows of other keys without loading them (only the row a batch loaded first is in cache).
 * Addresses are page << wordShift | word, so row pages of a table are limited to
 * 2^ADDRESS_BITS words (512 MiB).
 */
export const ADDRESS_BITS = 27;
export const ADDRESS_MASK = (1 << ADDRESS_BITS) - 1;

/** The hash (unsigned) of encoded key bytes `buf[start, end)` at a recursion level. */
export function hashKeyBytes(buf: Uint8Array, start: number, end: number, seed: number): number {
  return murmur3Bytes(buf, seed, start, end) >>> 0;
}

/**
 * For a key that is an int32 number (the most common key): writes what writeJoinKey writes and
 * returns the hash hashKeyBytes gives those bytes, without a DataView or a second pass.
 */
export function writeIntKey(key: number, out: DataOutputView, seed: number): number {
  out.ensure(5);
  const buf = out.buf;
  const at = out.pos;
  buf[at] = Tag.Int;
  buf[at + 1] = key;
  buf[at + 2] = key >> 8;
  buf[at + 3] = key >> 16;
  buf[at + 4] = key >> 24;
  out.pos = at + 5;
  // murmur3_32 of the 5 bytes: one block (the tag and the low 3 bytes), then the high byte as tail
  const h = mixH1(seed | 0, mixK1(Tag.Int | (key << 8))) ^ mixK1((key >>> 24) & 0xff);
  return fmix(h, 5) >>> 0;
}

/** Writes `key` (writeJoinKey) and returns the hash of the bytes written (hashKeyBytes). */
export function writeAndHashKey(key: unknown, out: DataOutputView, seed: number): number {
  if (typeof key === "number" && (key | 0) === key) return writeIntKey(key, out, seed);
  const start = out.pos;
  writeJoinKey(key, out);
  return hashKeyBytes(out.buf, start, out.pos, seed);
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
