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
import { mixInt32 } from "../join/join-key.ts";
import type { PagePool } from "../join/page-pool.ts";
import type { AggregationSpec } from "./aggregation.ts";

/** Records folded in together: enough for their cache misses to overlap (as KeyBatch). */
const BATCH = 256;
/** The index grows past this share of used slots; without pages to grow, the table is full past MAX_LOAD. */
const GROW_LOAD = 0.5;
const MAX_LOAD = 0.75;

const NONE = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;

/** Field types a row word holds exactly, and which of them are integers (keys, checked fields). */
const NUMERIC = new Set(["INT", "LONG", "FLOAT", "DOUBLE"]);
const INT32 = new Set(["INT"]);

/** Where a record's fields go: word i of a row is field i; the key field's word is the key. */
export interface FixedLayout {
  readonly width: number;
  readonly keyField: number;
  /** The key is an INT: hashed without a division, checked with `| 0`. */
  readonly int32Key: boolean;
  /** Per field: NONE (the last record's value), SUM, MIN or MAX. */
  readonly kinds: Int8Array;
  /** Per field: 1 when the type is an int32, so a value must be one. */
  readonly int32: Uint8Array;
}

/**
 * The layout for `aggregations` grouped by tuple field `keyField` of `inputType`, or null when
 * the table cannot hold them: a tuple type whose fields are all non-null numbers, an integer key
 * field that is not aggregated, aggregations on tuple positions.
 */
export function fixedAggregateLayout(inputType: TypeInformation | undefined, keyField: unknown, aggregations: readonly AggregationSpec[]): FixedLayout | null {
  if (inputType?.kind !== "TUPLE" || inputType.fieldTypes === undefined || typeof keyField !== "number") return null;
  const types = inputType.fieldTypes;
  if (keyField < 0 || keyField >= types.length || !types.every((t) => NUMERIC.has(t.kind))) return null;
  const keyKind = types[keyField]!.kind;
  if (keyKind !== "LONG" && !INT32.has(keyKind)) return null;
  const kinds = new Int8Array(types.length);
  for (const a of aggregations) {
    if (typeof a.field !== "number" || a.field < 0 || a.field >= types.length || kinds[a.field] !== NONE) return null;
    kinds[a.field] = a.agg === "SUM" ? SUM : a.agg === "MIN" ? MIN : MAX;
  }
  // the key field's word holds the key (a group's records all carry it), so it cannot be aggregated
  if (kinds[keyField] !== NONE) return null;
  const int32 = Uint8Array.from(types, (t) => (INT32.has(t.kind) ? 1 : 0));
  return { width: types.length, keyField, int32Key: keyKind !== "LONG", kinds, int32 };
}

/**
 * Rows are `width` float64 words on row pages; the index is open addressing with linear probing
 * over index pages of row addresses (page << wordShift | word offset, plus one; 0 is empty). A
 * record folds in as a SUM adds, MIN/MAX compare (NaN sorting last, as compareValues) and other
 * fields take the record's value (the last record, as the general table). Rows of three fields
 * take 24 bytes and an index slot 4, at most two slots per row: a million groups fit in the
 * processor's last-level cache far better than serialized entries with headers do.
 *
 * When the pool runs dry the table calls `onFull`, which must either `drain` it (a combiner) or
 * `handOver` its groups to a GroupingHashTable (a final instance).
 *
 * Records are folded in batches: `add` keeps a reference to the record until the batch is full or
 * `flush` runs (the same rule as GroupingHashTable). Lifecycle: add* -> drain (any time) or
 * finish -> close (always). Memory: every page from `pool`.
 */
export class FixedAggregateTable {
  private readonly width: number;
  private readonly keyWord: number;
  /** log2 of the float64 words per page; an address's page is `address >>> wordShift`. */
  private readonly wordShift: number;
  private readonly rowPages: MemorySegment[] = [];
  private readonly rowViews: Float64Array[] = [];
  /** The word where the next row goes on the last row page. */
  private nextWord = 0;
  private indexPages: MemorySegment[] = [];
  private indexViews: Uint32Array[] = [];
  /** log2 of the slots per index page. */
  private readonly slotShift: number;
  private slots = 0;
  private rows = 0;
  private readonly batchValues: (number[] | undefined)[] = new Array(BATCH).fill(undefined);
  private readonly batchHashes = new Uint32Array(BATCH);
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
    this.width = layout.width;
    this.keyWord = layout.keyField;
    this.wordShift = Math.log2(pool.pageSize / 8);
    this.slotShift = Math.log2(pool.pageSize / 4);
    this.nextWord = 1 << this.wordShift;
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
    const width = layout.width;
    if (value.length !== width) return false;
    const int32 = layout.int32;
    for (let i = 0; i < width; i++) {
      const v = value[i];
      if (typeof v !== "number" || (int32[i] === 1 && (v | 0) !== v)) return false;
    }
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
      const wordShift = this.wordShift;
      const wordMask = (1 << wordShift) - 1;
      const index = this.indexViews;
      const rows = this.rowViews;
      const keyWord = this.keyWord;
      let t = 0;
      for (let i = 0; i < n; i++) {
        const s = hashes[i]! & mask;
        t ^= index[s >>> shift]![s & within]!;
      }
      for (let i = 0; i < n; i++) {
        const s = hashes[i]! & mask;
        const a = index[s >>> shift]![s & within]!;
        if (a !== 0) t ^= rows[(a - 1) >>> wordShift]![((a - 1) & wordMask) + keyWord]!;
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
    const key = value[this.keyWord]!;
    const mask = this.slots - 1;
    const shift = this.slotShift;
    const within = (1 << shift) - 1;
    const wordShift = this.wordShift;
    const wordMask = (1 << wordShift) - 1;
    const index = this.indexViews;
    let s = hash & mask;
    for (;;) {
      const a = index[s >>> shift]![s & within]!;
      if (a === 0) break;
      const view = this.rowViews[(a - 1) >>> wordShift]!;
      const o = (a - 1) & wordMask;
      if (view[o + this.keyWord] === key) {
        foldInto(view, o, value, this.layout.kinds);
        return;
      }
      s = (s + 1) & mask;
    }
    // a new group: room on a row page, and an index below its load
    if (this.nextWord + this.width > 1 << wordShift) {
      if (this.pool.available() === 0) return this.reject(value, hash);
      const seg = this.pool.take();
      this.rowPages.push(seg);
      this.rowViews.push(new Float64Array(seg.arrayBuffer, 0, 1 << wordShift));
      this.nextWord = 0;
    }
    const rows = this.rows + 1;
    if (rows > this.slots * GROW_LOAD && !this.growIndex() && rows > this.slots * MAX_LOAD) return this.reject(value, hash);
    const page = this.rowViews.length - 1;
    const o = this.nextWord;
    const view = this.rowViews[page]!;
    for (let i = 0; i < value.length; i++) view[o + i] = value[i]!;
    this.nextWord = o + this.width;
    this.rows = rows;
    this.insert(hash, ((page << wordShift) | o) + 1);
  }

