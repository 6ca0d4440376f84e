/**
 * SortBuffer: records serialized into memory pages beside an index of (normalized key prefix,
 * entry number, address), sorted natively (see index-sort.ts) and read back in key order.
 */
import { DataInputView } from "../../../types/data-input-view.ts";
import { DataOutputView } from "../../../types/data-output-view.ts";
import type { KeyEncoder } from "../../../types/sort/key-encoder.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { type MemorySegment, PAGE_SIZE } from "../../../memory/memory-segment.ts";
import { GcNudge } from "./gc-nudge.ts";
import { type SortIndex, sortIndex } from "./index-sort.ts";
import { type EntryLayout, entryLength, headerReserve, SortedCursor, varintSize, writeVarint } from "./sort-entry.ts";

const PAGE_SHIFT = Math.log2(PAGE_SIZE);
const PAGE_MASK = PAGE_SIZE - 1;
/** Bytes of index per entry: an 8-byte sort word, a 4-byte address, and a position and a flag used while sorting. */
export const INDEX_BYTES_PER_ENTRY = 17;
const INITIAL_CAPACITY = 1024;
/** How far ahead in sorted order a buffer cursor touches entries. */
const PREFETCH = 16;

/** Where a buffer gets its pages: the sorter's budget (which throws MemoryAllocationError when it is taken). */
export interface PageSource {
  takePage(): MemorySegment;
}

/**
 * Memory: records live in pages from a PageSource (a record may continue on the next page; an
 * entry's address is page number * PAGE_SIZE + offset); the index is one contiguous
 * BigUint64Array of sort words (key prefix bytes high, entry number low — the native typed-array
 * sort then sorts by key and keeps arrival order among equal keys) plus Uint32Arrays of
 * addresses and sort positions, counted against the same budget as the pages (native sorts need
 * one contiguous array, which pages are not). Entries are first written to a 64 KiB
 * staging area and copied to a page once it fills, so records are never serialized twice.
 *
 * Lifecycle: `add` until it returns false (full; the refused entry stays staged), `sort`, read
 * with `cursor()`, then `reset()` (pages go back to the caller, the refused entry becomes the
 * first one). Threading: one operator thread.
 */
export class SortBuffer<T> implements SortIndex {
  readonly pages: MemorySegment[] = [];
  count = 0;
  private readonly staging = new DataOutputView(2 * PAGE_SIZE);
  private readonly reserve: number;
  /** Header varints after the key length (group and record lengths). */
  private readonly tailFields: number;
  private readonly keyOnly: boolean;
  /** Sort words: words[2i] low half, words[2i + 1] high half (little-endian). */
  words = new Uint32Array(INITIAL_CAPACITY * 2);
  sortWords = new BigUint64Array(this.words.buffer);
  addrs = new Uint32Array(INITIAL_CAPACITY);
  /** Scratch of the index sort: an entry's position in the sorted words. */
  positions = new Uint32Array(INITIAL_CAPACITY);
  flags = new Uint8Array(INITIAL_CAPACITY);
  /** Sink of reads that only warm the cache (see index-sort.ts). */
  touched = 0;
  private readonly gcNudge = new GcNudge();
  /** The entry add() refused: staging[pendingStart, pendingEnd), its key at pendingKey. */
  private pendingStart = -1;
  private pendingEnd = 0;
  private pendingKey = 0;
  private pendingKeyLen = 0;
  /** Set by locate(): logical address and length of an entry's key. */
  keyAddr = 0;
  keyLen = 0;
  /** Entry-number bits of the sort words, set by sort(). */
  indexMask = 0;

  constructor(
    readonly layout: EntryLayout,
    private readonly encoder: KeyEncoder<T>,
    private readonly serializer: TypeSerializer<T>,
    private readonly source: PageSource,
    /** Pages this buffer may use for records and index together. */
    readonly budgetPages: number,
  ) {
    this.reserve = headerReserve(layout);
    this.tailFields = this.reserve - 1;
    this.keyOnly = layout.keyOnly;
  }

