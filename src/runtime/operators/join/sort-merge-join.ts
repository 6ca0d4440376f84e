/** The sort-merge join: both inputs sorted on the key, merged group by group; inner and outer. */
import type { SorterMemory } from "../sort/external-sorter.ts";
import { MIN_SORTER_PAGES } from "../sort/external-sorter.ts";
import type { GroupReader } from "../sort/group-reader.ts";
import type { JoinSide, PairSink } from "./hybrid-hash-join.ts";
import { isNullKey } from "./join-key.ts";
import type { PagePool } from "./page-pool.ts";
import { RecordBuffer } from "./record-buffer.ts";
import { SortedInputs } from "./sorted-inputs.ts";

/** Pages kept beside the two sorters for the left group of a key with several left records. */
export function sortMergeGroupPages(sharePages: number): number {
  return Math.max(2, Math.floor(sharePages / 8));
}

/** The fewest pages: two sorters and the group pages. */
export const SORT_MERGE_MIN_PAGES = 2 * MIN_SORTER_PAGES + 2;

/**
 * Sorts each input in its own ExternalSorter; when both ended, walks the keys in order. A key on
 * both sides yields every pair: when either side has one record for it, the other side's group
 * is streamed past that record; otherwise the left group is copied (as bytes) into a RecordBuffer
 * that spills when it outgrows the group pages, and the right group is read in blocks of at
 * most the group pages' bytes, each block paired with one pass over the left group — so groups
 * larger than memory work. Keys on
 * one side only, and null keys (which never match), reach outer sides with a null partner.
 *
 * Lifecycle: add1 / add2 (any interleaving) -> endInput(1), endInput(2) (the merge runs at the
 * second) -> close. Memory: the sorters' pages (`sorterMemory.pages` each) and `pool`.
 */
export class SortMergeJoin {
  private readonly inputs: SortedInputs<unknown, unknown>;
  private readonly group: RecordBuffer;
  private first0 = new Uint8Array(256);
  private readonly blockBytes: number;

  constructor(
    private readonly pool: PagePool,
    sorterMemory: SorterMemory,
    private readonly first: JoinSide,
    private readonly second: JoinSide,
    private readonly emit: PairSink,
  ) {
    this.inputs = new SortedInputs(sorterMemory, first.key, second.key, first.serializer, second.serializer);
    this.group = new RecordBuffer(pool, null, "merge-group");
    this.blockBytes = pool.totalPages * pool.pageSize;
  }

  add1(value: unknown): void {
    this.inputs.add1(value);
  }

  add2(value: unknown): void {
    this.inputs.add2(value);
  }

  endInput(input: 1 | 2): void {
    if (!this.inputs.end(input)) return;
    this.inputs.merge({
      only1: (g1) => this.unmatched(g1, true),
      only2: (g2) => this.unmatched(g2, false),
      both: (g1, g2) => this.joinGroups(g1, g2),
    });
  }

  /** A group without partners: emitted with null when its side is outer, else skipped. */
  private unmatched(g: GroupReader<unknown>, isFirst: boolean): void {
    if (!(isFirst ? this.first : this.second).outer) return;
    const emit = this.emit;
    do {
      const value = g.record();
      if (isFirst) emit(value, null);
      else emit(null, value);
    } while (g.nextInGroup());
  }

  private joinGroups(g1: GroupReader<unknown>, g2: GroupReader<unknown>): void {
    const left0 = g1.record();
    if (isNullKey(this.first.key(left0))) {
      this.unmatched(g1, true);
      this.unmatched(g2, false);
      return;
    }
    const emit = this.emit;
    const c1 = g1.cursor;
    const len0 = c1.recEnd - c1.recStart;
    if (this.first0.length < len0) this.first0 = new Uint8Array(Math.max(len0, this.first0.length * 2));
    this.first0.set(c1.buf.subarray(c1.recStart, c1.recEnd));
    if (!g1.nextInGroup()) {
      // one left record: stream the right group past it
      do emit(left0, g2.record());
      while (g2.nextInGroup());
      return;
    }
    const right0 = g2.record();
    if (!g2.nextInGroup()) {
      // one right record: stream the rest of the left group past it
      emit(left0, right0);
      do emit(g1.record(), right0);
      while (g1.nextInGroup());
      return;
    }
    const group = this.group;
    try {
      group.append(0, this.first0, 0, len0);
      do group.append(0, c1.buf, c1.recStart, c1.recEnd);
      while (g1.nextInGroup());
      group.finishWrite();
      this.crossGroup(right0, g2);
    } finally {
      group.release();
    }
  }

  /**
   * Pairs the buffered left group with `right0` and the rest of the right group, one pass over
   * the left group per block of right records.
   */
  private crossGroup(right0: unknown, g2: GroupReader<unknown>): void {
    const emit = this.emit;
    const serializer = this.first.serializer;
    const c2 = g2.cursor;
    const block: unknown[] = [right0];
    let more = true;
    while (block.length > 0) {
      let bytes = 0;
      while (more && bytes < this.blockBytes) {
        block.push(g2.record());
        bytes += c2.recEnd - c2.recStart;
        more = g2.nextInGroup();
      }
      const lefts = this.group.cursor();
      while (lefts.next()) {
        const left = serializer.deserialize(lefts.input);
        for (let i = 0; i < block.length; i++) emit(left, block[i]);
      }
      block.length = 0;
    }
  }

  close(): void {
    try {
      this.group.release();
    } finally {
      this.inputs.close();
    }
  }
}
