/**
 * GroupingHashTable: one running value per grouping key, serialized in managed-memory pages
 * (Flink's InPlaceMutableHashTable behind its hash-based reduce combiner), for grouped reduce and
 * aggregate. A hybrid hash table: past its memory a final instance spills whole partitions and
 * aggregates them afterwards, a combiner hands out everything it holds.
 */
import type { DataInputView } from "../../../types/data-input-view.ts";
import { DataOutputView } from "../../../types/data-output-view.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { hashKeyBytes, levelSeed } from "../join/join-key.ts";
import { KeyBatch } from "../join/key-batch.ts";
import type { PagePool } from "../join/page-pool.ts";
import { MATCHED } from "../join/record-pages.ts";
import { RecordBuffer, type SpillPolicy } from "../join/record-buffer.ts";
import { GroupPartition } from "./group-partition.ts";

/** An entry replaced by a longer or shorter value (the record header's MATCHED bit). */
const DEAD = MATCHED;
/** Records folded in together: enough for their cache misses to overlap. */
const BATCH = 256;
/** A partition spilled at this level is aggregated at the next; past this many levels the data cannot fit. */
const MAX_LEVEL = 12;

/** How records fold into a group's value: `first` makes the value of a new group, `merge` folds a record or another value in. */
export interface GroupingFunctions<T> {
  key: (value: T) => unknown;
  first: (value: T) => T;
  merge: (acc: T, value: T) => T;
  serializer: TypeSerializer<T>;
}

/**
 * The fewest pages a table works with: two partitions of a bucket page and a record page, and
 * for a final table one more, to read a spilled partition with while its entries are grouped
 * again (with fewer, every partition of a level can end up on disk and nothing shrinks).
 */
export const GROUPING_MIN_PAGES = { combine: 4, final: 5 } as const;

/**
 * Entries are records of the join's page format (record-pages.ts), payload `varuint key length,
 * key bytes (join-key.ts encoding), value`, chained into buckets per partition (GroupPartition).
 * A value that serializes to the same length is rewritten in place, otherwise appended and
 * relinked, the old entry marked DEAD.
 *
 * Roles: "combine" calls `onFull` (which should `drain` the table) when the pool runs dry;
 * "final" spills the largest partition instead, appends later records of it to its file, and in
 * `finish` aggregates every spilled partition level by level with a new hash seed.
 *
 * Records are folded in batches (KeyBatch), so `add` keeps a reference to the record until the
 * batch is full or `flush`, `drain` or `finish` runs: a chained function upstream must not change
 * a record after emitting it (Flink's rule under object reuse).
 *
 * Lifecycle: add* -> drain (combine, any time) or finish (final, once) -> close (always; frees
 * pages and files, also after a failure). Memory: every page from `pool`.
 */
export class GroupingHashTable<T> implements SpillPolicy {
  private partitions: GroupPartition[] = [];
  private fanOut = 0;
  private seed = 0;
  private level = 0;
  /** Records waiting for `flush` (KeyBatch). */
  private readonly batch = new KeyBatch(BATCH);
  private flushing = false;
  private readonly valueOut = new DataOutputView(256);
  /** Spilled partitions waiting for `finish`, with the level their records are aggregated at. */
  private pending: { records: RecordBuffer; level: number }[] = [];
  /** Times the table was drained, so an update can tell that its partition was emptied meanwhile. */
  private drains = 0;
  /** Live entries in memory. */
  private entries = 0;

  constructor(
    private readonly pool: PagePool,
    private readonly fns: GroupingFunctions<T>,
    private readonly role: "combine" | "final",
    private readonly emit: (value: T) => void,
    private readonly onFull: () => void = () => this.drain(),
  ) {
    this.startLevel(0);
  }

  /** Groups held, counting each record still waiting in the batch as one (an upper bound). */
  get size(): number {
    return this.entries + this.batch.size;
  }

  /** Folds `value` into its group (in a batch: call `flush` or `drain`/`finish` before reading what the table holds). */
  add(value: T): void {
    if (this.batch.add(value, this.fns.key(value), this.seed)) this.flush();
  }

  /** Folds the batched records in, in arrival order, their memory loaded first (KeyBatch). */
  flush(): void {
    const batch = this.batch;
    const n = batch.size;
    if (n === 0 || this.flushing) return;
    this.flushing = true;
    try {
      const { values, hashes, keys, ends, next } = batch;
      const partitions = this.partitions;
      const fanOut = this.fanOut;
      for (let i = 0; i < n; i++) next[i] = partitions[(hashes[i]! >>> 24) % fanOut]!.head(hashes[i]!);
      for (let i = 0; i < n; i++) next[i] = partitions[(hashes[i]! >>> 24) % fanOut]!.touch(hashes[i]!, next[i]!);
      for (let i = 0; i < n; i++) if (next[i] !== 0) partitions[(hashes[i]! >>> 24) % fanOut]!.touch(hashes[i]!, next[i]!);
      for (let i = 0; i < n; i++) this.fold(values[i] as T, hashes[i]!, keys.buf, batch.keyStart(i), ends[i]!);
    } finally {
      batch.clear();
      this.flushing = false;
    }
  }

