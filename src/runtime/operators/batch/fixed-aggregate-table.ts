/**
 * FixedAggregateTable: SUM / MIN / MAX per integer key over tuples of numbers, with each group's
 * partial record held as a row of float64 words in managed-memory pages (DuckDB's aggregate
 * hash table keeps fixed-width rows the same way). No record is serialized or deserialized per
 * update: a record's fields are folded into its group's words in place.
 *
 * It serves AggregateOperator when the layout allows (`fixedAggregateLayout`); the general
 * GroupingHashTable serves every other case, and takes over (`handOver`) when a final table
 * runs out of memory or a record does not fit the layout, because only it spills.
 */
import type { TypeInformation } from "../../../types/type-information.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { ADDRESS_BITS, ADDRESS_MASK, mixInt32 } from "../join/join-key.ts";
import type { PagePool } from "../join/page-pool.ts";
import type { AggregationSpec } from "./aggregation.ts";
import { F64, FIELD_STORAGE, MAX, MIN, NONE, type RowCodec, rowCodec, RowPages, rowShape, SUM } from "../join/fixed-rows.ts";

/** Records folded in together: enough for their cache misses to overlap (as KeyBatch). */
const BATCH = 256;
/** The index grows past this share of used slots; without pages to grow, the table is full past MAX_LOAD. */
const GROW_LOAD = 0.5;
const MAX_LOAD = 0.75;

/** Where a record's fields go in a row; how each folds is in the codec. */
export interface FixedLayout {
  readonly keyField: number;
  /** The key is an INT: hashed without a division, checked with `| 0`. */
  readonly int32Key: boolean;
  /** Per field: its 4-byte word within the row. */
  readonly offsets: Int32Array;
  /** 4-byte words per row. */
  readonly words: number;
  readonly codec: RowCodec;
}

/**
 * The layout for `aggregations` grouped by tuple field `keyField` of `inputType`, or null when
 * the table cannot hold them: a tuple type whose fields are all non-null INT, LONG, FLOAT or
 * DOUBLE, an INT or LONG key field that is not aggregated, aggregations on tuple positions.
 * SUMs are kept as float64 (INT sums widen to LONG, FLOAT sums to DOUBLE, as the general table's
 * partial type does).
 */
export function fixedAggregateLayout(inputType: TypeInformation | undefined, keyField: unknown, aggregations: readonly AggregationSpec[]): FixedLayout | null {
  if (inputType?.kind !== "TUPLE" || inputType.fieldTypes === undefined || typeof keyField !== "number") return null;
  const types = inputType.fieldTypes;
  if (keyField < 0 || keyField >= types.length || !types.every((t) => t.kind in FIELD_STORAGE)) return null;
  const keyKind = types[keyField]!.kind;
  if (keyKind !== "LONG" && keyKind !== "INT") return null;
  const kinds = new Int8Array(types.length);
  for (const a of aggregations) {
    if (typeof a.field !== "number" || a.field < 0 || a.field >= types.length || kinds[a.field] !== NONE) return null;
    kinds[a.field] = a.agg === "SUM" ? SUM : a.agg === "MIN" ? MIN : MAX;
  }
  // the key field's word holds the key (a group's records all carry it), so it cannot be aggregated
  if (kinds[keyField] !== NONE) return null;
  const int32 = Uint8Array.from(types, (t) => (t.kind === "INT" ? 1 : 0));
  const storage = Uint8Array.from(types, (t, f) => (kinds[f] === SUM ? F64 : FIELD_STORAGE[t.kind]!));
  const { offsets, words } = rowShape(storage);
  return { keyField, int32Key: keyKind === "INT", offsets, words, codec: rowCodec(storage, offsets, kinds, keyField, int32) };
}

