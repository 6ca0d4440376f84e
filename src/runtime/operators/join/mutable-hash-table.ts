/** MutableHashTable: one level of the hybrid hash join, build records in partitioned pages with bucket chains. */
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import type { DataInputView } from "../../../types/data-input-view.ts";
import type { PagePool } from "./page-pool.ts";
import { keyMatches, MATCHED, touchRecord } from "./record-pages.ts";
import { RecordBuffer, type SpillPolicy } from "./record-buffer.ts";

/** `probe` and `nextMatch` return this when the key's partition was spilled (the caller spills the probe record). */
export const SPILLED = -1;

/** Bytes of one bucket head: the address + 1 of the last record inserted into the bucket. */
const HEAD_BYTES = 4;

/** A build partition and, once it spilled, the probe records that belong to it. */
export class HashPartition {
  heads: Uint32Array[] = [];
  headPages: MemorySegment[] = [];
  mask = 0;
  probe: RecordBuffer | null = null;

  constructor(readonly build: RecordBuffer) {}
}

/** A spilled partition pair, joined at the next recursion level. */
export interface SpilledPair {
  readonly build: RecordBuffer;
  readonly probe: RecordBuffer | null;
}

/**
 * The build side of one level, Flink's MutableHashTable idea: records (payload = varuint key
 * length, key bytes, value bytes) go to one of `fanOut` partitions by the top bits of their key
 * hash. When the pool runs dry the largest partition spills (its pages go to a file, later
 * records of it follow); `extra` (a buffer of early probe records) is spilled before any
 * partition. `finishBuild` spills more until bucket heads fit, then chains the records of every
 * in-memory partition into buckets (low hash bits). Probing walks a bucket chain comparing
 * hashes, then key bytes.
 *
 * Lifecycle: insert* -> finishBuild -> probe/nextMatch/spillProbe* -> finishProbe (in-memory
 * partitions: unmatched records for outer joins, then their pages go back) -> the caller joins
 * the spilled pairs and releases them. `release` frees everything (also after a failure).
 * Memory: every page comes from the pool; a spilled partition holds one write page while the
 * build runs, none after, and one probe write page while the probe runs.
 */
export class MutableHashTable implements SpillPolicy {
  readonly partitions: HashPartition[] = [];
  private readonly bucketsPerPageShift: number;
  /** The partition and key of the current probe. */
  private current: HashPartition | null = null;
  private currentHash = 0;
  private keyBuf: Uint8Array = new Uint8Array(0);
  private keyStart = 0;
  private keyEnd = 0;
  private address = 0;
  /** After a match, reads the matched build record's value. */
  valueInput!: DataInputView;

  /** A buffer of early probe records: spilled before any partition, and read back after finishBuild. */
  extra: RecordBuffer | null = null;

  constructor(
    private readonly pool: PagePool,
    readonly fanOut: number,
    private readonly buildOuter: boolean,
  ) {
    for (let i = 0; i < fanOut; i++) this.partitions.push(new HashPartition(new RecordBuffer(pool, this, "hash-build")));
    this.bucketsPerPageShift = Math.log2(pool.pageSize / HEAD_BYTES);
  }

  /** The partition of a hash: its top byte, so bucket indices (low bits) stay independent of it. */
  partitionOf(hash: number): HashPartition {
    return this.partitions[(hash >>> 24) % this.fanOut]!;
  }

  insert(hash: number, buf: Uint8Array, start: number, end: number): void {
    this.partitionOf(hash).build.append(hash, buf, start, end);
  }

  /** Spills the early-probe buffer, then the largest in-memory partitions, until `pages` are free or `requester` spilled. */
  makeRoom(pages: number, requester: RecordBuffer): void {
    while (this.pool.available() < pages && !requester.spilled) {
      const extra = this.extra;
      if (extra !== null && !extra.spilled && extra.pageCount > 0) {
        extra.spill();
        continue;
      }
      const victim = this.largestInMemory();
      if (victim === null) throw this.pool.exhausted(pages - this.pool.available(), "for a build record");
      victim.build.spill();
    }
  }