  /** Folds one record with key bytes `keyBuf[keyStart, keyEnd)` of hash `hash` into its group. */
  private fold(value: T, hash: number, keyBuf: Uint8Array, keyStart: number, keyEnd: number): void {
    const p = this.partitions[(hash >>> 24) % this.fanOut]!;
    const keyLen = keyEnd - keyStart;
    if (p.records.spilled) {
      const out = this.payload(keyBuf, keyStart, keyLen, this.fns.first(value));
      p.records.append(hash, out.buf, 0, out.pos);
      return;
    }
    const found = p.find(hash, keyBuf, keyStart, keyEnd);
    if (found === 0) {
      const out = this.payload(keyBuf, keyStart, keyLen, this.fns.first(value));
      this.insertPayload(p, hash, out.buf, 0, out.pos);
      return;
    }
    const address = found - 1;
    const input = p.found!;
    const valueStart = input.pos;
    const valueEnd = input.end;
    // the usual case: the value keeps its length and lies on the entry's page; rewrite it there
    const page = p.records.pages[address >>> this.pool.pageShift]!;
    const merged = this.fns.merge(this.fns.serializer.deserialize(input), value);
    if (input.buf === page.buf) {
      const out = this.valueOut;
      out.reset();
      this.fns.serializer.serialize(merged, out);
      if (out.pos === valueEnd - valueStart) {
        const from = out.buf;
        const to = page.buf;
        for (let i = 0; i < out.pos; i++) to[valueStart + i] = from[i]!;
        return;
      }
    }
    this.update(p, hash, address, keyBuf, keyStart, keyLen, merged);
  }

  /** Combine: emits every value held and frees the memory (the table stays usable). */
  drain(): void {
    this.flush();
    this.drains++;
    for (const p of this.partitions) this.emitPartition(p);
    this.entries = 0;
  }

  /** Final: emits every group, those of spilled partitions last (each aggregated at the next level). */
  finish(): void {
    this.flush();
    this.emitLevel();
    while (this.pending.length > 0) {
      const { records, level } = this.pending.pop()!;
      try {
        this.aggregateSpilled(records, level);
      } finally {
        records.release();
      }
    }
  }

  /** Emits the in-memory partitions of this level and queues the spilled ones. */
  private emitLevel(): void {
    for (const p of this.partitions) {
      if (p.records.spilled) {
        p.records.finishWrite();
        this.pending.push({ records: p.records, level: this.level + 1 });
      } else {
        this.emitPartition(p);
      }
    }
    this.partitions = [];
    this.entries = 0;
  }

  /** Frees every page and spill file still held (after the end, or a failure). */
  close(): void {
    this.batch.clear();
    for (const p of this.partitions) p.release();
    this.partitions = [];
    for (const { records } of this.pending) records.release();
    this.pending = [];
    this.entries = 0;
  }

  /** SpillPolicy of the partitions' buffers: the table makes room before it appends, so this is a last resort. */
  makeRoom(pages: number, requester: RecordBuffer): void {
    this.ensureRoom(pages, requester);
  }

  private startLevel(level: number): void {
    if (level > MAX_LEVEL) throw this.pool.exhausted(GROUPING_MIN_PAGES.final, `to aggregate a partition that still does not fit after ${MAX_LEVEL} levels of partitioning`);
    this.level = level;
    this.seed = levelSeed(level);
    // about 8 pages per partition, 2 to 32: few enough that spilling one frees a useful share
    this.fanOut = Math.max(2, Math.min(32, Math.floor(this.pool.available() / 8)));
    this.partitions = [];
    for (let i = 0; i < this.fanOut; i++) this.partitions.push(new GroupPartition(new RecordBuffer(this.pool, this, "hash-group"), this.pool));
  }

  /** Reads a spilled partition's entries back and aggregates them in a fresh table level. */
  private aggregateSpilled(records: RecordBuffer, level: number): void {
    this.startLevel(level);
    const cursor = records.cursor();
    const serializer = this.fns.serializer;
    try {
      while (cursor.next()) {
        if (cursor.flags !== 0) continue;
        const input = cursor.input;
        const keyLen = input.readVarUint();
        const keyStart = input.pos;
        const keyEnd = keyStart + keyLen;
        const hash = hashKeyBytes(cursor.buf, keyStart, keyEnd, this.seed);
        const p = this.partitions[(hash >>> 24) % this.fanOut]!;
        if (p.records.spilled) {
          p.records.append(hash, cursor.buf, cursor.start, cursor.end);
          continue;
        }
        const found = p.find(hash, cursor.buf, keyStart, keyEnd);
        if (found === 0) {
          this.insertPayload(p, hash, cursor.buf, cursor.start, cursor.end);
          continue;
        }
        input.pos = keyEnd;
        const value = serializer.deserialize(input);
        const address = found - 1;
        const stored = p.records.inputAt(address);
        skipKey(stored);
        this.update(p, hash, address, cursor.buf, keyStart, keyLen, this.fns.merge(serializer.deserialize(stored), value));
      }
    } finally {
      cursor.close();
    }
    this.emitLevel();
  }