/**
 * Rows are fixed-width records of int32, float32 and float64 fields on row pages (FixedLayout);
 * the index is open addressing with linear probing over index pages of row addresses (page <<
 * wordShift | 4-byte word, plus one; 0 is empty) tagged with the key's hash (ADDRESS_BITS). A record folds in as a SUM adds, MIN/MAX
 * compare (NaN sorting last, as compareValues) and other fields take the record's value (the
 * last record, as the general table). A row of (INT key, INT, DOUBLE sum) takes 16 bytes and an
 * index slot 4, at most two slots per row: a million groups fit in the processor's last-level
 * cache far better than serialized entries with headers do.
 *
 * When the pool runs dry the table calls `onFull`, which must either `drain` it (a combiner) or
 * `handOver` its groups to a GroupingHashTable (a final instance).
 *
 * Records are folded in batches: `add` keeps a reference to the record until the batch is full or
 * `flush` runs (the same rule as GroupingHashTable). Lifecycle: add* -> drain (any time) or
 * finish -> close (always). Memory: every page from `pool`.
 */
export class FixedAggregateTable {
  private readonly codec: RowCodec;
  private readonly pages: RowPages;
  private indexPages: MemorySegment[] = [];
  private indexViews: Uint32Array[] = [];
  /** log2 of the slots per index page. */
  private readonly slotShift: number;
  private slots = 0;
  private rows = 0;
  private readonly batchValues: (number[] | undefined)[] = new Array(BATCH).fill(undefined);
  private readonly batchHashes = new Uint32Array(BATCH);
  /** growIndex's batches (it runs in the middle of a flush, whose batch is in use). */
  private readonly rehashes = new Uint32Array(BATCH);
  private readonly readdresses = new Int32Array(BATCH);
  private batchSize = 0;
  private touched = 0;
  private flushing = false;
  private handedOver = false;

  constructor(
    private readonly pool: PagePool,
    private readonly layout: FixedLayout,
    private readonly emit: (value: number[]) => void,
    private readonly onFull: () => void,
  ) {
    this.codec = layout.codec;
    this.pages = new RowPages(pool, layout.words);
    this.slotShift = Math.log2(pool.pageSize / 4);
  }

  /** Groups held, counting each record still waiting in the batch as one (an upper bound). */
  get size(): number {
    return this.rows + this.batchSize;
  }

  /**
   * Folds `value` into its group (in a batch); false, with nothing taken, when the record does
   * not fit the layout (a field that is not a number, an int32 field that holds no int32).
   */
  add(value: number[]): boolean {
    const layout = this.layout;
    if (!this.codec.fits(value)) return false;
    const key = value[layout.keyField]!;
    if (!layout.int32Key && !Number.isSafeInteger(key)) return false;
    const n = this.batchSize;
    this.batchHashes[n] = layout.int32Key ? mixInt32(key) : hashLong(key);
    this.batchValues[n] = value;
    this.batchSize = n + 1;
    if (n + 1 === BATCH) this.flush();
    return true;
  }

  /** Folds the batched records in, in arrival order, after loading their index slots and rows. */
  flush(): void {
    const n = this.batchSize;
    if (n === 0 || this.flushing) return;
    const hashes = this.batchHashes;
    const values = this.batchValues;
    if (this.slots > 0) {
      const mask = this.slots - 1;
      const shift = this.slotShift;
      const within = (1 << shift) - 1;
      const { wordShift, wordMask, i32 } = this.pages;
      const index = this.indexViews;
      let t = 0;
      for (let i = 0; i < n; i++) {
        const s = hashes[i]! & mask;
        t ^= index[s >>> shift]![s & within]!;
      }
      for (let i = 0; i < n; i++) {
        const hash = hashes[i]!;
        const tag = hash >>> ADDRESS_BITS;
        let s = hash & mask;
        let e = index[s >>> shift]![s & within]!;
        // the first slot of the key's tag, within the line the first pass loaded
        while (e !== 0 && e >>> ADDRESS_BITS !== tag) {
          s = (s + 1) & mask;
          e = index[s >>> shift]![s & within]!;
        }
        if (e !== 0) {
          const a = (e & ADDRESS_MASK) - 1;
          t ^= i32[a >>> wordShift]![a & wordMask]!;
        }
      }
      this.touched ^= t;
    }
    this.flushing = true;
    let i = 0;
    try {
      for (; i < n && !this.handedOver; i++) {
        this.fold(values[i]!, hashes[i]!);
        values[i] = undefined;
      }
    } finally {
      for (; i < n; i++) values[i] = undefined;
      this.batchSize = 0;
      this.flushing = false;
    }
  }