  get capacity(): number {
    return this.addrs.length;
  }

  /** Pages of memory in use: record pages (with the staged bytes) and the index. */
  usedPages(stagedBytes = this.staging.pos): number {
    return this.pages.length + Math.ceil(stagedBytes / PAGE_SIZE) + indexPages(this.capacity);
  }

  /** Serializes the record into the buffer; false if it did not fit (it stays staged for `reset`). */
  add(record: T): boolean {
    const out = this.staging;
    const start = out.pos;
    const reserve = this.reserve;
    out.ensure(reserve);
    out.pos = start + reserve;
    this.encoder.encode(record, out);
    const keyLen = out.pos - start - reserve;
    const layout = this.layout;
    let recLen = 0;
    if (!layout.keyOnly) {
      const at = out.pos;
      this.serializer.serialize(record, out);
      recLen = out.pos - at;
    }
    const groupLen = this.encoder.groupLength;
    // a STRING stored as its key: its code is one byte per code unit plus a terminator exactly
    // when it is plain ASCII text (see EntryLayout)
    const first = layout.keyOnly ? keyLen * 2 + (keyLen - 1 === (record as string).length ? 1 : 0) : keyLen;
    // the header: one byte per varint was reserved; longer ones shift the entry right
    const header = varintSize(first) + (layout.storedGroup ? varintSize(groupLen) : 0) + (layout.keyOnly ? 0 : varintSize(recLen));
    if (header > reserve) {
      const extra = header - reserve;
      out.ensure(extra);
      out.buf.copyWithin(start + header, start + reserve, out.pos);
      out.pos += extra;
    }
    const buf = out.buf;
    let p = writeVarint(buf, start, first);
    if (layout.storedGroup) p = writeVarint(buf, p, groupLen);
    if (!layout.keyOnly) p = writeVarint(buf, p, recLen);
    this.pendingStart = start;
    this.pendingEnd = out.pos;
    this.gcNudge.account(out.pos - start);
    this.pendingKey = p;
    this.pendingKeyLen = keyLen;
    return this.accept();
  }

  /** Registers the staged entry in the index if records and index still fit the budget. */
  private accept(): boolean {
    const out = this.staging;
    const start = this.pendingStart;
    if (this.count === this.capacity && !this.growIndex()) return false;
    if (this.usedPages(out.pos) > this.budgetPages) return false;
    const i = this.count++;
    this.addrs[i] = this.pages.length * PAGE_SIZE + start;
    const buf = out.buf;
    const k = this.pendingKey;
    const n = this.pendingKeyLen;
    const words = this.words;
    if (n >= 8) {
      words[2 * i + 1] = ((buf[k]! << 24) | (buf[k + 1]! << 16) | (buf[k + 2]! << 8) | buf[k + 3]!) >>> 0;
      words[2 * i] = ((buf[k + 4]! << 24) | (buf[k + 5]! << 16) | (buf[k + 6]! << 8) | buf[k + 7]!) >>> 0;
    } else {
      let hi = 0;
      let lo = 0;
      for (let j = 0; j < 4; j++) hi = (hi << 8) | (j < n ? buf[k + j]! : 0);
      for (let j = 4; j < 8; j++) lo = (lo << 8) | (j < n ? buf[k + j]! : 0);
      words[2 * i + 1] = hi >>> 0;
      words[2 * i] = lo >>> 0;
    }
    this.pendingStart = -1;
    while (out.pos >= PAGE_SIZE) this.flushPage();
    return true;
  }

