/** Key identity: a stable 32-bit hash, a cheap Map key, and equality for record keys. */
import { UserError } from "../core/errors.ts";
import { describeValue } from "./value-errors.ts";
import { fmix, mixH1, mixK1, murmur3Bytes, murmur3String } from "./murmur3.ts";

const TWO_32 = 4294967296;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

// Seeds keep equal-looking values of different kinds (1, 1n, true, [1]) apart. Never change them:
// hashes decide key groups, and key groups are stored in checkpoints.
const NUMBER_SEED = 0x9747b28c;
const BIGINT_SEED = 0x1b873593;
const ARRAY_SEED = 0x2b7e1516;
const OBJECT_SEED = 0x3c6ef372;
const DATE_SEED = 0x510e527f;
const HASH_TRUE = fmix(mixH1(0x5be0cd19, mixK1(1)), 1);
const HASH_FALSE = fmix(mixH1(0x5be0cd19, mixK1(0)), 1);
const HASH_NULL = fmix(0x6a09e667, 0);
const HASH_UNDEFINED = fmix(0x7f52e7a4, 0);

const scratch = new DataView(new ArrayBuffer(8));

/**
 * A 32-bit hash of a key, the same in every thread, process and run (no per-process seed).
 * Strings and byte arrays: murmur3_32 (seed 0) of their bytes (UTF-8 for strings). Integers: their
 * 64-bit two's-complement halves (-0 is 0); other numbers: their float64 bits. Arrays (tuple keys)
 * combine their elements' hashes in order; objects (row keys) combine name and value of each own
 * enumerable field, independent of field order.
 */
export function hashKey(key: unknown): number {
  switch (typeof key) {
    case "string":
      return murmur3String(key);
    case "number":
      return hashNumber(key);
    case "boolean":
      return key ? HASH_TRUE : HASH_FALSE;
    case "bigint":
      return hashBigInt(key);
    case "undefined":
      return HASH_UNDEFINED;
    case "object":
      if (key === null) return HASH_NULL;
      return hashObject(key);
  }
  throw unsupportedKey(key);
}

/**
 * hashKey of an int32 (the usual key) as one straight-line function: hashNumber's steps written
 * out, since the engine does not inline the murmur helpers this deep in a record's path.
 */
export function hashInt32(n: number): number {
  let k = Math.imul(n | 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  let h = NUMBER_SEED ^ k;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  // the high half is the sign: mixK1(0) is 0
  h ^= n < 0 ? MIXED_MINUS_ONE : 0;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  h ^= 8;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** mixK1(-1): the high half of a negative int32. */
const MIXED_MINUS_ONE = mixK1(-1);

function hashNumber(n: number): number {
  let lo: number;
  let hi: number;
  if ((n | 0) === n) {
    // an int32 (the usual key): its high half is the sign
    lo = n >>> 0;
    hi = n < 0 ? -1 : 0;
  } else if (Number.isInteger(n)) {
    lo = n >>> 0;
    hi = Math.floor(n / TWO_32) | 0;
  } else if (n !== n) {
    lo = 0;
    hi = 0x7ff80000; // the canonical NaN, whatever the payload
  } else {
    scratch.setFloat64(0, n, true);
    lo = scratch.getUint32(0, true);
    hi = scratch.getUint32(4, true);
  }
  return fmix(mixH1(mixH1(NUMBER_SEED, mixK1(lo)), mixK1(hi)), 8);
}

function hashBigInt(b: bigint): number {
  if (b >= MIN_INT64 && b <= MAX_INT64) {
    const u = BigInt.asUintN(64, b);
    return fmix(mixH1(mixH1(BIGINT_SEED, mixK1(Number(u & 0xffffffffn))), mixK1(Number(u >> 32n))), 8);
  }
  let h = mixH1(BIGINT_SEED, mixK1(b < 0n ? 1 : 0));
  let m = b < 0n ? -b : b;
  let len = 4;
  for (; m > 0n; m >>= 32n, len += 4) h = mixH1(h, mixK1(Number(m & 0xffffffffn)));
  return fmix(h, len);
}

function hashObject(key: object): number {
  if (Array.isArray(key)) {
    let h = ARRAY_SEED;
    for (let i = 0; i < key.length; i++) h = mixH1(h, mixK1(hashKey(key[i])));
    return fmix(h, key.length * 4);
  }
  if (ArrayBuffer.isView(key)) return murmur3Bytes(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
  if (key instanceof Date) return hashNumber(key.getTime()) ^ DATE_SEED;
  if (isUnsupported(key)) throw unsupportedKey(key);
  // Summing the field hashes makes the result independent of field order.
  let sum = 0;
  let count = 0;
  for (const name in key) {
    if (!Object.hasOwn(key, name)) continue;
    sum = (sum + fmix(mixH1(mixH1(OBJECT_SEED, mixK1(murmur3String(name))), mixK1(hashKey((key as Record<string, unknown>)[name]))), 8)) | 0;
    count++;
  }
  return fmix(mixH1(OBJECT_SEED, mixK1(sum)), count);
}

/**
 * A value usable as a JS Map key for `key`: primitives as they are (Map's SameValueZero already
 * makes -0 equal 0 and NaN equal NaN); arrays, objects, byte arrays and dates as a canonical string
 * that starts with "\u0000", equal exactly when the keys are keysEqual.
 */
export function keyToMapKey(key: unknown): string | number | boolean | bigint | null | undefined {
  switch (typeof key) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return key;
    case "object":
      return key === null ? null : `\u0000${canonical(key)}`;
  }
  throw unsupportedKey(key);
}

function canonical(v: unknown): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return v === 0 ? "0" : String(v);
    case "bigint":
      return `${v}n`;
    case "boolean":
    case "undefined":
      return String(v);
    case "object":
      if (v === null) return "null";
      if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
      if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${toHex(v)})`;
      if (v instanceof Date) return `Date(${v.getTime()})`;
      if (isUnsupported(v)) throw unsupportedKey(v);
      return `{${ownKeys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
        .join(",")}}`;
  }
  throw unsupportedKey(v);
}

/** Key equality matching hashKey and keyToMapKey: deep, with -0 equal to 0 and NaN equal to NaN. */
export function keysEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number") return typeof b === "number" && a !== a && b !== b;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!keysEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return viewsEqual(a, b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && keysEqual(a.getTime(), b.getTime());
  }
  if (isUnsupported(a) || isUnsupported(b)) throw unsupportedKey(isUnsupported(a) ? a : b);
  const ka = ownKeys(a);
  if (ka.length !== ownKeys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !keysEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function viewsEqual(a: object, b: object): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function ownKeys(o: object): string[] {
  return Object.keys(o);
}

/** Objects whose identity is not in their own fields: their fields would hash them all alike. */
function isUnsupported(o: object): boolean {
  return o instanceof Map || o instanceof Set || o instanceof WeakMap || o instanceof WeakSet || o instanceof Promise;
}

function toHex(v: ArrayBufferView): string {
  const u8 = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let s = "";
  for (let i = 0; i < u8.length; i++) s += (u8[i]! < 16 ? "0" : "") + u8[i]!.toString(16);
  return s;
}

function unsupportedKey(key: unknown): UserError {
  return new UserError(`cannot use ${describeValue(key)} as a key; key by a string, number, bigint, boolean, tuple (array), row (object) or bytes`);
}
