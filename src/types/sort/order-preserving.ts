/**
 * Order-preserving byte codes of single values: the unsigned byte order of what these functions
 * write equals the order of the values (compareValues in the runtime), and every code is
 * prefix-free, so codes can be concatenated into composite keys and compared with memcmp.
 */
import { UserError } from "../../core/errors.ts";
import { latin1Slice } from "../../core/platform.ts";
import type { DataOutputView } from "../data-output-view.ts";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LE ? 0 : 1;
const HI = LE ? 1 : 0;

/**
 * 8 bytes: the IEEE bits with the sign flipped (positives) or all bits inverted (negatives);
 * -0 is written as 0 and every NaN as one NaN, after +Infinity (Java's Double.compare).
 */
export function writeOrderedDouble(out: DataOutputView, v: number): void {
  f64[0] = v === 0 ? 0 : v !== v ? NaN : v;
  let hi = u32[HI]!;
  let lo = u32[LO]!;
  if (hi >>> 31 === 1) {
    hi = ~hi;
    lo = ~lo;
  } else {
    hi |= 0x80000000;
  }
  out.ensure(8);
  const buf = out.buf;
  const p = out.pos;
  buf[p] = hi >>> 24;
  buf[p + 1] = hi >>> 16;
  buf[p + 2] = hi >>> 8;
  buf[p + 3] = hi;
  buf[p + 4] = lo >>> 24;
  buf[p + 5] = lo >>> 16;
  buf[p + 6] = lo >>> 8;
  buf[p + 7] = lo;
  out.pos = p + 8;
}

/** 4 bytes: a signed 32-bit integer, big-endian with the sign bit flipped. */
export function writeOrderedInt32(out: DataOutputView, v: number): void {
  const x = (v ^ 0x80000000) >>> 0;
  out.ensure(4);
  const buf = out.buf;
  const p = out.pos;
  buf[p] = x >>> 24;
  buf[p + 1] = x >>> 16;
  buf[p + 2] = x >>> 8;
  buf[p + 3] = x;
  out.pos = p + 4;
}

/** Bun's and Node's native UTF-8 encoder into a byte range (callable on any Uint8Array). */
const utf8Write = (globalThis as { Buffer?: { prototype: { utf8Write?: (this: Uint8Array, s: string, offset: number, max: number) => number } } }).Buffer?.prototype.utf8Write;
/** Strings at least this long are encoded natively when they are ASCII; shorter ones by the loop. */
const NATIVE_MIN_LENGTH = 16;

/**
 * A string by UTF-16 code units (the order of JS `<` and Java's String.compareTo), then a 0
 * terminator. Code units 2..0x7F are one byte (ASCII text is its own code); 0 and 1 are escaped
 * as 01 01 and 01 02; 0x80..0x3FFF are two bytes (lead 0x80..0xBF); the rest three (lead 0xC0).
 */
export function writeOrderedString(out: DataOutputView, s: string): void {
  const len = s.length;
  if (utf8Write !== undefined && len >= NATIVE_MIN_LENGTH) {
    // ASCII text is its own code: the native encoder copies it; a byte count above the length
    // means non-ASCII, and code units 0 and 1 need escapes, so both take the loop below
    out.ensure(len * 3 + 1);
    const n = utf8Write.call(out.buf, s, out.pos, len * 3);
    if (n === len && s.indexOf("\u0000") < 0 && s.indexOf("\u0001") < 0) {
      out.buf[out.pos + len] = 0;
      out.pos += len + 1;
      return;
    }
  }
  out.ensure(len + 1);
  let buf = out.buf;
  let p = out.pos;
  let i = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 2 || c >= 0x80) break;
    buf[p++] = c;
  }
  if (i < len) {
    out.pos = p;
    out.ensure((len - i) * 3 + 1);
    buf = out.buf;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 2 && c < 0x80) buf[p++] = c;
      else if (c < 2) {
        buf[p++] = 1;
        buf[p++] = c + 1;
      } else if (c < 0x4000) {
        buf[p++] = 0x80 | (c >>> 8);
        buf[p++] = c & 0xff;
      } else {
        buf[p++] = 0xc0;
        buf[p++] = c >>> 8;
        buf[p++] = c & 0xff;
      }
    }
  }
  buf[p++] = 0;
  out.pos = p;
}

/** Decodes a writeOrderedString code at buf[start, end) (end excludes the terminator). */
export function readOrderedString(buf: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b < 2 || b >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) return start === end ? "" : latin1Slice(buf, start, end);
  const codes: number[] = [];
  for (let i = start; i < end; ) {
    const b = buf[i]!;
    if (b >= 2 && b < 0x80) {
      codes.push(b);
      i++;
    } else if (b === 1) {
      codes.push(buf[i + 1]! - 1);
      i += 2;
    } else if (b < 0xc0) {
      codes.push(((b & 0x3f) << 8) | buf[i + 1]!);
      i += 2;
    } else {
      codes.push((buf[i + 1]! << 8) | buf[i + 2]!);
      i += 3;
    }
  }
  let s = "";
  for (let i = 0; i < codes.length; i += 4096) s += String.fromCharCode(...codes.slice(i, i + 4096));
  return s;
}

/** Bytes compared lexicographically, shorter first: 00 escaped as 00 FF, then the terminator 00 00. */
export function writeOrderedBytes(out: DataOutputView, bytes: Uint8Array): void {
  const n = bytes.length;
  out.ensure(n * 2 + 2);
  const buf = out.buf;
  let p = out.pos;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    buf[p++] = b;
    if (b === 0) buf[p++] = 0xff;
  }
  buf[p++] = 0;
  buf[p++] = 0;
  out.pos = p;
}

/** Magnitudes above this many bytes (about 2^524280) cannot be sort keys. */
const MAX_BIGINT_BYTES = 0xffff;

/**
 * A bigint of any size: 0x80 for zero and positives, 0x7F for negatives, then the magnitude's
 * byte length (2 bytes) and the magnitude big-endian; both inverted for negatives.
 */
export function writeOrderedBigInt(out: DataOutputView, b: bigint): void {
  const negative = b < 0n;
  const hex = (negative ? -b : b).toString(16);
  const n = b === 0n ? 0 : (hex.length + 1) >> 1;
  if (n > MAX_BIGINT_BYTES) throw new UserError(`a bigint of ${n} bytes cannot be a sort key (at most ${MAX_BIGINT_BYTES} bytes)`);
  const flip = negative ? 0xff : 0;
  out.ensure(3 + n);
  const buf = out.buf;
  let p = out.pos;
  buf[p++] = negative ? 0x7f : 0x80;
  buf[p++] = (n >>> 8) ^ flip;
  buf[p++] = (n & 0xff) ^ flip;
  const odd = hex.length & 1;
  for (let i = 0; i < n; i++) {
    const at = 2 * i - odd;
    const byte = at < 0 ? parseInt(hex[0]!, 16) : parseInt(hex.slice(at, at + 2), 16);
    buf[p++] = byte ^ flip;
  }
  out.pos = p;
}

/** Inverts buf[start, end): a descending field's code. */
export function invertBytes(buf: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) buf[i] = ~buf[i]! & 0xff;
}
