/** SortedGrouping: a grouping whose groups are sorted (sortGroup) before reduceGroup, combineGroup or first(n) sees them. */
import type { TypeInformation } from "../../types/type-information.ts";
import { FirstNOperator, GroupCombineOperator, GroupReduceOperator, type SortField } from "../../runtime/operators/batch/index.ts";
import type { GroupCombineFunction, GroupReduceFunction } from "../functions.ts";
import type { FieldRef, KeySpec } from "../keys.ts";
import { checkArgument } from "../../core/errors.ts";
import type { DataSet } from "./data-set.ts";
import { Grouping } from "./grouping.ts";
import type { Order } from "./order.ts";
import { userFunction } from "./user-function.ts";

export class SortedGrouping<T> extends Grouping<T> {
  constructor(
    input: DataSet<T>,
    keySelector: (value: T) => unknown,
    keyFields: readonly FieldRef[] | undefined,
    private readonly sortFields: readonly SortField<T>[],
  ) {
    super(input, keySelector, keyFields);
  }

  /** Sorts by one more field, after the ones given so far. */
  sortGroup(field: KeySpec<T>, order: Order): SortedGrouping<T> {
    return new SortedGrouping<T>(this.input, this.keySelector, this.keyFields, [...this.sortFields, this.sortField(field, order)]);
  }

  /** Calls the function once per group with all its records, in sort order (stable: ties keep arrival order). */
  reduceGroup<O>(reducer: GroupReduceFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(reducer, "reduce", "SortedGroupReduce");
    const { keySelector: key, sortFields } = this;
    const settings = this.sortSettings();
    return this.input.plan({ name: "SortedGroupReduce", kind: "sorted-group-reduce", type, shuffle: { kind: "hash", key }, managedMemory: true, final: () => new GroupReduceOperator(key, f.call, sortFields, f.lifecycle, settings) });
  }

  /** Calls the function on the sorted groups of each subtask's records, without a shuffle. */
  combineGroup<O>(combiner: GroupCombineFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(combiner, "combine", "SortedGroupCombine");
    const { keySelector: key, sortFields } = this;
    const settings = this.sortSettings();
    return this.input.plan({ name: "SortedGroupCombine", kind: "sorted-group-combine", type, shuffle: { kind: "forward" }, managedMemory: true, final: () => new GroupCombineOperator(key, f.call, sortFields, undefined, f.lifecycle, settings) });
  }

  /** The first n records of each group in sort order. */
  first(n: number): DataSet<T> {
    checkArgument(Number.isInteger(n) && n >= 1, `first(${n}) on '${this.input.getName()}': n must be a positive integer`);
    const { keySelector: key, sortFields } = this;
    const settings = this.sortSettings();
    return this.input.plan({ name: `First(${n})`, kind: "sorted-first", type: this.input.transformation.outputType, shuffle: { kind: "hash", key }, managedMemory: true, final: () => new FirstNOperator<T>(n, key, sortFields, settings) });
  }
}
