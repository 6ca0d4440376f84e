/**
 * RunWriter: writes a sorted run in RecordSpillWriter's format (4-byte little-endian length, then
 * the entry), read back with RecordSpillReader. Entries are small and many, so they are copied
 * byte by byte into the page: a subarray view per entry would cost more than the copy.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { FileChannel, IOManager } from "../../../io/io-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";

/** Entries up to this long are copied in a loop; longer ones with one native copy. */
const LOOP_COPY_MAX = 256;

/** Lifecycle: construct, `add` entries, `close()` (flushes; the channel's `bytes` is then final). */
export class RunWriter {
  private readonly fd: number;
  private readonly buf: Uint8Array;
  private pos = 0;
  private closed = false;

  constructor(
    readonly channel: FileChannel,
    private readonly io: IOManager,
    page: MemorySegment,
  ) {
    this.fd = openSync(channel.path, "a");
    this.buf = page.buf;
  }

  /** Appends the bytes `src[start, end)` as one entry. */
  add(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    const buf = this.buf;
    if (this.pos + 4 + len > buf.length) {
      this.flush();
      if (4 + len > buf.length) {
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
