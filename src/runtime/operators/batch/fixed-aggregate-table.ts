/**
 * FixedAggregateTable: SUM / MIN / MAX per integer key over tuples of numbers, with each record
 * and each group's partial record held as a fixed-width row of int32, float32 and float64 words
 * in managed-memory pages (DuckDB's aggregate hash table keeps fixed-width rows the same way). No
 * record is serialized or deserialized: rows are written and folded in place by generated code.
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

/** At most 2^6 partitions: 64 rows being written at a time, each partition 1/64 of the rows when compacted. */
const MAX_PARTITION_BITS = 6;
/** The budget's pages per partition, at least (fewer partitions for a small budget). */
const PAGES_PER_PARTITION = 16;
/** The share of the budget rows leave free for the compaction index: 2^11 rows of 16 bytes per 32 KiB page, 2^13 slots per index page. */
const INDEX_SHARE = 1 / 64;
/** A compaction's index takes groups up to this share of its slots; the rows past it stay as they are. */
const MAX_LOAD = 0.75;
/** A compaction that leaves less than this share of the row pages free does not pay: the table is full. */
const MIN_FREED = 0.25;
/** Rows after which the table first compacts, before its pages fill: a compaction that folds them into at most a half keeps the table this small. */
const EARLY_ROWS = 1 << 16;
/** Groups whose rows records fold into directly, found by key in a direct-mapped cache (hash bits): 4096 slots. */
const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
/** The compaction index's tag: hash bits below the partition's (ADDRESS_BITS leave 5 bits above the address). */
const TAG_SHIFT = 32 - MAX_PARTITION_BITS - (32 - ADDRESS_BITS);

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
  return { keyField, int32Key: keyKind === "INT", offsets, words, codec: rowCodec(storage, offsets, kinds, keyField, int32, words) };
}

/**
 * Records are not looked up as they arrive, which in a table of a million groups costs a cache
 * miss or two per record: each is appended as a row to one of up to 64 partitions by its key's
 * hash, and a partition's rows are folded into one row per group later (`compact`), one
 * partition at a time, with an index small enough to stay in the processor's cache (DuckDB's
 * radix-partitioned aggregation works the same way). A partition compacts in place: its groups
 * move to the front of its pages in the order of their first rows, a later row folds into its
 * group's row (SUM adds, MIN/MAX compare with NaN last as compareValues, other fields take the
 * later row's value: the last record's, as the general table), and the pages past the groups go
 * back to the pool.
 *
 * With few groups (the first EARLY_ROWS rows fold into at most half as many) the table compacts
 * early and often, and caches where the groups' rows are: a record of a cached group folds
 * straight into its row, so the table stays small. Otherwise it compacts when its rows fill the
 * pool up to a reserve (the index's pages, or the headroom the constructor asks for if more);
 * when that frees less than a quarter of the pages, `add` refuses the record and sets `full`: a
 * combiner then drains, a final instance hands over (`handOver`). A compaction's index takes
 * pages of the reserve; an index that fills leaves the partition's remaining rows as they are and
 * `compact` returns false (a final instance hands over then too). Index slots hold a row's
 * address within its partition (page << wordShift | 4-byte word, plus one; 0 is empty) tagged
 * with hash bits (ADDRESS_BITS).
 *
 * Lifecycle: add* -> drain (any time) or compact + emitAll / emitPausing -> close (always); or
 * handOver -> close. Memory: every page from `pool`.
 */
