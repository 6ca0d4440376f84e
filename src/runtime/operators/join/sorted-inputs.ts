/** Both inputs of a sort-merge join or coGroup, each in its own ExternalSorter on the join key, merged group by group. */
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { compareBytes } from "../../../types/sort/byte-compare.ts";
import { ExternalSorter, type SorterMemory } from "../sort/external-sorter.ts";
import type { GroupReader } from "../sort/group-reader.ts";

/** What a merge does with the next key: the group is on side 1 only, side 2 only, or both. */
export interface GroupVisitor<A, B> {
  only1(g1: GroupReader<A>): void;
  only2(g2: GroupReader<B>): void;
  both(g1: GroupReader<A>, g2: GroupReader<B>): void;
}

/**
 * Two sorters keyed by `key1` and `key2`. The keys are encoded untyped (the same codes on both
 * sides), so group keys of the two sides compare as bytes: equal bytes are keysEqual keys
 * (including null with null; callers decide what a null key means).
 *
 * Lifecycle: add1 / add2 in any interleaving, `end(i)` per input; once both ended, `merge`
 * walks the union of keys in order, once. `close` frees pages and runs (also after a failure).
 * Memory: each sorter takes up to `pagesEach` pages of the operator's budget as it fills.
 */
export class SortedInputs<A, B> {
  private readonly sorter1: ExternalSorter<A>;
  private readonly sorter2: ExternalSorter<B>;
  private ended1 = false;
  private ended2 = false;

  constructor(memory: SorterMemory, key1: (v: A) => unknown, key2: (v: B) => unknown, serializer1: TypeSerializer<A>, serializer2: TypeSerializer<B>) {
    this.sorter1 = new ExternalSorter<A>({ fields: [{ selector: key1, order: "ASCENDING" }], groupFields: 1, serializer: serializer1 }, memory);
    this.sorter2 = new ExternalSorter<B>({ fields: [{ selector: key2, order: "ASCENDING" }], groupFields: 1, serializer: serializer2 }, memory);
  }

  add1(value: A): void {
    this.sorter1.add(value);
  }

  add2(value: B): void {
    this.sorter2.add(value);
  }

  /** Marks input `input` ended; true when both have. */
  end(input: 1 | 2): boolean {
    if (input === 1) this.ended1 = true;
    else this.ended2 = true;
    return this.ended1 && this.ended2;
  }

  /** Visits every key of either input in key order. */
  merge(visitor: GroupVisitor<A, B>): void {
    const g1 = this.sorter1.groups();
    const g2 = this.sorter2.groups();
    let has1 = g1.nextGroup();
    let has2 = g2.nextGroup();
    while (has1 || has2) {
      let c = 0;
      if (!has1) c = 1;
      else if (!has2) c = -1;
      else {
        const k1 = g1.currentGroupKey();
        const k2 = g2.currentGroupKey();
        c = compareBytes(k1, 0, k1.length, k2, 0, k2.length);
      }
      if (c < 0) {
        visitor.only1(g1);
        has1 = g1.nextGroup();
      } else if (c > 0) {
        visitor.only2(g2);
        has2 = g2.nextGroup();
      } else {
        visitor.both(g1, g2);
        has1 = g1.nextGroup();
        has2 = g2.nextGroup();
      }
    }
  }

  close(): void {
    try {
      this.sorter1.close();
    } finally {
      this.sorter2.close();
    }
  }
}