  /** Doubles the index (or grows it to what the budget leaves); false if it cannot grow. */
  private growIndex(): boolean {
    const recordPages = this.pages.length + Math.ceil(this.staging.pos / PAGE_SIZE);
    const affordable = Math.floor(((this.budgetPages - recordPages) * PAGE_SIZE) / INDEX_BYTES_PER_ENTRY);
    const next = Math.min(this.capacity * 2, affordable, 2 ** 31);
    if (next <= this.capacity) return false;
    const words = new Uint32Array(next * 2);
    words.set(this.words.subarray(0, this.count * 2));
    const addrs = new Uint32Array(next);
    addrs.set(this.addrs.subarray(0, this.count));
    this.words = words;
    this.sortWords = new BigUint64Array(words.buffer);
    this.addrs = addrs;
    this.positions = new Uint32Array(next);
    this.flags = new Uint8Array(next);
    return true;
  }

  /** Moves the first PAGE_SIZE staged bytes to a new page. */
  private flushPage(): void {
    const out = this.staging;
    const page = this.source.takePage();
    this.pages.push(page);
    page.buf.set(out.buf.subarray(0, PAGE_SIZE));
    out.buf.copyWithin(0, PAGE_SIZE, out.pos);
    out.pos -= PAGE_SIZE;
  }

  /** Sorts the index by key (arrival order among equal keys); staged bytes go to a last page first. */
  sort(): void {
    const out = this.staging;
    const end = this.pendingStart >= 0 ? this.pendingStart : out.pos;
    if (end > 0) {
      const page = this.source.takePage();
      this.pages.push(page);
      page.buf.set(out.buf.subarray(0, end));
      // the refused entry stays staged: move it to the front
      if (this.pendingStart >= 0) this.restage(end);
      else out.pos = 0;
    }
    this.indexMask = sortIndex(this);
  }

  private restage(from: number): void {
    const out = this.staging;
    const shift = from;
    out.buf.copyWithin(0, from, this.pendingEnd);
    out.pos = this.pendingEnd - shift;
    this.pendingStart -= shift;
    this.pendingEnd -= shift;
    this.pendingKey -= shift;
    // a page was written with the bytes before `from`; the refused entry's address counts from a fresh page
  }

  /** Empties the buffer, handing its pages back; a refused entry is re-added (false if it alone does not fit). */
  reset(): { pages: MemorySegment[]; pendingAdded: boolean } {
    const pages = this.pages.splice(0);
    this.count = 0;
    if (this.pendingStart < 0) return { pages, pendingAdded: true };
    if (this.pendingStart > 0) this.restage(this.pendingStart);
    return { pages, pendingAdded: this.accept() };
  }

  /** True if add() refused an entry that is still staged. */
  hasPending(): boolean {
    return this.pendingStart >= 0;
  }

  /** The refused entry's bytes (for a run of its own when it alone exceeds the buffer); forgets it. */
  takePending(): Uint8Array {
    const out = this.staging;
    const bytes = out.buf.subarray(this.pendingStart, this.pendingEnd);
    out.pos = this.pendingStart;
    this.pendingStart = -1;
    return bytes;
  }

  /** Releases the index arrays (they are reallocated by the next add). */
  dropIndex(): void {
    this.words = new Uint32Array(INITIAL_CAPACITY * 2);
    this.sortWords = new BigUint64Array(this.words.buffer);
    this.addrs = new Uint32Array(INITIAL_CAPACITY);
    this.positions = new Uint32Array(INITIAL_CAPACITY);
    this.flags = new Uint8Array(INITIAL_CAPACITY);
  }

  // ---- access by entry number, for the index sort and the cursor

  byteAt(addr: number): number {
    return this.pages[addr >>> PAGE_SHIFT]!.buf[addr & PAGE_MASK]!;
  }

