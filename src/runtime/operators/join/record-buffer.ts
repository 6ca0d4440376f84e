/** RecordBuffer: records appended into managed-memory pages, moved to a spill file when memory runs short. */
import { checkState } from "../../../core/errors.ts";
import type { FileChannel } from "../../../io/io-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { DataInputView } from "../../../types/data-input-view.ts";
import type { PagePool } from "./page-pool.ts";
import { align, filePages, LEN_MASK, memoryPages, PAGE_HEADER, PageFileWriter, RECORD_HEADER, RecordCursor } from "./record-pages.ts";

/** Decides what to spill when a buffer needs pages the pool does not have (it may spill the asking buffer itself). */
export interface SpillPolicy {
  makeRoom(pages: number, requester: RecordBuffer): void;
}

/**
 * An append-only sequence of records in the page format of record-pages.ts: the build side of a
 * hash partition, the probe records of a spilled partition, early records of an input that must
 * wait, a block of a cross, a group of a sort-merge join.
 *
 * Lifecycle: `append` many -> `finishWrite` -> `cursor` (any number of times) -> `release`.
 * Memory: in memory, the buffer owns `pages` (taken from the pool as it grows; when the pool
 * is empty it asks its SpillPolicy, or spills itself when it has none). Spilled, it owns one
 * write page until `finishWrite`, which flushes it and gives it back; a file cursor borrows one
 * read page until it ends. `release` returns every page and deletes the file.
 * Addresses (`append`'s result) are `pageIndex << pageShift | offset` and are valid while the
 * buffer is in memory; `inputAt` reads the payload at one.
 */
export class RecordBuffer {
  /** The in-memory pages, in order; when spilled, only the write page. */
  readonly pages: MemorySegment[] = [];
  private pos = 0;
  private writer: PageFileWriter | null = null;
  private channel: FileChannel | null = null;
  private inputs: DataInputView[] = [];
  private scratch = new Uint8Array(0);
  private readonly scratchInput = new DataInputView();
  records = 0;
  /** Payload bytes appended (the spill size is larger by headers and page padding). */
  payloadBytes = 0;

  constructor(
    private readonly pool: PagePool,
    private readonly policy: SpillPolicy | null,
    private readonly prefix: string,
  ) {}

  get spilled(): boolean {
    return this.channel !== null;
  }

  /** Pages this buffer holds. */
  get pageCount(): number {
    return this.pages.length;
  }

  /** Appends one record with its payload `src[start, end)`; returns its address (meaningful in memory only). */
  append(hash: number, src: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (this.channel === null) {
      const need = this.pagesNeeded(len);
      if (need > this.pool.available()) {
        if (this.policy !== null) this.policy.makeRoom(need, this);
        else this.spill();
      }
    }
    checkState(this.channel === null || this.writer !== null, `${this.prefix} buffer is appended to after finishWrite`);
    const pageSize = this.pool.pageSize;
    if (this.pages.length === 0) this.nextPage();
    else if (this.pos + RECORD_HEADER > pageSize) this.nextPage();
    let page = this.pages[this.pages.length - 1]!;
    const at = this.pos;
    const address = ((this.pages.length - 1) << this.pool.pageShift) | at;
    page.view.setUint32(at, hash, true);
    page.view.setUint32(at + 4, 0, true);
    page.view.setUint32(at + 8, len, true);
    let p = at + RECORD_HEADER;
    let s = start;
    while (true) {
      const n = Math.min(end - s, pageSize - p);
      copyBytes(src, s, page.buf, p, n);
      s += n;
      p += n;
      if (s === end) break;
      this.pos = p;
      page = this.nextPage();
      p = PAGE_HEADER;
    }
    this.pos = align(p);
    this.records++;
    this.payloadBytes += len;
    return address;
  }

  /** Pages an append of `len` payload bytes takes from the pool (in memory). */
  pagesNeeded(len: number): number {
    const pageSize = this.pool.pageSize;
    let pos = this.pos;
    let pages = 0;
    if (this.pages.length === 0 || pos + RECORD_HEADER > pageSize) {
      pages = 1;
      pos = PAGE_HEADER;
    }
    const room = pageSize - pos - RECORD_HEADER;
    if (len > room) pages += Math.ceil((len - room) / (pageSize - PAGE_HEADER));
    return pages;
  }

  /** Seals the current page and starts the next: a new pool page in memory, the same page after a flush when spilled. */
  private nextPage(): MemorySegment {
    const pages = this.pages;
    if (pages.length > 0) pages[pages.length - 1]!.view.setUint32(0, this.pos, true);
    if (this.writer !== null && pages.length > 0) {
      this.writer.write(pages[0]!);
    } else {
      pages.push(this.pool.take());
    }
    this.pos = PAGE_HEADER;
    return pages[pages.length - 1]!;
  }

