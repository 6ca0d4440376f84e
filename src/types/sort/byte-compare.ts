/** Comparisons of key codes (see KeyEncoder): unsigned lexicographic byte order, and the 4-byte words of a normalized key prefix. */

/** memcmp of a[aStart, aStart + aLen) and b[bStart, bStart + bLen); a proper prefix sorts first. */
export function compareBytes(a: Uint8Array, aStart: number, aLen: number, b: Uint8Array, bStart: number, bLen: number): number {
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i]!;
    const y = b[bStart + i]!;
    if (x !== y) return x - y;
  }
  return aLen - bLen;
}

/** True if the two byte ranges are equal. */
export function bytesEqual(a: Uint8Array, aStart: number, aLen: number, b: Uint8Array, bStart: number, bLen: number): boolean {
  if (aLen !== bLen) return false;
  for (let i = aLen - 1; i >= 0; i--) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * Bytes [from, from + 4) of the code buf[start, start + len) as a big-endian unsigned word, zero
 * past the end: comparing such words compares the first bytes of two codes.
 */
export function prefixWord(buf: Uint8Array, start: number, len: number, from: number): number {
  const p = start + from;
  if (from + 4 <= len) return ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
  let w = 0;
  for (let i = 0; i < 4; i++) w = (w << 8) | (from + i < len ? buf[p + i]! : 0);
  return w >>> 0;
}
