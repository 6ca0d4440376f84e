/** first(n): the first n records overall or per group; with sortGroup, the n smallest or largest per group. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import type { ExternalSorter, SortCombiner } from "../sort/external-sorter.ts";
import { type BatchDriverRole, BatchOperator, type KeySelector, type MapKey } from "./batch-operator.ts";
import { groupSorter, type SortField, type SortSettings, sortText } from "./sort-group.ts";

/**
 * Unsorted, it is pipelined: a record is emitted as it arrives while its group has had fewer than
 * n. Sorted, records go into an ExternalSorter by key and sort fields; a full sort buffer keeps
 * only the first n entries of each group when it spills, and endInput emits the first n of each
 * group. The sort is stable, so on ties the record seen first wins.
 *
 * Memory: unsorted, one counter per key; sorted, the operator's share of managed memory.
 */
export class FirstNOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly sorted: boolean;
  private readonly counts = new Map<MapKey, number>();
  private sorter: ExternalSorter<T> | undefined;

  constructor(
    private readonly n: number,
    private readonly keySelector: KeySelector<T> | null,
    private readonly sortFields?: readonly SortField<T>[],
    private readonly settings: SortSettings = {},
  ) {
    super();
    checkArgument(Number.isInteger(n) && n >= 1, `first(n) needs n to be a positive integer, got ${String(n)}`);
    this.sorted = sortFields !== undefined && sortFields.length > 0;
    this.role = this.sorted ? "finalize" : "consume";
  }

  override open(): void | Promise<void> {
    if (this.sorted) {
      const n = this.n;
      const combiner: SortCombiner<T> = {
        combineGroup(group, out) {
          let kept = 0;
          do out.copyCurrent();
          while (++kept < n && group.nextInGroup());
        },
      };
      this.sorter = groupSorter(this.context, this.keySelector, this.sortFields, this.settings, { combiner });
    }
    return super.open();
  }

  processElement(value: T): void {
    if (this.sorter !== undefined) {
      this.sorter.add(value);
      return;
    }
    const key = this.keySelector === null ? null : keyToMapKey(this.keySelector(value));
    const seen = this.counts.get(key) ?? 0;
    if (seen >= this.n) return;
    this.counts.set(key, seen + 1);
    this.output.collect(value, NO_TIMESTAMP);
  }

  override endInput(): void {
    this.counts.clear();
    const sorter = this.sorter;
    if (sorter === undefined) return;
    const groups = sorter.groups();
    const output = this.output;
    while (groups.nextGroup()) {
      let emitted = 0;
      do output.collect(groups.record(), NO_TIMESTAMP);
      while (++emitted < this.n && groups.nextInGroup());
    }
    sorter.close();
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    return `First (${this.n})${this.keySelector === null ? "" : " by key"}${sortText(this.sortFields)}`;
  }
}
