/** A little-endian binary reader over a byte range: the source of every TypeSerializer. */
import { latin1Slice, utf8Slice } from "../core/platform.ts";
import { InternalError } from "../core/errors.ts";

const TWO_32 = 4294967296;
const EMPTY = new Uint8Array(0);

/**
 * Reads values written by DataOutputView from `buf[pos .. end)`.
 *
 * Reads do not check `end` on every field (the bytes come from our own serializers); variable
 * length reads (strings, byte arrays) do, so a corrupt length fails loudly instead of reading
 * another record's bytes.
 */
export class DataInputView {
  buf: Uint8Array = EMPTY;
  view: DataView = new DataView(EMPTY.buffer);
  pos = 0;
  end = 0;

  constructor(u8?: Uint8Array, pos = 0, end = u8?.length ?? 0) {
    if (u8) this.setBuffer(u8, pos, end);
  }

  /** Reads `u8[pos .. end)`; positions are relative to `u8`. */
  setBuffer(u8: Uint8Array, pos: number, end: number): void {
    if (this.buf !== u8) {
      this.buf = u8;
      this.view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    }
    this.pos = pos;
    this.end = end;
  }

  /** Bytes left before `end`. */
  available(): number {
    return this.end - this.pos;
  }

  readByte(): number {
    return this.buf[this.pos++]!;
  }

  readBoolean(): boolean {
    return this.buf[this.pos++] !== 0;
  }

  readInt32(): number {
    // bytes: DataView's getter was slower on the network path (Bun 1.4.5)
    const buf = this.buf;
    const p = this.pos;
    if (p + 4 > buf.length) throw new RangeError(`readInt32 at ${p} is outside the buffer (${buf.length} bytes)`);
    this.pos = p + 4;
    return buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
  }

  readUint32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat32(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readLong(): number {
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  readBigInt64(): bigint {
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readVarUint(): number {
    const buf = this.buf;
    let b = buf[this.pos++]!;
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let scale = 128;
    do {
      b = buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80 && scale <= 2 ** 56);
    if (b >= 0x80) throw new InternalError(`corrupt varuint at byte ${this.pos} (more than 8 bytes)`);
    return n;
  }

  /** Raw bytes, no length prefix, as a view (not a copy) of the buffer. */
  readRawView(n: number): Uint8Array {
    this.checkRange(n);
    const start = this.pos;
    this.pos += n;
    return this.buf.subarray(start, start + n);
  }

  /** Length-prefixed bytes, copied (the buffer is reused after the record is read). */
  readBytes(): Uint8Array {
    return this.readRawView(this.readVarUint()).slice();
  }

  readString(): string {
    let h = this.buf[this.pos]!;
    if (h < 0x80) this.pos++;
    else h = this.readVarUint();
    const n = h < 0x80000000 ? h >>> 1 : Math.floor(h / 2);
    const start = this.pos;
    const stop = start + n;
    if (stop > this.end) this.checkRange(n);
    this.pos = stop;
    if (n === 0) return "";
    return h % 2 === 1 ? latin1Slice(this.buf, start, stop) : utf8Slice(this.buf, start, stop);
  }

  private checkRange(n: number): void {
    if (this.pos + n > this.end) {
      throw new InternalError(`read of ${n} bytes at ${this.pos} passes the end of the input at ${this.end}`);
    }
  }
}
