/**
 * Spill files of length-prefixed records: a writer that buffers serialized records in one
 * memory segment and writes it out when full, and a reader that refills one buffer and yields
 * each record's bytes in place.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { checkState } from "../core/errors.ts";
import type { MemorySegment } from "../memory/memory-segment.ts";
import type { FileChannel, IOManager } from "./io-manager.ts";

/** Records up to this long are copied byte by byte; longer ones with one native copy. */
const LOOP_COPY_MAX = 256;

/**
 * Appends records to a FileChannel: each record is a 4-byte little-endian length and its bytes.
 * Sorted runs are many small records, so short ones are copied in a loop: a subarray view per
 * record would cost more than the copy.
 * Lifecycle: construct, `add` many, `close()` (flushes; the channel's `bytes` is then final).
 */
export class RecordSpillWriter {
  private readonly fd: number;
  private readonly buf: Uint8Array;
  private pos = 0;
  private closed = false;
  records = 0;

  constructor(readonly channel: FileChannel, private readonly io: IOManager, buffer: MemorySegment) {
    this.fd = openSync(channel.path, "a");
    this.buf = buffer.buf;
  }

  /** Appends the bytes `src[start, end)` as one record. */
  add(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    const buf = this.buf;
    this.records++;
    if (this.pos + 4 + len > buf.length) {
      this.flush();
      if (4 + len > buf.length) {
        // a record larger than the buffer: header then bytes, straight to the file
        writeLength(buf, 0, len);
        this.write(buf, 0, 4);
        this.write(src, start, len);
        return;
      }
    }
    let p = this.pos;
    writeLength(buf, p, len);
    p += 4;
    if (len <= LOOP_COPY_MAX) {
      for (let i = start; i < end; i++) buf[p++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), p);
      p += len;
    }
    this.pos = p;
  }

  private flush(): void {
    if (this.pos > 0) this.write(this.buf, 0, this.pos);
    this.pos = 0;
  }

  private write(src: Uint8Array, offset: number, length: number): void {
    let done = 0;
    while (done < length) done += writeSync(this.fd, src, offset + done, length - done);
    this.channel.bytes += length;
    this.io.spilledBytes += length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }
}

function writeLength(buf: Uint8Array, p: number, len: number): void {
  buf[p] = len;
  buf[p + 1] = len >>> 8;
  buf[p + 2] = len >>> 16;
  buf[p + 3] = len >>> 24;
}

/**
 * Reads the records a RecordSpillWriter wrote, in order. After `next()` returns true, the
 * record's bytes are `buf[start, end)`; they stay valid until the next call.
 * Lifecycle: construct, `next()` until false, `close()` (also done when the file ends).
 */
export class RecordSpillReader {
  private fd: number;
  private filePos = 0;
  private limit = 0;
  private readPos = 0;
  buf: Uint8Array;
  start = 0;
  end = 0;

  constructor(readonly channel: FileChannel, buffer: MemorySegment) {
    this.fd = openSync(channel.path, "r");
    this.buf = buffer.buf;
  }

  next(): boolean {
    if (this.fd < 0) return false;
    if (!this.ensure(4)) return this.finish();
    const len = this.buf[this.readPos]! | (this.buf[this.readPos + 1]! << 8) | (this.buf[this.readPos + 2]! << 16) | (this.buf[this.readPos + 3]! << 24);
    this.readPos += 4;
    if (!this.ensure(len)) throw new Error(`spill file ${this.channel.path} ends inside a record`);
    this.start = this.readPos;
    this.end = this.readPos + len;
    this.readPos = this.end;
    return true;
  }

  /** Makes `n` bytes available at readPos: moves the rest to the front and refills; grows for records larger than the buffer. */
  private ensure(n: number): boolean {
    if (this.limit - this.readPos >= n) return true;
    const rest = this.limit - this.readPos;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(n);
      bigger.set(this.buf.subarray(this.readPos, this.limit));
      this.buf = bigger;
    } else if (rest > 0) {
      this.buf.copyWithin(0, this.readPos, this.limit);
    }
    this.readPos = 0;
    this.limit = rest;
    while (this.limit < n) {
      const got = readSync(this.fd, this.buf, this.limit, this.buf.length - this.limit, this.filePos);
      if (got === 0) break;
      this.filePos += got;
      this.limit += got;
    }
    return this.limit >= n;
  }

  private finish(): false {
    checkState(this.limit === this.readPos, `spill file ${this.channel.path} has ${this.limit - this.readPos} trailing bytes`);
    this.close();
    return false;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
