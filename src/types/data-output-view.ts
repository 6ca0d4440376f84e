/** A growable little-endian binary writer: the target of every TypeSerializer. */

const TWO_32 = 4294967296;
const DEFAULT_CAPACITY = 1024;

/**
 * Writes values at `pos` into `buf`, growing it when a write does not fit.
 *
 * Memory: `setBuffer` makes the view write into a caller's buffer (a memory segment, a network
 * buffer). When a write does not fit, `ensure` allocates a larger ArrayBuffer, copies the bytes
 * written so far and replaces `buf` and `view`; callers that write into a fixed buffer compare
 * `buf.buffer` with theirs to notice the overflow.
 *
 * Encoding: little-endian. Strings and byte arrays carry a varuint prefix; a string's prefix is
 * `(utf8ByteLength << 1) | isAscii`, so readers decode ASCII with the fastest native call.
 */
export class DataOutputView {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial?: ArrayBuffer | number) {
    const ab = initial instanceof ArrayBuffer ? initial : new ArrayBuffer(initial ?? DEFAULT_CAPACITY);
    this.buf = new Uint8Array(ab);
    this.view = new DataView(ab);
  }

  /** Writes into `ab` from `pos` on, reusing it instead of allocating. */
  setBuffer(ab: ArrayBuffer, pos = 0): void {
    if (this.buf.buffer !== ab) {
      this.buf = new Uint8Array(ab);
      this.view = new DataView(ab);
    }
    this.pos = pos;
  }

  /** Makes room for `n` more bytes at `pos`, growing the buffer (at least doubling) when needed. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    const ab = new ArrayBuffer(Math.max(needed, this.buf.length * 2, 64));
    const next = new Uint8Array(ab);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(ab);
  }

  /** The bytes written so far, as a view (not a copy) of the current buffer. */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets what was written; the buffer is kept. */
  reset(): void {
    this.pos = 0;
  }

  writeByte(b: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(this.pos + 1);
    this.buf[this.pos++] = b;
  }

  writeBoolean(b: boolean): void {
    if (this.pos + 1 > this.buf.length) this.grow(this.pos + 1);
    this.buf[this.pos++] = b ? 1 : 0;
  }

  writeInt32(n: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(this.pos + 4);
    // bytes: DataView's setter was not inlined and took a third of the network path (Bun 1.4.5)
    const buf = this.buf;
    const p = this.pos;
    buf[p] = n;
    buf[p + 1] = n >> 8;
    buf[p + 2] = n >> 16;
    buf[p + 3] = n >> 24;
    this.pos = p + 4;
  }

  writeUint32(n: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(this.pos + 4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  writeFloat32(n: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(this.pos + 4);
    this.view.setFloat32(this.pos, n, true);
    this.pos += 4;
  }

  writeFloat64(n: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** An integer JS number as a 64-bit two's-complement value (low half first); exact to 2^53 and beyond for integers. */
  writeLong(n: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.view.setInt32(this.pos + 4, Math.floor(n / TWO_32) | 0, true);
    this.pos += 8;
  }

  writeBigInt64(b: bigint): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    this.view.setBigInt64(this.pos, b, true);
    this.pos += 8;
  }

  /** An unsigned LEB128 integer (0 .. 2^53). */
  writeVarUint(n: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    const buf = this.buf;
    let p = this.pos;
    while (n >= 0x80) {
      buf[p++] = (n & 0x7f) | 0x80;
      n = n < TWO_32 ? n >>> 7 : Math.floor(n / 128);
    }
    buf[p++] = n;
    this.pos = p;
  }

  /** Raw bytes, no length prefix. */
  writeRaw(u8: Uint8Array): void {
    if (this.pos + u8.length > this.buf.length) this.grow(this.pos + u8.length);
    this.buf.set(u8, this.pos);
    this.pos += u8.length;
  }

  /** Bytes with a varuint length prefix. */
  writeBytes(u8: Uint8Array): void {
    this.writeVarUint(u8.length);
    this.writeRaw(u8);
  }

  /**
   * A string as UTF-8 with a varuint prefix `(byteLength << 1) | isAscii`. Lone surrogates are
   * written as U+FFFD, as TextEncoder does.
   */
  writeString(s: string): void {
    const len = s.length;
    if (len > 21) return this.writeLongString(s);
    // At most 63 bytes: the prefix fits one byte and is patched in after encoding.
    if (this.pos + 1 + len * 3 > this.buf.length) this.grow(this.pos + 1 + len * 3);
    const buf = this.buf;
    const start = this.pos + 1;
    let p = start;
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p++] = c;
    }
    if (i === len) {
      buf[this.pos] = ((p - start) << 1) | 1;
    } else {
      p = encodeUtf8From(s, i, buf, p);
      buf[this.pos] = (p - start) << 1;
    }
    this.pos = p;
  }

  private writeLongString(s: string): void {
    const len = s.length;
    // a caller's fixed buffer (a network buffer) must grow only when the bytes really do not
    // fit: the native path needs room for the worst case, the loop counts exactly
    if (utf8Write === undefined || this.pos + varUintSize(len * 6 + 1) + len * 3 > this.buf.length) return this.writeLongStringLoop(s);
    // encode natively behind a prefix sized as if the string were ASCII; more bytes than code
    // units means it is not, and a longer prefix moves the bytes right (2-3x the loop's speed)
    const guess = varUintSize(len * 2 + 1);
    const start = this.pos + guess;
    const bytes = utf8Write.call(this.buf, s, start, len * 3);
    const prefix = bytes * 2 + (bytes === len ? 1 : 0);
    const size = varUintSize(prefix);
    const buf = this.buf;
    const at = this.pos;
    if (size !== guess) buf.copyWithin(at + size, start, start + bytes);
    if (size === 1) buf[at] = prefix;
    else if (size === 2) {
      buf[at] = (prefix & 0x7f) | 0x80;
      buf[at + 1] = prefix >>> 7;
    } else this.writeVarUint(prefix);
    this.pos = at + size + bytes;
  }

  /** The same without a native encoder: count the UTF-8 bytes, write the prefix, encode. */
  private writeLongStringLoop(s: string): void {
    const len = s.length;
    let bytes = 0;
    let ascii = 1;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) bytes++;
      else {
        ascii = 0;
        if (c < 0x800) bytes += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && isLowSurrogate(s.charCodeAt(i + 1))) {
          bytes += 4;
          i++;
        } else bytes += 3;
      }
    }
    this.writeVarUint(bytes * 2 + ascii);
    if (this.pos + bytes > this.buf.length) this.grow(this.pos + bytes);
    const buf = this.buf;
    let p = this.pos;
    if (ascii === 1) {
      for (let i = 0; i < len; i++) buf[p++] = s.charCodeAt(i);
    } else {
      p = encodeUtf8From(s, 0, buf, p);
    }
    this.pos = p;
  }
}

/** Bun's and Node's native UTF-8 encoder into a byte range (callable on any Uint8Array); lone surrogates become U+FFFD. */
const utf8Write = (globalThis as { Buffer?: { prototype: { utf8Write?: (this: Uint8Array, s: string, offset: number, max: number) => number } } }).Buffer?.prototype.utf8Write;

function varUintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Encodes s[i..] as UTF-8 into buf at p (room already ensured); returns the end position. */
function encodeUtf8From(s: string, i: number, buf: Uint8Array, p: number): number {
  const len = s.length;
  for (; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && isLowSurrogate(d)) {
          const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          buf[p++] = 0xf0 | (cp >> 18);
          buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[p++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}
