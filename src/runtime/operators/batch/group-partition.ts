/** GroupPartition: one partition of a GroupingHashTable, its entries chained into buckets of a hash. */
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import type { DataInputView } from "../../../types/data-input-view.ts";
import type { PagePool } from "../join/page-pool.ts";
import { keyMatches, touchRecord } from "../join/record-pages.ts";
import type { RecordBuffer } from "../join/record-buffer.ts";

const HEAD_BYTES = 4;

/**
 * Entries are records of `records` (the join's page format: header `[hash][next][len]`,
 * payload `varuint key length, key bytes, value`); bucket heads hold an entry's address + 1 and
 * each entry's `next` the one after it in its bucket. Buckets are pages of the pool, made with
 * the first entry and doubled as entries grow while memory allows.
 *
 * Memory: `records`' pages and the bucket pages, all from `pool`; `releaseBuckets` and
 * `release` give them back.
 */
export class GroupPartition {
  private heads: Uint32Array[] = [];
  private headPages: MemorySegment[] = [];
  /** Buckets - 1; -1 while there are no buckets (no entry yet, or spilled). */
  mask = -1;
  /** Live entries. */
  live = 0;
  /** After `find` matched: a reader at the entry's value, and its predecessor in the chain (address + 1, 0 for the bucket head). */
  found: DataInputView | null = null;
  prev = 0;
  private readonly shift: number;

  constructor(
    readonly records: RecordBuffer,
    private readonly pool: PagePool,
  ) {
    this.shift = Math.log2(pool.pageSize / HEAD_BYTES);
  }

  /** The first entry (address + 1) of `hash`'s bucket; 0 when none. */
  head(hash: number): number {
    if (this.mask < 0) return 0;
    const bucket = hash & this.mask;
    return this.heads[bucket >>> this.shift]![bucket & ((1 << this.shift) - 1)]!;
  }

  /**
   * Loads entry `next` (address + 1) of `hash`'s chain: its header and the payload's last byte,
   * which may lie on the next cache line. Returns the chain's next entry when this one's hash
   * differs (the key is further on), else 0.
   */
  touch(hash: number, next: number): number {
    if (next === 0) return 0;
    const a = next - 1;
    return touchRecord(this.records.pages[a >>> this.pool.pageShift]!, a & (this.pool.pageSize - 1), hash);
  }

  /** The entry of key `keyBuf[keyStart, keyEnd)` (address + 1), or 0; on a match sets `found` and `prev`. */
  find(hash: number, keyBuf: Uint8Array, keyStart: number, keyEnd: number): number {
    if (this.mask < 0) return 0;
    const records = this.records;
    const pages = records.pages;
    const pageShift = this.pool.pageShift;
    const offsetMask = this.pool.pageSize - 1;
    let prev = 0;
    let next = this.head(hash);
    while (next !== 0) {
      const a = next - 1;
      const view = pages[a >>> pageShift]!.view;
      const offset = a & offsetMask;
      if (view.getUint32(offset, true) === hash) {
        const input = records.inputAt(a);
        if (keyMatches(input, keyBuf, keyStart, keyEnd)) {
          this.found = input;
          this.prev = prev;
          return next;
        }
      }
      prev = next;
      next = view.getUint32(offset + 4, true);
    }
    return 0;
  }

  /** Puts the entry at `address` at the head of its bucket. */
  link(hash: number, address: number): void {
    const bucket = hash & this.mask;
    const heads = this.heads[bucket >>> this.shift]!;
    const slot = bucket & ((1 << this.shift) - 1);
    this.setHeader(address, 4, heads[slot]!);
    heads[slot] = address + 1;
  }

  /** Puts the entry at `fresh` where the entry with predecessor `prev` and successor `next` was in its chain. */
  replace(hash: number, prev: number, next: number, fresh: number): void {
    this.setHeader(fresh, 4, next);
    if (prev !== 0) {
      this.setHeader(prev - 1, 4, fresh + 1);
      return;
    }
    const bucket = hash & this.mask;
    this.heads[bucket >>> this.shift]![bucket & ((1 << this.shift) - 1)] = fresh + 1;
  }

  /** The successor (address + 1) of the entry at `address`. */
  nextOf(address: number): number {
    return this.records.pages[address >>> this.pool.pageShift]!.view.getUint32((address & (this.pool.pageSize - 1)) + 4, true);
  }

  /** Pages the first bucket page (a new partition's) or doubling the buckets would take. */
  bucketPagesNeeded(): number {
    return this.mask < 0 ? 1 : this.headPagesFor(2 * (this.mask + 1)) - this.headPages.length;
  }

  /** (Re)builds the buckets with at least `minBuckets` (a power of two, one page at least) and relinks the live entries. */
  buildBuckets(minBuckets: number): void {
    const buckets = Math.max(minBuckets, this.pool.pageSize / HEAD_BYTES);
    this.releaseBuckets();
    for (let i = this.headPagesFor(buckets); i > 0; i--) {
      const seg = this.pool.take();
      seg.buf.fill(0);
      this.headPages.push(seg);
      this.heads.push(new Uint32Array(seg.arrayBuffer, 0, seg.size / HEAD_BYTES));
    }
    this.mask = buckets - 1;
    if (this.records.records === 0) return;
    const cursor = this.records.cursor();
    while (cursor.next()) if (cursor.flags === 0) this.link(cursor.hash, cursor.address);
  }

  /** Gives the bucket pages back (before the entries spill, or at the end). */
  releaseBuckets(): void {
    this.pool.giveAll(this.headPages);
    this.heads.length = 0;
    this.mask = -1;
  }

  /** Gives every page back and deletes the spill file; the partition is empty and usable afterwards. */
  release(): void {
    this.records.release();
    this.releaseBuckets();
    this.live = 0;
  }

  private headPagesFor(buckets: number): number {
    return Math.ceil((buckets * HEAD_BYTES) / this.pool.pageSize);
  }

  private setHeader(address: number, field: number, value: number): void {
    this.records.pages[address >>> this.pool.pageShift]!.view.setUint32((address & (this.pool.pageSize - 1)) + field, value, true);
  }
}