  /**
   * No room for `value`'s group: `onFull` drains the table (combine), after which the record
   * folds into the empty table, or hands it over (final), which takes the record along with the
   * rest of the batch.
   */
  private reject(value: number[], hash: number): void {
    this.onFull();
    if (this.handedOver) return;
    if (this.rows === 0 && this.slots > 0 && this.rowPages.length > 0) return this.fold(value, hash);
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
        page[s & within] = address;
        return;
      }
      s = (s + 1) & mask;
    }
  }

  /** Doubles the index (one page to start) and reinserts the rows; false when the pool has no pages for it. */
  private growIndex(): boolean {
    const slots = this.slots === 0 ? 1 << this.slotShift : this.slots * 2;
    const pages = slots >>> this.slotShift;
    if (this.pool.available() < pages) return false;
    const old = this.indexPages;
    this.indexPages = [];
    this.indexViews = [];
    for (let i = 0; i < pages; i++) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      this.indexPages.push(seg);
      this.indexViews.push(new Uint32Array(seg.arrayBuffer));
    }
    this.pool.giveAll(old);
    this.slots = slots;
    const int32Key = this.layout.int32Key;
    const keyWord = this.keyWord;
    this.forEachRow((view, o, address) => {
      const key = view[o + keyWord]!;
      this.insert(int32Key ? mixInt32(key) : hashLong(key), address + 1);
    });
    return true;
  }

  /** Calls `f` with each row's page view, word offset and address, page by page. */
  private forEachRow(f: (view: Float64Array, o: number, address: number) => void, afterPage?: (page: number) => void): void {
    const last = this.rowViews.length - 1;
    for (let p = 0; p <= last; p++) {
      const view = this.rowViews[p]!;
      const end = p === last ? this.nextWord : Math.floor(view.length / this.width) * this.width;
      for (let o = 0; o < end; o += this.width) f(view, o, (p << this.wordShift) | o);
      afterPage?.(p);
    }
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

  /** Emits every row as a tuple and forgets them; `release` gives each row page back once read. */
  private emitRows(to: (value: number[]) => void, release: boolean): void {
    const width = this.width;
    this.forEachRow(
      (view, o) => {
        const out = new Array<number>(width);
        for (let f = 0; f < width; f++) out[f] = view[o + f]!;
        to(out);
      },
      release ? (p) => this.pool.give(this.rowPages[p]!) : undefined,
    );
    if (release) {
      this.rowPages.length = 0;
      this.rowViews.length = 0;
    }
    this.rows = 0;
    // a drained table refills its pages from the first
    if (this.rowViews.length > 0) {
      this.pool.giveAll(this.rowPages.splice(1));
      this.rowViews.length = 1;
    }
    this.nextWord = this.rowViews.length > 0 ? 0 : 1 << this.wordShift;
  }

  /** Gives every page back to the pool. */
  close(): void {
    this.pool.giveAll(this.indexPages);
    this.indexViews = [];
    this.pool.giveAll(this.rowPages);
    this.rowViews.length = 0;
    this.slots = 0;
    this.rows = 0;
    this.nextWord = 1 << this.wordShift;
    this.batchValues.fill(undefined);
    this.batchSize = 0;
  }
}

/** Folds record `value` into the row words at `o` (field i at o + i). */
function foldInto(view: Float64Array, o: number, value: number[], kinds: Int8Array): void {
  for (let i = 0; i < kinds.length; i++) {
    const v = value[i]!;
    const k = kinds[i]!;
    if (k === NONE) view[o + i] = v;
    else if (k === SUM) view[o + i] += v;
    else {
      const acc = view[o + i]!;
      // NaN orders last: MAX takes it, MIN keeps any number over it
      if (k === MIN ? v < acc || acc !== acc : v > acc || (v !== v && acc === acc)) view[o + i] = v;
    }
  }
}


/** A safe-integer key's two 32-bit halves, mixed. */
function hashLong(key: number): number {
  const high = Math.floor(key / 4294967296);
  return mixInt32((key | 0) ^ Math.imul(high | 0, 0x9e3779b1));
}