  private fold(value: number[], hash: number): void {
    if (this.slots === 0 && !this.growIndex()) return this.reject(value, hash);
    const key = value[this.layout.keyField]!;
    const codec = this.codec;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const pages = this.pages;
    const { wordShift, wordMask } = pages;
    const index = this.indexViews;
    const tag = hash >>> ADDRESS_BITS;
    let s = hash & mask;
    for (;;) {
      const e = index[s >>> shift]![s & within]!;
      if (e === 0) break;
      if (e >>> ADDRESS_BITS === tag) {
        const a = (e & ADDRESS_MASK) - 1;
        const page = a >>> wordShift;
        const o = a & wordMask;
        const i32 = pages.i32[page]!;
        const f64 = pages.f64[page]!;
        if (codec.key(i32, f64, o) === key) {
          codec.fold(i32, pages.f32[page]!, f64, o, value);
          return;
        }
      }
      s = (s + 1) & mask;
    }
    // a new group: room on a row page (addresses fit their ADDRESS_BITS), and an index below its load
    if (pages.full) {
      if (this.pool.available() === 0 || !pages.canGrow()) return this.reject(value, hash);
      pages.addPage();
    }
    const rows = this.rows + 1;
    if (rows > this.slots * GROW_LOAD && !this.growIndex() && rows > this.slots * MAX_LOAD) return this.reject(value, hash);
    const address = pages.append();
    const page = address >>> wordShift;
    codec.put(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, address & wordMask, value);
    this.rows = rows;
    this.insert(hash, address + 1);
  }

  /**
   * No room for `value`'s group: `onFull` drains the table (combine), after which the record
   * folds into the empty table, or hands it over (final), which takes the record along with the
   * rest of the batch.
   */
  private reject(value: number[], hash: number): void {
    this.onFull();
    if (this.handedOver) return;
    if (this.rows === 0 && this.slots > 0 && this.pages.segments.length > 0) return this.fold(value, hash);
    throw this.pool.exhausted(2, "for a group of the aggregate's hash table");
  }

  private insert(hash: number, address: number): void {
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    let s = hash & mask;
    for (;;) {
      const page = this.indexViews[s >>> shift]!;
      if (page[s & within] === 0) {
        page[s & within] = ((hash >>> ADDRESS_BITS) << ADDRESS_BITS) | address;
        return;
      }
      s = (s + 1) & mask;
    }
  }