  private largestInMemory(): HashPartition | null {
    let best: HashPartition | null = null;
    for (const p of this.partitions) {
      if (!p.build.spilled && p.build.pageCount > 0 && (best === null || p.build.pageCount > best.build.pageCount)) best = p;
    }
    return best;
  }

  /** Pages the bucket heads of `records` records take. */
  headPagesFor(records: number): number {
    if (records === 0) return 0;
    const buckets = nextPowerOfTwo(records);
    return Math.ceil((buckets * HEAD_BYTES) / this.pool.pageSize);
  }

  /** True when a record of `len` payload bytes and its bucket head fit beside `reserve` pages without spilling (single-partition tables). */
  fits(len: number, reserve: number): boolean {
    const build = this.partitions[0]!.build;
    return build.pagesNeeded(len) + this.headPagesFor(build.records + 1) + reserve <= this.pool.available();
  }

  /**
   * Ends the build: spills partitions until the bucket heads of the others, a probe write page
   * per spilled partition, a read page for a spilled `extra` and `reserve` more pages fit, then
   * builds the bucket chains.
   */
  finishBuild(reserve: number): void {
    for (const p of this.partitions) if (p.build.spilled) p.build.finishWrite();
    const extra = this.extra;
    extra?.finishWrite();
    const needed = () => this.pagesToProbe() + reserve + (extra?.spilled ? 1 : 0);
    while (needed() > this.pool.available()) {
      if (extra !== null && !extra.spilled && extra.pageCount >= 2) {
        extra.spill();
        extra.finishWrite();
        continue;
      }
      const victim = this.largestInMemory();
      if (victim === null) throw this.pool.exhausted(needed() - this.pool.available(), "to probe the hash table");
      victim.build.spill();
      victim.build.finishWrite();
    }
    for (const p of this.partitions) if (!p.build.spilled) this.buildBuckets(p);
  }

  private pagesToProbe(): number {
    let pages = 0;
    for (const p of this.partitions) pages += p.build.spilled ? 1 : this.headPagesFor(p.build.records);
    return pages;
  }