  /** Writes the in-memory pages to a new spill file and keeps one page to write on. */
  spill(): void {
    checkState(this.writer === null, `${this.prefix} buffer is already spilled`);
    this.channel = this.pool.io.createChannel(this.prefix);
    this.writer = new PageFileWriter(this.channel, this.pool.io);
    const pages = this.pages;
    if (pages.length === 0) {
      pages.push(this.pool.take());
      this.pos = PAGE_HEADER;
      return;
    }
    pages[pages.length - 1]!.view.setUint32(0, this.pos, true);
    for (const page of pages) this.writer.write(page);
    const keep = pages.pop()!;
    this.pool.giveAll(pages);
    pages.push(keep);
    this.pos = PAGE_HEADER;
    this.inputs.length = 0;
  }

  /** Ends appending: seals the last page; a spilled buffer flushes it and gives its page back. */
  finishWrite(): void {
    const pages = this.pages;
    if (pages.length > 0) pages[pages.length - 1]!.view.setUint32(0, this.pos, true);
    if (this.writer !== null) {
      if (pages.length > 0 && this.pos > PAGE_HEADER) this.writer.write(pages[0]!);
      this.writer.close();
      this.writer = null;
      this.pool.giveAll(pages);
    }
  }

  /**
   * A cursor over every record, in order. Reading a spilled buffer borrows one pool page until
   * the cursor ends or is closed.
   */
  cursor(): RecordCursor {
    if (this.channel === null) {
      const pages = this.pages;
      if (pages.length > 0) pages[pages.length - 1]!.view.setUint32(0, this.pos, true);
      return new RecordCursor(memoryPages(pages), this.pool.pageShift);
    }
    checkState(this.writer === null, `${this.prefix} buffer is read before finishWrite`);
    const pool = this.pool;
    const page = pool.take();
    const source = filePages(this.channel, page);
    return new RecordCursor(source, pool.pageShift, () => {
      source.close();
      pool.give(page);
    });
  }

  /**
   * Positions a reader on the payload of the record at `address` (in memory): in place when it
   * lies within one page, else copied into a scratch buffer.
   */
  inputAt(address: number): DataInputView {
    const shift = this.pool.pageShift;
    const index = address >>> shift;
    const offset = address & (this.pool.pageSize - 1);
    const page = this.pages[index]!;
    const len = page.view.getUint32(offset + 8, true) & LEN_MASK;
    const start = offset + RECORD_HEADER;
    if (start + len <= page.size) {
      const input = this.inputs[index] ?? this.pageInput(index);
      input.pos = start;
      input.end = start + len;
      return input;
    }
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    let copied = page.size - start;
    this.scratch.set(page.buf.subarray(start), 0);
    for (let i = index + 1; copied < len; i++) {
      const n = Math.min(len - copied, page.size - PAGE_HEADER);
      this.scratch.set(this.pages[i]!.buf.subarray(PAGE_HEADER, PAGE_HEADER + n), copied);
      copied += n;
    }
    this.scratchInput.setBuffer(this.scratch, 0, len);
    return this.scratchInput;
  }

  /** The payload length of the in-memory record at `address`. */
  lengthAt(address: number): number {
    const page = this.pages[address >>> this.pool.pageShift]!;
    return page.view.getUint32((address & (this.pool.pageSize - 1)) + 8, true) & LEN_MASK;
  }

  /** Sets `flag` (MATCHED) on the in-memory record at `address`. */
  mark(address: number, flag: number): void {
    const view = this.pages[address >>> this.pool.pageShift]!.view;
    const at = (address & (this.pool.pageSize - 1)) + 8;
    view.setUint32(at, (view.getUint32(at, true) | flag) >>> 0, true);
  }

  /** Replaces the payload of the in-memory record at `address` with `src[start, end)`, which has the same length. */
  overwrite(address: number, src: Uint8Array, start: number, end: number): void {
    const pageSize = this.pool.pageSize;
    let index = address >>> this.pool.pageShift;
    let p = (address & (pageSize - 1)) + RECORD_HEADER;
    let s = start;
    for (;;) {
      const n = Math.min(end - s, pageSize - p);
      copyBytes(src, s, this.pages[index]!.buf, p, n);
      s += n;
      if (s === end) return;
      index++;
      p = PAGE_HEADER;
    }
  }

  /**
   * Readers of the pages up to `index`. Made for every page at once so the array stays dense: an
   * array filled at random indices (as a hash table's probes reach pages) turns sparse in
   * JavaScriptCore, and every lookup becomes a slow one.
   */
  private pageInput(index: number): DataInputView {
    const inputs = this.inputs;
    for (let i = inputs.length; i <= index; i++) {
      const page = this.pages[i]!;
      inputs.push(new DataInputView(page.buf, 0, page.size));
    }
    return inputs[index]!;
  }

  /** Gives every page back and deletes the spill file; the buffer is empty afterwards and may be reused. */
  release(): void {
    this.writer?.close();
    this.writer = null;
    this.pool.giveAll(this.pages);
    this.inputs.length = 0;
    if (this.channel !== null) this.pool.io.deleteChannel(this.channel);
    this.channel = null;
    this.pos = 0;
    this.records = 0;
    this.payloadBytes = 0;
  }
}

/** Copies `n` bytes; a loop for the short records most joins carry, which beats allocating a subarray. */
function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  if (n > 64) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i]!;
}