  /** Doubles the index (one page to start) and reinserts the rows; false when the pool has no pages for it. */
  private growIndex(): boolean {
    const slots = this.slots === 0 ? 1 << this.slotShift : this.slots * 2;
    const indexPages = slots >>> this.slotShift;
    if (this.pool.available() < indexPages) return false;
    const old = this.indexPages;
    this.indexPages = [];
    this.indexViews = [];
    for (let i = 0; i < indexPages; i++) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      this.indexPages.push(seg);
      this.indexViews.push(new Uint32Array(seg.arrayBuffer));
    }
    this.pool.giveAll(old);
    this.slots = slots;
    const int32Key = this.layout.int32Key;
    const codec = this.codec;
    const pages = this.pages;
    // rows go in by batches whose slots are loaded first, as flush does for lookups
    const hashes = this.rehashes;
    const addresses = this.readdresses;
    let n = 0;
    pages.forEach((p, o, address) => {
      const key = codec.key(pages.i32[p]!, pages.f64[p]!, o);
      hashes[n] = int32Key ? mixInt32(key) : hashLong(key);
      addresses[n++] = address + 1;
      if (n === BATCH) n = this.reinsert(n);
    });
    this.reinsert(n);
    return true;
  }

  /** Inserts the `n` rows of growIndex's batch, their slots loaded first; returns 0. */
  private reinsert(n: number): number {
    const hashes = this.rehashes;
    const addresses = this.readdresses;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    let t = 0;
    for (let i = 0; i < n; i++) t ^= this.indexViews[(hashes[i]! & mask) >>> shift]![hashes[i]! & mask & within]!;
    this.touched ^= t;
    for (let i = 0; i < n; i++) this.insert(hashes[i]!, addresses[i]!);
    return 0;
  }

  /** Combine: emits every group's partial record and empties the table (which stays usable, its row pages kept). */
  drain(): void {
    this.flush();
    this.emitRows(this.emit, false);
    for (const page of this.indexViews) page.fill(0);
  }

  /** Final: emits every group. */
  finish(): void {
    this.flush();
    this.emitRows(this.emit, false);
  }

  /**
   * At the end of the input (either role): emits every group as finish does, calling `pause`
   * after each row page and awaiting what it returns (OperatorContext.yieldIfDue), so that the
   * consumers of a large result keep up instead of its buffers spilling.
   */
  async finishPausing(pause: () => Promise<void> | undefined): Promise<void> {
    this.flush();
    const pages = this.pages;
    for (let p = 0; p < pages.segments.length; p++) {
      this.emitPage(p);
      const wait = pause();
      if (wait !== undefined) await wait;
    }
    pages.reset(1);
    this.rows = 0;
  }

  /** Emits the rows of row page `p` (a plain method: the engine compiles it apart from the async loop above). */
  private emitPage(p: number): void {
    const { codec, pages } = this;
    const words = this.layout.words;
    const [i32, f32, f64, end] = [pages.i32[p]!, pages.f32[p]!, pages.f64[p]!, pages.end(p)];
    for (let o = 0; o < end; o += words) this.emit(codec.read(i32, f32, f64, o));
  }

  /**
   * Hands every group (as a partial record) and every record still batched to `to`, giving the
   * pages back to the pool as it goes: the index first, then each row page once read. The table
   * is empty and unusable afterwards except for `close`.
   */
  handOver(to: (value: number[]) => void): void {
    this.handedOver = true;
    this.pool.giveAll(this.indexPages);
    this.indexViews = [];
    this.slots = 0;
    // records of the batch not folded yet (called from within flush, the folded ones are cleared)
    const batched = this.batchValues.slice(0, this.batchSize).filter((v) => v !== undefined) as number[][];
    this.batchValues.fill(undefined);
    this.batchSize = 0;
    this.emitRows(to, true);
    for (const value of batched) to(value);
  }

  /**
   * Emits every row as a tuple and forgets them: `release` gives each row page back once read,
   * otherwise the first page stays for the rows to come (a drained combiner refills it).
   */
  private emitRows(to: (value: number[]) => void, release: boolean): void {
    const { codec, pages } = this;
    const read = (p: number, o: number) => to(codec.read(pages.i32[p]!, pages.f32[p]!, pages.f64[p]!, o));
    if (release) pages.drain(read);
    else {
      pages.forEach(read);
      pages.reset(1);
    }
    this.rows = 0;
  }

  /** Gives every page back to the pool. */
  close(): void {
    this.pool.giveAll(this.indexPages);
    this.indexViews = [];
    this.pages.reset(0);
    this.slots = 0;
    this.rows = 0;
    this.batchValues.fill(undefined);
    this.batchSize = 0;
  }
}

/** A safe-integer key's two 32-bit halves, mixed. */
function hashLong(key: number): number {
  const high = Math.floor(key / 4294967296);
  return mixInt32((key | 0) ^ Math.imul(high | 0, 0x9e3779b1));
}
