/**
 * FixedJoinTable: the build side of an inner hash join whose build records are tuples of
 * numbers with an int32 key field, held as rows of float64 words in managed-memory pages and
 * probed without serializing either side (FixedAggregateTable's layout, with duplicate keys
 * chained). HybridHashJoin uses it while the build side fits and hands its rows over to the
 * spilling MutableHashTable when it does not.
 */
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import { mixInt32 } from "./join-key.ts";
import type { PagePool } from "./page-pool.ts";

/** Probe records looked up together: enough for their cache misses to overlap (as KeyBatch). */
const BATCH = 128;
const GROW_LOAD = 0.5;
const MAX_LOAD = 0.75;

const NUMERIC = new Set(["INT", "LONG", "SHORT", "BYTE", "FLOAT", "DOUBLE"]);
const INT32 = new Set(["INT", "SHORT", "BYTE"]);

/** Build rows: `width` field words and a chain word (the next row of the key, address + 1, or 0). */
export interface FixedJoinLayout {
  readonly width: number;
  readonly keyField: number;
  /** Per field: 1 when the type is an int32, so a value must be one. */
  readonly int32: Uint8Array;
}

/** The layout for build records of `type` keyed by tuple field `keyField`, or null when the table cannot hold them. */
export function fixedJoinLayout(type: TypeInformation | undefined, keyField: unknown): FixedJoinLayout | null {
  if (type?.kind !== "TUPLE" || type.fieldTypes === undefined || typeof keyField !== "number") return null;
  const types = type.fieldTypes;
  if (keyField < 0 || keyField >= types.length || !types.every((t) => NUMERIC.has(t.kind)) || !INT32.has(types[keyField]!.kind)) return null;
  return { width: types.length, keyField, int32: Uint8Array.from(types, (t) => (INT32.has(t.kind) ? 1 : 0)) };
}

/**
 * Open addressing over index pages of row addresses (page << wordShift | word offset, plus one),
 * one slot per distinct key pointing at the key's last row; rows of one key are chained.
 *
 * Lifecycle: add* (false: full, or a record that does not fit; the caller then hands over) ->
 * probe* -> flush -> close; or handOver -> close. Memory: every page from `pool`.
 */