export class FixedAggregateTable {
  private readonly codec: RowCodec;
  private readonly parts: RowPages[] = [];
  /** Per partition: its first rows that hold one group each (compacted). */
  private readonly groups: Int32Array;
  /** `(hash >>> 1) >>> partShift` is a record's partition (0 with one partition). */
  private readonly partShift: number;
  /** Pages that rows leave in the pool for the compaction index. */
  private readonly reserve: number;
  private rows = 0;
  private isFull = false;
  /** Rows at which `add` compacts before the pages fill (few groups: the rows stay in the cache); Infinity once that stopped paying. */
  private compactAt = EARLY_ROWS;
  /** Whether compactions cache groups and records look them up: while compacting early pays. */
  private caching = true;
  /**
   * Per cache slot: a group's key, its row's address within its partition plus one (0: empty),
   * and the partition's compaction count when it was cached (a compaction moves rows).
   */
  private readonly cacheKeys = new Float64Array(1 << CACHE_BITS);
  private readonly cacheAddresses = new Int32Array(1 << CACHE_BITS);
  private readonly cacheEpochs = new Uint32Array(1 << CACHE_BITS);
  /** Per partition: how often it was compacted or emptied. */
  private readonly epochs: Uint32Array;

  constructor(
    private readonly pool: PagePool,
    private readonly layout: FixedLayout,
    private readonly emit: (value: number[]) => void,
    /** Pages the rows leave free besides the index's: what a table taking over (handOver) needs to start with. */
    headroom = 0,
  ) {
    this.codec = layout.codec;
    const budget = pool.totalPages;
    const bits = Math.max(0, Math.min(MAX_PARTITION_BITS, Math.floor(Math.log2(budget / PAGES_PER_PARTITION))));
    for (let p = 0; p < 1 << bits; p++) this.parts.push(new RowPages(pool, layout.words));
    this.groups = new Int32Array(1 << bits);
    this.epochs = new Uint32Array(1 << bits).fill(1);
    this.partShift = 31 - bits;
    this.reserve = Math.max(1, headroom, Math.ceil(budget * INDEX_SHARE));
  }

  /** Rows held: an upper bound on the groups, exact right after a complete `compact`. */
  get size(): number {
    return this.rows;
  }

  /** True after `add` refused a record for want of memory, until the table is drained. */
  get full(): boolean {
    return this.isFull;
  }

  /**
   * Writes `value` as a row of its partition; false, with nothing taken, when the record does not
   * fit the layout (a field that is not a number, an int32 field that holds no int32) or the table
   * is `full`.
   */
  add(value: number[]): boolean {
    const { codec, layout } = this;
    if (!codec.fits(value)) return false;
    const key = value[layout.keyField]!;
    if (!layout.int32Key && !Number.isSafeInteger(key)) return false;
    const hash = hashNumberKey(key, layout.int32Key);
    const p = (hash >>> 1) >>> this.partShift;
    const pages = this.parts[p]!;
    // room first: a compaction moves rows and caches groups anew, perhaps this key's
    if (pages.full && !this.makeRoom(pages)) return false;
    const c = hash & CACHE_MASK;
    const cached = this.cacheAddresses[c]!;
    if (this.caching && cached !== 0 && this.cacheKeys[c] === key && this.cacheEpochs[c] === this.epochs[p]) {
      // a group in the cache: its row takes the record now (no row of the key can follow it before the next compaction)
      const a = cached - 1;
      const page = a >>> pages.wordShift;
      codec.fold(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, a & pages.wordMask, value);
      return true;
    }
    const address = pages.append();
    const page = address >>> pages.wordShift;
    codec.put(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, address & pages.wordMask, value);
    if (++this.rows >= this.compactAt) this.compactEarly();
    return true;
  }

  /** Compacts while the rows fold well (into at most a half), keeping the table small; stops trying once they do not. */
  private compactEarly(): void {
    const before = this.rows;
    this.compact();
    const pays = this.rows * 2 <= before;
    this.compactAt = pays ? this.rows + Math.max(EARLY_ROWS, this.rows) : Infinity;
    this.caching = pays;
  }

  /** Room for a row of `pages`: a page while the pool keeps its reserve, else what a compaction frees. */
  private makeRoom(pages: RowPages): boolean {
    const pool = this.pool;
    if (pool.available() <= this.reserve || !pages.canGrow()) {
      this.compact();
      const rowPages = pool.totalPages - this.reserve;
      if (pool.available() - this.reserve < rowPages * MIN_FREED) return this.refuse();
      if (!pages.full) return true;
      if (!pages.canGrow()) return this.refuse();
    }
    pages.addPage();
    return true;
  }

