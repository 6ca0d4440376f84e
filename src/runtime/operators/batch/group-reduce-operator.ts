/** reduceGroup: sorts the input by key in managed memory (spilling when it does not fit) and calls the user function once per group. */
import type { ExternalSorter } from "../sort/external-sorter.ts";
import type { GroupReader } from "../sort/group-reader.ts";
import type { SortedCursor } from "../sort/sort-entry.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator, type KeySelector } from "./batch-operator.ts";
import type { Collector } from "./collector.ts";
import { groupSorter, type SortField, type SortSettings, sortText } from "./sort-group.ts";

export type GroupReduceFunction<T, O> = (values: T[], out: Collector<O>) => void;

/**
 * Groups by sorting (Flink's GroupReduceDriver): records are serialized into an ExternalSorter
 * by key, then the sort fields; at endInput each group — in key order, its records in sort order
 * and otherwise in arrival order — goes to the function. Key null: the whole input is one group,
 * and an empty input calls nothing (Flink's AllGroupReduceDriver).
 *
 * Memory: the operator's share of managed memory; larger inputs spill sorted runs to disk. Only
 * the group being handed to the function is held as JS objects.
 * A subclass that lowers `maxBuffered` (combineGroup) hands out the groups of each full buffer
 * (or every `maxBuffered` records) instead of spilling, so one key may be seen several times.
 */
export class GroupReduceOperator<T, O> extends BatchOperator<T, O> {
  readonly role: BatchDriverRole = "finalize";
  /** Records held before the groups are handed out early; only a combiner lowers it. */
  protected maxBuffered = Infinity;
  private buffered = 0;
  private sorter: ExternalSorter<T> | undefined;

  constructor(
    protected readonly keySelector: KeySelector<T> | null,
    private readonly fn: GroupReduceFunction<T, O>,
    protected readonly sortFields?: readonly SortField<T>[],
    lifecycle?: FunctionLifecycle,
    private readonly settings: SortSettings = {},
  ) {
    super();
    this.lifecycle = lifecycle;
  }

  override open(): void | Promise<void> {
    const emitEarly = this.maxBuffered !== Infinity;
    this.sorter = groupSorter(this.context, this.keySelector, this.sortFields, this.settings, emitEarly ? { emitWhenFull: (sorted) => this.emitSorted(sorted) } : undefined);
    return super.open();
  }

  processElement(value: T): void {
    this.sorter!.add(value);
    if (++this.buffered >= this.maxBuffered) this.sorter!.flush();
  }

  override endInput(): void {
    const sorter = this.sorter!;
    this.emitGroups(sorter.groups());
    sorter.close();
  }

  private emitSorted(sorted: SortedCursor): void {
    this.buffered = 0;
    this.emitGroups(this.sorter!.groupsOf(sorted));
  }

  private emitGroups(groups: GroupReader<T>): void {
    while (groups.nextGroup()) this.fn(groups.groupToArray(), this.out);
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    return `GroupReduce ${this.keySelector === null ? "(all)" : "(sort) by key"}${sortText(this.sortFields)}`;
  }
}
