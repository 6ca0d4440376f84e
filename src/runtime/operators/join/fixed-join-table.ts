/**
 * FixedJoinTable: the build side of an inner hash join whose build records are tuples of
 * numbers with an int32 key field, held as fixed-width rows in managed-memory pages and probed
 * without serializing either side. HybridHashJoin uses it while the build side fits and hands
 * its rows over to the spilling MutableHashTable when it does not.
 *
 * Rows are appended while the build side arrives; the index is built once it has ended, sized
 * for the rows it holds. When the keys are dense (their range at most twice the row count) the
 * index is an array over the range, so a probe reads the slot `key - min` with no hashing and no
 * key comparison (DuckDB's perfect hash join); otherwise it is open addressing over hashes.
 */
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import { ADDRESS_BITS, ADDRESS_MASK, mixInt32 } from "./join-key.ts";
import type { PagePool } from "./page-pool.ts";
import { FIELD_STORAGE, I32, type RowCodec, rowCodec, RowPages, rowShape } from "./fixed-rows.ts";

/** Probe records looked up together: enough for their cache misses to overlap (as KeyBatch). */
const BATCH = 128;

/** Build rows: fields at 4-byte word offsets (fixed-rows.ts), then the chain word (next row of the key, address + 1, or 0). */
export interface FixedJoinLayout {
  readonly keyField: number;
  /** Per field: its 4-byte word within the row. */
  readonly offsets: Int32Array;
  /** The chain word within the row. */
  readonly next: number;
  /** 4-byte words per row. */
  readonly words: number;
  readonly codec: RowCodec;
}

/** The layout for build records of `type` keyed by tuple field `keyField`, or null when the table cannot hold them. */
export function fixedJoinLayout(type: TypeInformation | undefined, keyField: unknown): FixedJoinLayout | null {
  if (type?.kind !== "TUPLE" || type.fieldTypes === undefined || typeof keyField !== "number") return null;
  const types = type.fieldTypes;
  if (keyField < 0 || keyField >= types.length || !types.every((t) => t.kind in FIELD_STORAGE) || types[keyField]!.kind !== "INT") return null;
  const storage = Uint8Array.from(types, (t) => FIELD_STORAGE[t.kind]!);
  const { offsets, extra, words } = rowShape(storage, 1);
  const int32 = Uint8Array.from(storage, (s) => (s === I32 ? 1 : 0));
  const codec = rowCodec(storage, offsets, new Int8Array(types.length), keyField, int32, words);
  return { keyField, offsets, next: extra, words, codec };
}

/**
 * Lifecycle: add* (false: a record that does not fit the layout, or no memory left for its row
 * and the index; the caller then hands over) -> finishBuild (false: the index does not fit; hand
 * over) -> probe* -> flush -> close; or handOver -> close. Memory: every page from `pool`; while
 * rows are added, pages for the index they will need are kept free.
 */
export class FixedJoinTable {
  private readonly pages: RowPages;
  private rows = 0;
  private minKey = 2 ** 31;
  private maxKey = -(2 ** 31);
  private indexPages: MemorySegment[] = [];
  private index: Uint32Array[] = [];
  private readonly slotShift: number;
  /** Slots of the index; 0 until finishBuild. */
  private slots = 0;
  /** A direct index (slot = key - minKey) rather than a hashed one. */
  private direct = false;
  private readonly probeValues: unknown[] = new Array(BATCH).fill(undefined);
  private readonly probeSlots = new Int32Array(BATCH);
  private readonly probeKeys = new Int32Array(BATCH);
  private probes = 0;
  private touched = 0;

  constructor(
    private readonly pool: PagePool,
    private readonly layout: FixedJoinLayout,
    /** Each matching pair: the build record (a fresh tuple) and the probe record. */
    private readonly emit: (build: number[], probe: unknown) => void,
    /** A probe record without a match (for a probe side that is an outer side), or null. */
    private readonly unmatched: ((probe: unknown) => void) | null,
  ) {
    this.pages = new RowPages(pool, layout.words);
    this.slotShift = Math.log2(pool.pageSize / 4);
  }

  /** Index pages for `rows` rows: a hashed index of the next power of two above twice as many slots (a direct one never needs more). */
  private indexPagesFor(rows: number): number {
    const slots = Math.max(1 << this.slotShift, 2 ** Math.ceil(Math.log2(Math.max(1, 2 * rows))));
    return slots >>> this.slotShift;
  }

  /** Appends a build record; false, with nothing taken, when it does not fit the layout or memory. */
  add(value: number[]): boolean {
    const { keyField, codec } = this.layout;
    if (!codec.fits(value)) return false;
    const pages = this.pages;
    if (pages.full) {
      // a new row page, and room left for the index of every row the pages can hold
      if (this.pool.available() < 1 + this.indexPagesFor((pages.segments.length + 1) * pages.perPage) || !pages.canGrow()) return false;
      pages.addPage();
    }
    const address = pages.append();
    const page = address >>> pages.wordShift;
    this.layout.codec.put(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, address & pages.wordMask, value);
    this.rows++;
    const key = value[keyField]!;
    if (key < this.minKey) this.minKey = key;
    if (key > this.maxKey) this.maxKey = key;
    return true;
  }