  private refuse(): false {
    this.isFull = true;
    return false;
  }

  /**
   * Folds each partition's rows into one row per group; false when an index filled (the pool had
   * too few pages for it), leaving some groups in several rows.
   */
  compact(): boolean {
    const parts = this.parts;
    const pool = this.pool;
    let most = 0;
    for (let p = 0; p < parts.length; p++) if (parts[p]!.rows > this.groups[p]!) most = Math.max(most, parts[p]!.rows);
    if (most === 0) return true;
    // one index for every partition, as large as the largest needs (two slots per row) or the pool allows
    const slotsPerPage = pool.pageSize / 4;
    let indexPages = 1;
    while (indexPages * slotsPerPage < 2 * most && indexPages * 2 <= pool.available()) indexPages *= 2;
    if (pool.available() < indexPages) return false;
    const segments: MemorySegment[] = [];
    const index: Uint32Array[] = [];
    for (let i = 0; i < indexPages; i++) {
      const seg = pool.take();
      segments.push(seg);
      index.push(new Uint32Array(seg.arrayBuffer, 0, slotsPerPage));
    }
    let complete = true;
    try {
      for (let p = 0; p < parts.length; p++) {
        const rows = parts[p]!.rows;
        if (rows <= this.groups[p]!) continue;
        let slots = slotsPerPage;
        while (slots < 2 * rows && slots < indexPages * slotsPerPage) slots *= 2;
        for (let i = 0; i < slots / slotsPerPage; i++) index[i]!.fill(0);
        complete = this.compactPartition(p, index, slots) && complete;
      }
    } finally {
      pool.giveAll(segments);
    }
    return complete;
  }

  /** Compacts partition `p` with `index` (`slots` slots, cleared); false when the index filled first. */
  private compactPartition(p: number, index: Uint32Array[], slots: number): boolean {
    const { codec, layout } = this;
    const pages = this.parts[p]!;
    const words = layout.words;
    const int32Key = layout.int32Key;
    const { wordShift, wordMask } = pages;
    const pageWords = 1 << wordShift;
    const mask = slots - 1;
    const shift = Math.log2(index[0]!.length);
    const within = (1 << shift) - 1;
    const maxGroups = Math.floor(slots * MAX_LOAD);
    const rowsBefore = pages.rows;
    // rows move: the cached addresses of this partition are void, and its groups are cached anew
    const epoch = ++this.epochs[p]!;
    const { cacheKeys, cacheAddresses, cacheEpochs, caching } = this;
    // the cursor: where the next group's row goes
    let wp = 0;
    let wo = 0;
    let groups = 0;
    let overflow = false;
    const pageCount = pages.segments.length;
    for (let rp = 0; rp < pageCount; rp++) {
      const end = pages.end(rp);
      const i32 = pages.i32[rp]!;
      const f32 = pages.f32[rp]!;
      const f64 = pages.f64[rp]!;
      for (let o = 0; o < end; o += words) {
        const key = codec.key(i32, f64, o);
        // hashNumberKey, written out for int32 keys: this loop is compiled early (EARLY_ROWS) and must not keep a call per row
        let hash: number;
        if (int32Key) {
          hash = Math.imul(key ^ (key >>> 16), 0x85ebca6b);
          hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
          hash = (hash ^ (hash >>> 16)) >>> 0;
        } else hash = hashNumberKey(key, false);
        const tag = (hash >>> TAG_SHIFT) & 31;
        let s = hash & mask;
        let e = index[s >>> shift]![s & within]!;
        while (e !== 0) {
          if (e >>> ADDRESS_BITS === tag) {
            const a = (e & ADDRESS_MASK) - 1;
            const gp = a >>> wordShift;
            const go = a & wordMask;
            if (codec.key(pages.i32[gp]!, pages.f64[gp]!, go) === key) break;
          }
          s = (s + 1) & mask;
          e = index[s >>> shift]![s & within]!;
        }
        if (e !== 0) {
          const a = (e & ADDRESS_MASK) - 1;
          const gp = a >>> wordShift;
          codec.foldRow(pages.i32[gp]!, pages.f32[gp]!, pages.f64[gp]!, a & wordMask, i32, f32, f64, o);
          continue;
        }
        // a new group, or with the index full a row that stays as it is: either way it moves to the cursor
        if (wo + words > pageWords) {
          wp++;
          wo = 0;
        }
        if (wp !== rp || wo !== o) codec.copyRow(pages.i32[wp]!, wo, i32, o);
        if (groups < maxGroups) {
          const address = ((wp << wordShift) | wo) + 1;
          index[s >>> shift]![s & within] = (tag << ADDRESS_BITS) | address;
          if (caching) {
            const c = hash & CACHE_MASK;
            cacheKeys[c] = key;
            cacheAddresses[c] = address;
            cacheEpochs[c] = epoch;
          }
          groups++;
        } else overflow = true;
        wo += words;
      }
    }
    pages.truncate(wp, wo);
    this.groups[p] = groups;
    this.rows -= rowsBefore - pages.rows;
    return !overflow;
  }