export class FixedJoinTable {
  private readonly words: number;
  private readonly wordShift: number;
  private readonly rowPages: MemorySegment[] = [];
  private readonly rowViews: Float64Array[] = [];
  private nextWord: number;
  private indexPages: MemorySegment[] = [];
  private indexViews: Uint32Array[] = [];
  private readonly slotShift: number;
  private slots = 0;
  private keys = 0;
  private readonly probeValues: unknown[] = new Array(BATCH).fill(undefined);
  private readonly probeKeys = new Float64Array(BATCH);
  private readonly probeHashes = new Uint32Array(BATCH);
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
    this.words = layout.width + 1;
    this.wordShift = Math.log2(pool.pageSize / 8);
    this.slotShift = Math.log2(pool.pageSize / 4);
    this.nextWord = 1 << this.wordShift;
  }

  /** Inserts a build record; false, with nothing taken, when it does not fit the layout or memory. */
  add(value: number[]): boolean {
    const { width, int32, keyField } = this.layout;
    if (!Array.isArray(value) || value.length !== width) return false;
    for (let i = 0; i < width; i++) {
      const v = value[i];
      if (typeof v !== "number" || (int32[i] === 1 && (v | 0) !== v)) return false;
    }
    const wordShift = this.wordShift;
    const pageWords = 1 << wordShift;
    const newPage = this.nextWord + this.words > pageWords;
    const growPages = this.keys + 1 > this.slots * GROW_LOAD ? Math.max(1, (this.slots * 2) >>> this.slotShift) : 0;
    // room for a row page and the index growth, or at least a load below MAX_LOAD without growing
    if ((newPage ? 1 : 0) + growPages > this.pool.available()) {
      if (newPage && this.pool.available() === 0) return false;
      if (this.keys + 1 > this.slots * MAX_LOAD) return false;
    } else if (growPages > 0) this.growIndex();
    if (newPage) {
      const seg = this.pool.take();
      this.rowPages.push(seg);
      this.rowViews.push(new Float64Array(seg.arrayBuffer, 0, pageWords));
      this.nextWord = 0;
    }
    const page = this.rowViews.length - 1;
    const view = this.rowViews[page]!;
    const o = this.nextWord;
    for (let i = 0; i < width; i++) view[o + i] = value[i]!;
    this.nextWord = o + this.words;
    const address = ((page << wordShift) | o) + 1;
    const key = value[keyField]!;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    let s = mixInt32(key) & mask;
    for (;;) {
      const index = this.indexViews[s >>> shift]!;
      const a = index[s & within]!;
      if (a === 0) {
        view[o + width] = 0;
        index[s & within] = address;
        this.keys++;
        return true;
      }
      if (this.rowViews[(a - 1) >>> wordShift]![((a - 1) & (pageWords - 1)) + keyField] === key) {
        view[o + width] = a;
        index[s & within] = address;
        return true;
      }
      s = (s + 1) & mask;
    }
  }

  /** Joins `value` (whose key is `key`) with its build rows, in a batch: call `flush` at the end. */
  probe(value: unknown, key: unknown): void {
    if (typeof key !== "number" || (key | 0) !== key || this.slots === 0) {
      // build keys are int32 numbers: no other key equals one
      if (this.unmatched !== null) this.unmatched(value);
      return;
    }
    const n = this.probes;
    this.probeValues[n] = value;
    this.probeKeys[n] = key;
    this.probeHashes[n] = mixInt32(key);
    this.probes = n + 1;
    if (n + 1 === BATCH) this.flush();
  }

  /** Joins the batched probe records, their index slots and first rows loaded first. */
  flush(): void {
    const n = this.probes;
    if (n === 0) return;
    this.probes = 0;
    const hashes = this.probeHashes;
    const keys = this.probeKeys;
    const values = this.probeValues;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const wordShift = this.wordShift;
    const wordMask = (1 << wordShift) - 1;
    const index = this.indexViews;
    const rows = this.rowViews;
    const keyField = this.layout.keyField;
    const width = this.layout.width;
    let t = 0;
    for (let i = 0; i < n; i++) {
      const s = hashes[i]! & mask;
      t ^= index[s >>> shift]![s & within]!;
    }
    for (let i = 0; i < n; i++) {
      const s = hashes[i]! & mask;
      const a = index[s >>> shift]![s & within]!;
      if (a !== 0) t ^= rows[(a - 1) >>> wordShift]![((a - 1) & wordMask) + keyField]!;
    }
    this.touched ^= t;
    for (let i = 0; i < n; i++) {
      const value = values[i];
      values[i] = undefined;
      const key = keys[i]!;
      let s = hashes[i]! & mask;
      let a = 0;
      for (;;) {
        a = index[s >>> shift]![s & within]!;
        if (a === 0 || rows[(a - 1) >>> wordShift]![((a - 1) & wordMask) + keyField] === key) break;
        s = (s + 1) & mask;
      }
      if (a === 0) {
        if (this.unmatched !== null) this.unmatched(value);
        continue;
      }
      while (a !== 0) {
        const view = rows[(a - 1) >>> wordShift]!;
        const o = (a - 1) & wordMask;
        const build = new Array<number>(width);
        for (let f = 0; f < width; f++) build[f] = view[o + f]!;
        this.emit(build, value);
        a = view[o + width]!;
      }
    }
  }

  /** Doubles the index (one page to start) and relinks every key's chain head. */
  private growIndex(): void {
    const slots = this.slots === 0 ? 1 << this.slotShift : this.slots * 2;
    const old = this.indexPages;
    const oldViews = this.indexViews;
    const oldSlots = this.slots;
    this.indexPages = [];
    this.indexViews = [];
    for (let i = slots >>> this.slotShift; i > 0; i--) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      this.indexPages.push(seg);
      this.indexViews.push(new Uint32Array(seg.arrayBuffer));
    }
    this.slots = slots;
    // the old slots hold each key's chain head: move them (rows keep their chains)
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const wordShift = this.wordShift;
    const wordMask = (1 << wordShift) - 1;
    const keyField = this.layout.keyField;
    for (let s = 0; s < oldSlots; s++) {
      const a = oldViews[s >>> shift]![s & within]!;
      if (a === 0) continue;
      const key = this.rowViews[(a - 1) >>> wordShift]![((a - 1) & wordMask) + keyField]!;
      let t = mixInt32(key) & (slots - 1);
      while (this.indexViews[t >>> shift]![t & within] !== 0) t = (t + 1) & (slots - 1);
      this.indexViews[t >>> shift]![t & within] = a;
    }
    this.pool.giveAll(old);
  }

  /** Hands every build record (a fresh tuple) to `to`, giving the pages back as it goes (the index first). */
  handOver(to: (value: number[]) => void): void {
    this.pool.giveAll(this.indexPages);
    this.indexViews = [];
    this.slots = 0;
    this.keys = 0;
    const width = this.layout.width;
    const last = this.rowViews.length - 1;
    for (let p = 0; p <= last; p++) {
      const view = this.rowViews[p]!;
      const end = p === last ? this.nextWord : Math.floor(view.length / this.words) * this.words;
      for (let o = 0; o < end; o += this.words) {
        const out = new Array<number>(width);
        for (let f = 0; f < width; f++) out[f] = view[o + f]!;
        to(out);
      }
      this.pool.give(this.rowPages[p]!);
    }
    this.rowPages.length = 0;
    this.rowViews.length = 0;
    this.nextWord = 1 << this.wordShift;
  }

  /** Gives every page back to the pool. */
  close(): void {
    this.pool.giveAll(this.indexPages);
    this.indexViews = [];
    this.pool.giveAll(this.rowPages);
    this.rowViews.length = 0;
    this.slots = 0;
    this.keys = 0;
    this.probeValues.fill(undefined);
    this.probes = 0;
  }
}
