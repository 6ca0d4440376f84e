/** distinct: the first record of each key, found by sorting on the key (duplicates are dropped before spilling). */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { ExternalSorter, SortCombiner } from "../sort/external-sorter.ts";
import type { GroupReader } from "../sort/group-reader.ts";
import type { SortedCursor } from "../sort/sort-entry.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, type KeySelector, resolveCombine } from "./batch-operator.ts";
import { groupSorter, type SortSettings } from "./sort-group.ts";

/** Keeps a group's first entry (the first record seen: the sort is stable). */
const FIRST_OF_GROUP: SortCombiner<unknown> = {
  combineGroup(_group, out) {
    out.copyCurrent();
  },
};

/**
 * The final instance (after the hash shuffle) sorts its input by key in managed memory, keeping
 * one entry per key in each spilled run, and emits the first record of each key at endInput. The
 * combiner instance (`combine: true`, chained before the shuffle) emits the first record of each
 * key of every full sort buffer instead of spilling, so duplicates rarely cross the network.
 * Memory: the operator's share of managed memory.
 */
export class DistinctOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private sorter: ExternalSorter<T> | undefined;

  constructor(
    private readonly keySelector: KeySelector<T>,
    options: boolean | CombineOptions = false,
    private readonly settings: SortSettings = {},
  ) {
    super();
    this.role = resolveCombine(options).combine ? "combine" : "finalize";
  }

  override open(): void | Promise<void> {
    const options = this.role === "combine" ? { emitWhenFull: (sorted: SortedCursor) => this.emitFirsts(this.sorter!.groupsOf(sorted)) } : { combiner: FIRST_OF_GROUP as SortCombiner<T> };
    this.sorter = groupSorter(this.context, this.keySelector, undefined, this.settings, options);
    return super.open();
  }

  processElement(value: T): void {
    this.sorter!.add(value);
  }

  override endInput(): void {
    const sorter = this.sorter!;
    this.emitFirsts(sorter.groups());
    sorter.close();
  }

  private emitFirsts(groups: GroupReader<T>): void {
    const output = this.output;
    while (groups.nextGroup()) output.collect(groups.record(), NO_TIMESTAMP);
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    return this.role === "combine" ? "Combine (Distinct) by key" : "Distinct by key";
  }
}