  /**
   * The build side ended: builds the index over every row (direct when the keys are dense).
   * False when its pages are no longer free (an early probe buffer took them); hand over then.
   */
  finishBuild(): boolean {
    if (this.rows === 0) return true;
    const range = this.maxKey - this.minKey + 1;
    this.direct = range <= 2 * this.rows;
    const hashed = 2 ** Math.ceil(Math.log2(2 * this.rows));
    const slots = Math.max(1 << this.slotShift, this.direct ? 2 ** Math.ceil(Math.log2(range)) : hashed);
    const pages = slots >>> this.slotShift;
    if (this.pool.available() < pages) return false;
    for (let i = 0; i < pages; i++) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      this.indexPages.push(seg);
      this.index.push(new Uint32Array(seg.arrayBuffer));
    }
    this.slots = slots;
    const { keyField, offsets, next, words } = this.layout;
    const keyOffset = offsets[keyField]!;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const { wordShift, wordMask } = this.pages;
    const mask = slots - 1;
    for (let p = 0; p < this.pages.segments.length; p++) {
      const i32 = this.pages.i32[p]!;
      const end = this.pages.end(p);
      for (let o = 0; o < end; o += words) {
        const key = i32[o + keyOffset]!;
        const address = ((p << wordShift) | o) + 1;
        let s = this.direct ? key - this.minKey : mixInt32(key) & mask;
        // a hashed index tags its slots with the hash's top bits (ADDRESS_BITS); a direct one needs no tag
        const tag = this.direct ? 0 : (mixInt32(key) >>> ADDRESS_BITS) << ADDRESS_BITS;
        if (!this.direct) {
          // the slot of this key, or the first free one
          for (;;) {
            const e = this.index[s >>> shift]![s & within]!;
            if (e === 0) break;
            const a = (e & ADDRESS_MASK) - 1;
            if (e - (e & ADDRESS_MASK) === tag >>> 0 && this.pages.i32[a >>> wordShift]![(a & wordMask) + keyOffset] === key) break;
            s = (s + 1) & mask;
          }
        }
        const slotPage = this.index[s >>> shift]!;
        i32[o + next] = slotPage[s & within]! & ADDRESS_MASK;
        slotPage[s & within] = tag | address;
      }
    }
    return true;
  }

  /** Joins `value` (whose key is `key`) with its build rows, in a batch: call `flush` at the end. */
  probe(value: unknown, key: unknown): void {
    let slot = -1;
    if (typeof key === "number" && (key | 0) === key && this.slots > 0) {
      if (!this.direct) slot = mixInt32(key) & (this.slots - 1);
      else if (key >= this.minKey && key <= this.maxKey) slot = key - this.minKey;
    }
    if (slot < 0) {
      // build keys are int32 numbers in [minKey, maxKey]: nothing else equals one
      if (this.unmatched !== null) this.unmatched(value);
      return;
    }
    const n = this.probes;
    this.probeValues[n] = value;
    this.probeKeys[n] = key as number;
    this.probeSlots[n] = slot;
    this.probes = n + 1;
    if (n + 1 === BATCH) this.flush();
  }

  /** Joins the batched probe records, their index slots and first rows loaded first. */
  flush(): void {
    const n = this.probes;
    if (n === 0) return;
    this.probes = 0;
    const slots = this.probeSlots;
    const keys = this.probeKeys;
    const values = this.probeValues;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const { wordShift, wordMask } = this.pages;
    const index = this.index;
    const rows = this.pages.i32;
    const { keyField, offsets, next } = this.layout;
    const keyOffset = offsets[keyField]!;
    let t = 0;
    for (let i = 0; i < n; i++) {
      const s = slots[i]!;
      t ^= index[s >>> shift]![s & within]!;
    }
    const direct = this.direct;
    for (let i = 0; i < n; i++) {
      let s = slots[i]!;
      let e = index[s >>> shift]![s & within]!;
      if (!direct) {
        // the first slot of the key's tag, within the line the first pass loaded
        const tag = mixInt32(keys[i]!) >>> ADDRESS_BITS;
        while (e !== 0 && e >>> ADDRESS_BITS !== tag) {
          s = (s + 1) & mask;
          e = index[s >>> shift]![s & within]!;
        }
      }
      if (e !== 0) {
        const a = (e & ADDRESS_MASK) - 1;
        t ^= rows[a >>> wordShift]![(a & wordMask) + keyOffset]!;
      }
    }
    this.touched ^= t;
    for (let i = 0; i < n; i++) {
      const value = values[i];
      values[i] = undefined;
      const key = keys[i]!;
      let s = slots[i]!;
      let e = index[s >>> shift]![s & within]!;
      if (!direct) {
        // the slot whose rows have this key, if any: its tag first, then its key
        const tag = mixInt32(key) >>> ADDRESS_BITS;
        while (e !== 0) {
          const r = (e & ADDRESS_MASK) - 1;
          if (e >>> ADDRESS_BITS === tag && rows[r >>> wordShift]![(r & wordMask) + keyOffset] === key) break;
          s = (s + 1) & mask;
          e = index[s >>> shift]![s & within]!;
        }
      }
      let a = e & ADDRESS_MASK;
      if (a === 0) {
        if (this.unmatched !== null) this.unmatched(value);
        continue;
      }
      while (a !== 0) {
        const page = (a - 1) >>> wordShift;
        const o = (a - 1) & wordMask;
        this.emit(this.row(page, o), value);
        a = rows[page]![o + next]! >>> 0;
      }
    }
  }

  /** The row at word `o` of row page `page` as a fresh tuple. */
  private row(page: number, o: number): number[] {
    const pages = this.pages;
    return this.layout.codec.read(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, o);
  }

  /** Hands every build record (a fresh tuple) to `to`, giving the pages back as it goes (the index first). */
  handOver(to: (value: number[]) => void): void {
    this.pool.giveAll(this.indexPages);
    this.index = [];
    this.slots = 0;
    this.pages.drain((p, o) => to(this.row(p, o)));
    this.rows = 0;
  }

  /** Gives every page back to the pool. */
  close(): void {
    this.pool.giveAll(this.indexPages);
    this.index = [];
    this.slots = 0;
    this.pages.reset(0);
    this.rows = 0;
    this.probeValues.fill(undefined);
    this.probes = 0;
  }
}