  /** Sets keyAddr and keyLen for entry i. */
  locate(i: number): void {
    const addr = this.addrs[i]!;
    const off = addr & PAGE_MASK;
    if (off + 15 <= PAGE_SIZE) {
      const buf = this.pages[addr >>> PAGE_SHIFT]!.buf;
      let p = off;
      let b = buf[p++]!;
      let n = b & 0x7f;
      for (let shift = 128; b >= 0x80; shift *= 128) {
        b = buf[p++]!;
        n += (b & 0x7f) * shift;
      }
      for (let f = this.tailFields; f > 0; f--) while (buf[p++]! >= 0x80);
      this.keyLen = this.keyOnly ? Math.floor(n / 2) : n;
      this.keyAddr = addr + (p - off);
      return;
    }
    let a = addr;
    let b = this.byteAt(a++);
    let n = b & 0x7f;
    for (let shift = 128; b >= 0x80; shift *= 128) {
      b = this.byteAt(a++);
      n += (b & 0x7f) * shift;
    }
    for (let f = this.tailFields; f > 0; f--) while (this.byteAt(a++) >= 0x80);
    this.keyLen = this.keyOnly ? Math.floor(n / 2) : n;
    this.keyAddr = a;
  }

  /** A cursor over the entries in sorted order (after `sort`). */
  cursor(): SortedCursor {
    return new BufferCursor(this);
  }
}

export function indexPages(capacity: number): number {
  return Math.ceil((capacity * INDEX_BYTES_PER_ENTRY) / PAGE_SIZE);
}

/** Reads a sorted buffer's entries in order; an entry that continues on the next page is copied to a scratch buffer. */
class BufferCursor<T> extends SortedCursor {
  private j = 0;
  private scratch = new Uint8Array(256);
  private scratchView = new DataInputView(this.scratch);
  private readonly pageViews: DataInputView[] = [];
  /** Sink of the prefetching reads, so they are not optimized away. */
  touched = 0;
  private readonly ahead = new Uint32Array(PREFETCH);

  constructor(private readonly buffer: SortBuffer<T>) {
    super(buffer.layout);
  }

  next(): boolean {
    const b = this.buffer;
    if (this.j >= b.count) return false;
    // every PREFETCH entries, touch the next PREFETCH entries' bytes in one tight loop: the cache
    // misses of independent loads overlap, where one per next() call would each stall alone
    if (this.j % PREFETCH === 0) this.prefetch(this.j + PREFETCH);
    const i = b.words[2 * this.j++]! & b.indexMask;
    const addr = b.addrs[i]!;
    const off = addr & PAGE_MASK;
    const pageNo = addr >>> PAGE_SHIFT;
    const page = b.pages[pageNo]!.buf;
    if (off + 15 <= PAGE_SIZE) {
      const len = entryLength(page, off, this.layout);
      if (off + len <= PAGE_SIZE) {
        this.parse(page, off, (this.pageViews[pageNo] ??= new DataInputView(page)));
        return true;
      }
    }
    // slow path: gather the entry (its header first, to learn its length)
    const head = this.gather(addr, 15);
    const len = entryLength(head, 0, this.layout);
    const bytes = this.gather(addr, len);
    if (this.scratchView.buf !== bytes) this.scratchView = new DataInputView(bytes);
    this.parse(bytes, 0, this.scratchView);
    return true;
  }

  private prefetch(from: number): void {
    const b = this.buffer;
    const to = Math.min(b.count, from + PREFETCH);
    const words = b.words;
    const addrs = b.addrs;
    const mask = b.indexMask;
    const ahead = this.ahead;
    for (let j = from; j < to; j++) ahead[j - from] = addrs[words[2 * j]! & mask]!;
    const pages = b.pages;
    let t = 0;
    for (let j = from; j < to; j++) {
      const a = ahead[j - from]!;
      const page = pages[a >>> PAGE_SHIFT]!.buf;
      const off = a & PAGE_MASK;
      // the entry's first cache line, and the next one, which most entries reach into
      t ^= page[off]! ^ page[(off + 64) & PAGE_MASK]!;
    }
    this.touched = t;
  }

  private gather(addr: number, len: number): Uint8Array {
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    const s = this.scratch;
    const pages = this.buffer.pages;
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const page = a >>> PAGE_SHIFT;
      if (page >= pages.length) break;
      const off = a & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - off);
      s.set(pages[page]!.buf.subarray(off, off + n), done);
      done += n;
    }
    return s;
  }

  close(): void {}
}