  private buildBuckets(p: HashPartition): void {
    const build = p.build;
    build.finishWrite();
    if (build.records === 0) return;
    const buckets = nextPowerOfTwo(build.records);
    p.mask = buckets - 1;
    const pages = this.headPagesFor(build.records);
    for (let i = 0; i < pages; i++) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      p.headPages.push(seg);
      p.heads.push(new Uint32Array(seg.arrayBuffer));
    }
    const shift = this.bucketsPerPageShift;
    const slotMask = (1 << shift) - 1;
    const pageShift = this.pool.pageShift;
    const offsetMask = this.pool.pageSize - 1;
    const cursor = build.cursor();
    while (cursor.next()) {
      const bucket = cursor.hash & p.mask;
      const heads = p.heads[bucket >>> shift]!;
      const slot = bucket & slotMask;
      const a = cursor.address;
      build.pages[a >>> pageShift]!.view.setUint32((a & offsetMask) + 4, heads[slot]!, true);
      heads[slot] = a + 1;
    }
  }

  /**
   * The first entry (address + 1) of `hash`'s bucket, 0 when there is none or the partition
   * is spilled. With `touch`, lets a batch of probes miss the cache together instead of one
   * after another (the loads of different probes do not depend on each other).
   */
  head(hash: number): number {
    const p = this.partitionOf(hash);
    if (p.heads.length === 0) return 0;
    const bucket = hash & p.mask;
    return p.heads[bucket >>> this.bucketsPerPageShift]![bucket & ((1 << this.bucketsPerPageShift) - 1)]!;
  }

  /**
   * Loads the entry `next` (address + 1, from `head` or a previous call) of `hash`'s chain: its
   * header, and the payload's last byte, which may lie on the next cache line. Returns the
   * chain's next entry when this one's hash differs (the key is further on), else 0.
   */
  touch(hash: number, next: number): number {
    if (next === 0) return 0;
    const a = next - 1;
    return touchRecord(this.partitionOf(hash).build.pages[a >>> this.pool.pageShift]!, a & (this.pool.pageSize - 1), hash);
  }


  /**
   * Starts probing with key bytes `keyBuf[keyStart, keyEnd)` of hash `hash`: returns a match
   * (> 0; its value is then read from `valueInput`), 0 when none, SPILLED when the partition is
   * on disk. Build records that match are marked for outer joins.
   */
  probe(hash: number, keyBuf: Uint8Array, keyStart: number, keyEnd: number): number {
    const p = this.partitionOf(hash);
    if (p.build.spilled) return SPILLED;
    if (p.heads.length === 0) return 0;
    this.current = p;
    this.currentHash = hash;
    this.keyBuf = keyBuf;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    const bucket = hash & p.mask;
    this.address = p.heads[bucket >>> this.bucketsPerPageShift]![bucket & ((1 << this.bucketsPerPageShift) - 1)]!;
    return this.scan();
  }

  /** The next match of the current probe, or 0. */
  nextMatch(): number {
    const p = this.current!;
    const a = this.address - 1;
    this.address = p.build.pages[a >>> this.pool.pageShift]!.view.getUint32((a & (this.pool.pageSize - 1)) + 4, true);
    return this.scan();
  }

  private scan(): number {
    const p = this.current!;
    const build = p.build;
    const pageShift = this.pool.pageShift;
    const offsetMask = this.pool.pageSize - 1;
    const hash = this.currentHash;
    let next = this.address;
    while (next !== 0) {
      const a = next - 1;
      const view = build.pages[a >>> pageShift]!.view;
      const offset = a & offsetMask;
      if (view.getUint32(offset, true) === hash) {
        const input = build.inputAt(a);
        if (keyMatches(input, this.keyBuf, this.keyStart, this.keyEnd)) {
          this.valueInput = input;
          if (this.buildOuter) view.setUint32(offset + 8, view.getUint32(offset + 8, true) | MATCHED, true);
          this.address = next;
          return next;
        }
      }
      next = view.getUint32(offset + 4, true);
    }
    this.address = 0;
    return 0;
  }

  /** Keeps a probe record of a spilled partition for the next level. */
  spillProbe(hash: number, buf: Uint8Array, start: number, end: number): void {
    const p = this.partitionOf(hash);
    if (p.probe === null) {
      p.probe = new RecordBuffer(this.pool, null, "hash-probe");
      p.probe.spill();
    }
    p.probe.append(hash, buf, start, end);
  }

  /**
   * Ends the probe: hands each unmatched build record of the in-memory partitions to
   * `unmatched` (outer joins; its value read from the input), gives their pages back and
   * returns the spilled pairs, which the caller now owns.
   */
  finishProbe(unmatched: ((value: DataInputView) => void) | null): SpilledPair[] {
    const pairs: SpilledPair[] = [];
    for (const p of this.partitions) {
      if (p.build.spilled) {
        p.probe?.finishWrite();
        pairs.push({ build: p.build, probe: p.probe });
        continue;
      }
      if (unmatched !== null) emitUnmatched(p.build, unmatched);
      this.releasePartition(p);
    }
    this.partitions.length = 0;
    return pairs;
  }

  private releasePartition(p: HashPartition): void {
    p.build.release();
    p.probe?.release();
    this.pool.giveAll(p.headPages);
    p.heads.length = 0;
  }

  /** Gives back every page and deletes every file of partitions still held. */
  release(): void {
    for (const p of this.partitions) this.releasePartition(p);
    this.partitions.length = 0;
  }
}

/** Hands each record of `build` not marked MATCHED to `fn`, with its input positioned at the value. */
export function emitUnmatched(build: RecordBuffer, fn: (value: DataInputView) => void): void {
  const cursor = build.cursor();
  while (cursor.next()) {
    if (cursor.flags !== 0) continue;
    const input = cursor.input;
    const keyLen = input.readVarUint();
    input.pos += keyLen;
    fn(input);
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