  /** Writes `varuint keyLen, key, value` into valueOut (the key is `keyBuf[keyStart, keyStart + keyLen)`). */
  private payload(keyBuf: Uint8Array, keyStart: number, keyLen: number, value: T): DataOutputView {
    const out = this.valueOut;
    out.reset();
    out.writeVarUint(keyLen);
    out.ensure(keyLen);
    const to = out.buf;
    const at = out.pos;
    for (let i = 0; i < keyLen; i++) to[at + i] = keyBuf[keyStart + i]!;
    out.pos = at + keyLen;
    this.fns.serializer.serialize(value, out);
    return out;
  }

  /** Adds a new entry with payload `buf[start, end)` and links it into its bucket (or appends it to the file of a spilled `p`). */
  private insertPayload(p: GroupPartition, hash: number, buf: Uint8Array, start: number, end: number): void {
    const records = p.records;
    if (!records.spilled) this.room(p, records.pagesNeeded(end - start) + (p.mask < 0 ? 1 : 0));
    if (records.spilled) {
      records.append(hash, buf, start, end);
      return;
    }
    const need = records.pagesNeeded(end - start);
    // buckets double as entries grow, while that leaves the entry its pages; else chains grow longer
    if (p.mask < 0) p.buildBuckets(1);
    else if (p.live > p.mask && p.bucketPagesNeeded() + need <= this.pool.available()) p.buildBuckets(2 * (p.mask + 1));
    p.link(hash, records.append(hash, buf, start, end));
    p.live++;
    this.entries++;
  }

  /** Replaces the value of the entry at `address` (found by the last `find`) with `value`. */
  private update(p: GroupPartition, hash: number, address: number, keyBuf: Uint8Array, keyStart: number, keyLen: number, value: T): void {
    const out = this.payload(keyBuf, keyStart, keyLen, value);
    const records = p.records;
    if (records.lengthAt(address) === out.pos) {
      records.overwrite(address, out.buf, 0, out.pos);
      return;
    }
    // another length: the old entry dies and the new one takes its place in the chain
    const prev = p.prev;
    const next = p.nextOf(address);
    records.mark(address, DEAD);
    p.live--;
    this.entries--;
    const drains = this.drains;
    this.room(p, records.pagesNeeded(out.pos));
    if (records.spilled) {
      // the partition went to disk with the old entry marked dead: the new value follows it there
      records.append(hash, out.buf, 0, out.pos);
      return;
    }
    if (drains !== this.drains) {
      // a combiner handed out everything else (not the dead old value): start the group afresh
      this.insertPayload(p, hash, out.buf, 0, out.pos);
      return;
    }
    p.replace(hash, prev, next, records.append(hash, out.buf, 0, out.pos));
    p.live++;
    this.entries++;
  }

  /**
   * Makes `pages` free for an append to the in-memory partition `p`: a combiner hands out
   * everything (onFull), a final table spills its largest partitions, perhaps `p` itself.
   */
  private room(p: GroupPartition, pages: number): void {
    if (pages <= this.pool.available()) return;
    if (this.role === "final") {
      this.ensureRoom(pages, p.records);
      return;
    }
    this.onFull();
    if (pages > this.pool.available()) throw this.pool.exhausted(pages - this.pool.available(), "for one grouping table entry");
  }

  private ensureRoom(pages: number, requester: RecordBuffer): void {
    while (this.pool.available() < pages && !requester.spilled) {
      const victim = this.largestInMemory();
      if (victim === null) throw this.pool.exhausted(pages - this.pool.available(), "for a grouping table entry");
      this.spill(victim);
    }
  }

  private largestInMemory(): GroupPartition | null {
    let best: GroupPartition | null = null;
    for (const p of this.partitions) {
      if (!p.records.spilled && p.records.pageCount > 0 && (best === null || p.records.pageCount > best.records.pageCount)) best = p;
    }
    return best;
  }

  /** Moves a partition to a spill file: its entries (dead ones are skipped when read back) and every later record of it. */
  private spill(p: GroupPartition): void {
    p.releaseBuckets();
    this.entries -= p.live;
    p.live = 0;
    p.records.spill();
  }

  /** Emits the live entries of an in-memory partition and frees its pages (the partition stays usable). */
  private emitPartition(p: GroupPartition): void {
    if (p.records.spilled) return;
    const records = p.records;
    records.finishWrite();
    if (records.records > 0) {
      const serializer = this.fns.serializer;
      const cursor = records.cursor();
      while (cursor.next()) {
        if (cursor.flags !== 0) continue;
        const input = cursor.input;
        skipKey(input);
        this.emit(serializer.deserialize(input));
      }
    }
    p.release();
  }
}

/** Moves a reader at the start of a payload past its key, to the value. */
function skipKey(input: DataInputView): void {
  const keyLen = input.readVarUint();
  input.pos += keyLen;
}
