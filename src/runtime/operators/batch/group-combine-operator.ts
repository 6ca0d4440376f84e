/** combineGroup: reduceGroup whose function may see partial groups, so it can hand groups out early to bound memory. */
import { checkArgument } from "../../../core/errors.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, DEFAULT_COMBINE_MAX_ENTRIES, type KeySelector } from "./batch-operator.ts";
import { type GroupReduceFunction, GroupReduceOperator } from "./group-reduce-operator.ts";
import { type SortField, type SortSettings, sortText } from "./sort-group.ts";

/**
 * Holds at most `maxRecords` records, and no more than its sort buffer takes: past that, the
 * buffer is sorted, every group in it goes to the function and the buffer starts again, so one
 * key may be combined several times (Flink's GroupReduceCombineDriver). Nothing spills.
 */
export class GroupCombineOperator<T, O> extends GroupReduceOperator<T, O> {
  override readonly role: BatchDriverRole = "combine";

  constructor(
    keySelector: KeySelector<T> | null,
    fn: GroupReduceFunction<T, O>,
    sortFields?: readonly SortField<T>[],
    maxRecords: number = DEFAULT_COMBINE_MAX_ENTRIES,
    lifecycle?: FunctionLifecycle,
    settings?: SortSettings,
  ) {
    super(keySelector, fn, sortFields, lifecycle, settings);
    checkArgument(Number.isInteger(maxRecords) && maxRecords >= 1, `combineGroup maxRecords must be a positive integer, got ${String(maxRecords)}`);
    this.maxBuffered = maxRecords;
  }

  override describe(): string {
    return `GroupCombine ${this.keySelector === null ? "(all)" : "(sort) by key"}${sortText(this.sortFields)}`;
  }
}
