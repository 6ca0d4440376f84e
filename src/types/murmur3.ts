/** MurmurHash3 (x86, 32-bit) building blocks, over bytes, UTF-16 strings as UTF-8, and Flink's int finalizer. */

/** Scrambles one 32-bit block before it is mixed into the state. */
export function mixK1(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

/** Mixes a scrambled block into the state. */
export function mixH1(h: number, k1: number): number {
  h ^= k1;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The final avalanche, after xoring in the input length in bytes. */
export function fmix(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** murmur3_32 of bytes [start, end) of `u8`. */
export function murmur3Bytes(u8: Uint8Array, seed = 0, start = 0, end = u8.length): number {
  let h = seed | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixH1(h, mixK1(u8[i]! | (u8[i + 1]! << 8) | (u8[i + 2]! << 16) | (u8[i + 3]! << 24)));
  }
  let k = 0;
  for (let shift = 0; i < end; i++, shift += 8) k |= u8[i]! << shift;
  if ((end - start) & 3) h ^= mixK1(k);
  return fmix(h, end - start);
}

/**
 * murmur3_32 of the UTF-8 encoding of `s`, computed from charCodeAt without allocating. Lone
 * surrogates count as U+FFFD, as in TextEncoder and DataOutputView.writeString.
 */
export function murmur3String(s: string, seed = 0): number {
  const n = s.length;
  let h = seed | 0;
  let k = 0; // bytes not yet mixed, little-endian
  let shift = 0; // bits held in k
  let bytes = 0;
  let i = 0;
  while (i < n) {
    if (shift === 0 && i + 4 <= n) {
      const c0 = s.charCodeAt(i);
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const c3 = s.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) < 0x80) {
        h = mixH1(h, mixK1(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24)));
        i += 4;
        bytes += 4;
        continue;
      }
    }
    const c = s.charCodeAt(i++);
    let len = 1;
    let word = c; // the UTF-8 bytes of c, first byte lowest
    if (c >= 0x800) {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i < n ? s.charCodeAt(i) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          i++;
          cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        } else cp = 0xfffd;
      }
      if (cp >= 0x10000) {
        len = 4;
        word = (0xf0 | (cp >> 18)) | ((0x80 | ((cp >> 12) & 0x3f)) << 8) | ((0x80 | ((cp >> 6) & 0x3f)) << 16) | ((0x80 | (cp & 0x3f)) << 24);
      } else {
        len = 3;
        word = (0xe0 | (cp >> 12)) | ((0x80 | ((cp >> 6) & 0x3f)) << 8) | ((0x80 | (cp & 0x3f)) << 16);
      }
    } else if (c >= 0x80) {
      len = 2;
      word = (0xc0 | (c >> 6)) | ((0x80 | (c & 0x3f)) << 8);
    }
    for (let b = 0; b < len; b++) {
      k |= ((word >>> (b * 8)) & 0xff) << shift;
      shift += 8;
      if (shift === 32) {
        h = mixH1(h, mixK1(k));
        k = 0;
        shift = 0;
      }
    }
    bytes += len;
  }
  if (shift !== 0) h ^= mixK1(k);
  return fmix(h, bytes);
}

/** Flink's MathUtils.murmurHash: murmur3_32 of one int, made non-negative. */
export function murmurHashInt(code: number): number {
  const h = fmix(mixH1(0, mixK1(code)), 4);
  return h >= 0 ? h : h !== -2147483648 ? -h : 0;
}