  /** Combine: compacts, emits every row and empties the table (which stays usable); returns the rows emitted. */
  drain(): number {
    this.compact();
    const n = this.rows;
    this.emitAll();
    this.isFull = false;
    this.compactAt = EARLY_ROWS;
    this.caching = true;
    return n;
  }

  /** Emits every row as a tuple and forgets them (call `compact` first: true for a final instance). */
  emitAll(): void {
    const { codec, parts } = this;
    for (let p = 0; p < parts.length; p++) {
      const pages = parts[p]!;
      pages.forEach((page, o) => this.emit(codec.read(pages.i32[page]!, pages.f32[page]!, pages.f64[page]!, o)));
      pages.reset(1);
    }
    this.forgetRows();
  }

  /**
   * At the end of the input: emits every row as emitAll does, calling `pause` after each row page
   * and awaiting what it returns (OperatorContext.yieldIfDue), so that the consumers of a large
   * result keep up instead of its buffers spilling.
   */
  async emitPausing(pause: () => Promise<void> | undefined): Promise<void> {
    for (const pages of this.parts) {
      for (let p = 0; p < pages.segments.length; p++) {
        this.emitPage(pages, p);
        const wait = pause();
        if (wait !== undefined) await wait;
      }
      pages.reset(0);
    }
    this.forgetRows();
  }

  /** Emits the rows of page `p` of `pages` (a plain method: the engine compiles it apart from the async loop above). */
  private emitPage(pages: RowPages, p: number): void {
    const codec = this.codec;
    const words = this.layout.words;
    const [i32, f32, f64, end] = [pages.i32[p]!, pages.f32[p]!, pages.f64[p]!, pages.end(p)];
    for (let o = 0; o < end; o += words) this.emit(codec.read(i32, f32, f64, o));
  }

  /**
   * Hands every row to `to` as a record (a group's partial or a record not folded yet: the same
   * to a table that folds them), giving each row page back to the pool once read. The table is
   * empty and unusable afterwards except for `close`.
   */
  handOver(to: (value: number[]) => void): void {
    const codec = this.codec;
    for (const pages of this.parts) pages.drain((p, o) => to(codec.read(pages.i32[p]!, pages.f32[p]!, pages.f64[p]!, o)));
    this.forgetRows();
  }

  /** After the pages were emptied: no groups, nothing cached. */
  private forgetRows(): void {
    this.groups.fill(0);
    for (let p = 0; p < this.epochs.length; p++) this.epochs[p]!++;
    this.rows = 0;
  }

  /** Gives every page back to the pool. */
  close(): void {
    for (const pages of this.parts) pages.reset(0);
    this.forgetRows();
  }
}

/** A key's hash: an int32's bits mixed, or a safe integer's two 32-bit halves. */
function hashNumberKey(key: number, int32: boolean): number {
  if (int32) return mixInt32(key);
  const high = Math.floor(key / 4294967296);
  return mixInt32((key | 0) ^ Math.imul(high | 0, 0x9e3779b1));
}
