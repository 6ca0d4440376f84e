/**
 * The page format of the join operators' buffers and spill files, and a cursor that reads the
 * records of a page sequence (in memory or from a file) in order.
 *
 * Page: `[u32 used bytes][records...]`. Record: a 12-byte header `[u32 hash][u32 next][u32 len |
 * MATCHED]` that never straddles a page, then `len` payload bytes that may continue on the next
 * pages (after their page headers). Records start at multiples of 4 bytes: a header that crosses
 * a cache line makes a hash table probe (a cache miss anyway) about twice as slow. `next` chains records of one hash bucket (an address + 1, 0
 * ends the chain); MATCHED marks build records that found a partner (outer joins). A spill file is
 * whole pages back to back, so spilling writes pages as they are.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { checkState } from "../../../core/errors.ts";
import type { FileChannel, IOManager } from "../../../io/io-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { DataInputView } from "../../../types/data-input-view.ts";

export const PAGE_HEADER = 4;
export const RECORD_HEADER = 12;
export const MATCHED = 0x80000000;
export const LEN_MASK = 0x7fffffff;

/**
 * Compares the length-prefixed key at `input.pos` (a varint length, then the bytes) with
 * `keyBuf[keyStart, keyEnd)`; on a match leaves `input.pos` just past the key (at the value).
 */
export function keyMatches(input: DataInputView, keyBuf: Uint8Array, keyStart: number, keyEnd: number): boolean {
  const buf = input.buf;
  let keyLen = buf[input.pos]!;
  let keyAt = input.pos + 1;
  if (keyLen >= 128) {
    keyLen = input.readVarUint();
    keyAt = input.pos;
  }
  if (keyLen !== keyEnd - keyStart) return false;
  for (let i = 0; i < keyLen; i++) if (buf[keyAt + i] !== keyBuf[keyStart + i]) return false;
  input.pos = keyAt + keyLen;
  return true;
}

/** The offset of the next record at or after `pos`. */
/** Where touchRecord puts the bytes it loads, so the compiler keeps the loads. */
let touched = 0;

/**
 * Loads the record at `offset` of `page` for a batched lookup (KeyBatch): its header and its
 * payload's last byte, which may lie on the next cache line. Returns the record's chain
 * successor (address + 1) when its hash differs from `hash` (the key is further on), else 0.
 */
export function touchRecord(page: MemorySegment, offset: number, hash: number): number {
  const view = page.view;
  if (view.getUint32(offset, true) !== hash) return view.getUint32(offset + 4, true);
  const end = offset + RECORD_HEADER + (view.getUint32(offset + 8, true) & LEN_MASK) - 1;
  touched ^= end < page.size ? page.buf[end]! : 0;
  return 0;
}

export function align(pos: number): number {
  return (pos + 3) & ~3;
}

/** Appends whole pages to a spill file, counting the bytes in the channel and the IOManager. */
export class PageFileWriter {
  private fd: number;

  constructor(readonly channel: FileChannel, private readonly io: IOManager) {
    this.fd = openSync(channel.path, "a");
  }

  write(seg: MemorySegment): void {
    const n = seg.size;
    let done = 0;
    while (done < n) done += writeSync(this.fd, seg.buf, done, n - done);
    this.channel.bytes += n;
    this.io.spilledBytes += n;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** A source of pages for a cursor: each call returns the next page (with its used-bytes header), or null at the end. */
export type PageSource = () => MemorySegment | null;

/** The pages of a list, in order. */
export function memoryPages(pages: readonly MemorySegment[]): PageSource {
  let i = 0;
  return () => (i < pages.length ? pages[i++]! : null);
}

/**
 * The pages of a spill file, read one at a time into `into`; the file is opened on the first
 * call and closed at its end (or by `close` on the returned handle).
 */
export function filePages(channel: FileChannel, into: MemorySegment): PageSource & { close(): void } {
  let fd = -1;
  let pos = 0;
  const source = (() => {
    if (pos >= channel.bytes) {
      source.close();
      return null;
    }
    if (fd < 0) fd = openSync(channel.path, "r");
    let got = 0;
    while (got < into.size) {
      const n = readSync(fd, into.buf, got, into.size - got, pos + got);
      checkState(n > 0, `spill file ${channel.path} ends inside a page at byte ${pos + got}`);
      got += n;
    }
    pos += into.size;
    return into;
  }) as PageSource & { close(): void };
  source.close = () => {
    if (fd >= 0) closeSync(fd);
    fd = -1;
  };
  return source;
}

/**
 * Reads records in page order. After `next()` returns true, the payload is `buf[start, end)` and
 * `input` reads it; `hash`, `flags` (MATCHED) and, for in-memory pages, `address` describe it. A
 * payload that straddles pages is copied into a scratch buffer the cursor owns (grown for records
 * larger than a page). Bytes stay valid until the next call.
 */
export class RecordCursor {
  hash = 0;
  flags = 0;
  address = 0;
  buf: Uint8Array = EMPTY;
  start = 0;
  end = 0;
  readonly input = new DataInputView();
  private page: MemorySegment | null = null;
  private pageIndex = -1;
  private pos = 0;
  private used = 0;
  private scratch = EMPTY;
  private closed = false;

  constructor(
    private readonly source: PageSource,
    private readonly pageShift: number,
    /** Gives back what the cursor borrowed (a read page); called once, at the end or by `close`. */
    private onClose: (() => void) | null = null,
  ) {}

  next(): boolean {
    while (this.page === null || this.pos + RECORD_HEADER > this.used) {
      if (!this.advance()) return false;
    }
    const page = this.page;
    const view = page.view;
    const at = this.pos;
    this.address = (this.pageIndex << this.pageShift) | at;
    this.hash = view.getUint32(at, true);
    const lenFlags = view.getUint32(at + 8, true);
    this.flags = lenFlags & MATCHED;
    const len = lenFlags & LEN_MASK;
    const start = at + RECORD_HEADER;
    if (start + len <= this.used) {
      this.pos = align(start + len);
      this.setPayload(page.buf, start, start + len);
    } else {
      this.readStraddling(start, len);
    }
    return true;
  }

  /** Stops early; later `next()` calls return false. */
  close(): void {
    this.closed = true;
    this.page = null;
    this.used = 0;
    const onClose = this.onClose;
    this.onClose = null;
    onClose?.();
  }

  private advance(): boolean {
    const page = this.closed ? null : this.source();
    this.page = page;
    if (page === null) {
      this.close();
      return false;
    }
    this.pageIndex++;
    this.pos = PAGE_HEADER;
    this.used = page.view.getUint32(0, true);
    return true;
  }

  private readStraddling(start: number, len: number): void {
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    const scratch = this.scratch;
    let copied = this.used - start;
    scratch.set(this.page!.buf.subarray(start, this.used), 0);
    while (copied < len) {
      checkState(this.advance(), `a record of ${len} bytes ends after its last page`);
      const n = Math.min(len - copied, this.used - PAGE_HEADER);
      scratch.set(this.page!.buf.subarray(PAGE_HEADER, PAGE_HEADER + n), copied);
      copied += n;
      this.pos = align(PAGE_HEADER + n);
    }
    this.setPayload(scratch, 0, len);
  }

  private setPayload(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.input.setBuffer(buf, start, end);
  }
}

const EMPTY = new Uint8Array(0);
