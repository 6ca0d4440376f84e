/** UnsortedGrouping: what groupBy returns — per-group reductions, aggregations and first(n), planned as a hash shuffle by the key. */
import type { TypeInformation } from "../../types/type-information.ts";
import { FirstNOperator, GroupCombineOperator, GroupedReduceOperator, GroupReduceOperator, MinMaxByOperator } from "../../runtime/operators/batch/index.ts";
import type { GroupCombineFunction, GroupReduceFunction, ReduceFunction } from "../functions.ts";
import type { FieldRef, KeySpec } from "../keys.ts";
import { checkArgument } from "../../core/errors.ts";
import { Aggregations } from "./aggregations.ts";
import { aggregatePlan, type AggregateOperator, type DataSet } from "./data-set.ts";
import { callText, comparedFields } from "./field-checks.ts";
import { Grouping } from "./grouping.ts";
import type { Order } from "./order.ts";
import { SortedGrouping } from "./sorted-grouping.ts";
import { userFunction } from "./user-function.ts";

export class UnsortedGrouping<T> extends Grouping<T> {
  /** Reduces each group to one record: a combiner chained to the input, a hash shuffle, the final reduce. */
  reduce(reducer: ReduceFunction<T>): DataSet<T> {
    const f = userFunction<(a: T, b: T) => T>(reducer, "reduce", "Reduce");
    const c = f.forCombiner();
    const key = this.keySelector;
    const settings = this.sortSettings();
    return this.input.plan({
      name: "Reduce",
      kind: "grouped-reduce",
      type: this.input.transformation.outputType,
      local: { name: "Combine (Reduce)", kind: "grouped-reduce-combine", create: () => new GroupedReduceOperator(key, c.call, true, c.lifecycle, settings), managedMemory: true },
      shuffle: { kind: "hash", key },
      managedMemory: true,
      final: () => new GroupedReduceOperator(key, f.call, false, f.lifecycle, settings),
    });
  }

  /** Calls the function once per group with all its records. */
  reduceGroup<O>(reducer: GroupReduceFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(reducer, "reduce", "GroupReduce");
    const key = this.keySelector;
    const settings = this.sortSettings();
    return this.input.plan({ name: "GroupReduce", kind: "grouped-group-reduce", type, shuffle: { kind: "hash", key }, managedMemory: true, final: () => new GroupReduceOperator(key, f.call, undefined, f.lifecycle, settings) });
  }

  /** Calls the function on the groups of each subtask's records, without a shuffle (a group may be split). */
  combineGroup<O>(combiner: GroupCombineFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(combiner, "combine", "GroupCombine");
    const key = this.keySelector;
    const settings = this.sortSettings();
    return this.input.plan({ name: "GroupCombine", kind: "grouped-group-combine", type, shuffle: { kind: "forward" }, managedMemory: true, final: () => new GroupCombineOperator(key, f.call, undefined, undefined, f.lifecycle, settings) });
  }

  aggregate(agg: Aggregations, field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this.input, this.keySelector, agg, field, "aggregate", this.sortSettings());
  }
  sum(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this.input, this.keySelector, Aggregations.SUM, field, "sum", this.sortSettings());
  }
  min(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this.input, this.keySelector, Aggregations.MIN, field, "min", this.sortSettings());
  }
  max(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this.input, this.keySelector, Aggregations.MAX, field, "max", this.sortSettings());
  }

  /** Per group, the record with the smallest values of `fields`; the first one seen on ties. */
  minBy(...fields: FieldRef[]): DataSet<T> {
    return this.minMaxBy("MIN", fields);
  }
  maxBy(...fields: FieldRef[]): DataSet<T> {
    return this.minMaxBy("MAX", fields);
  }

  /** The first n records of each group. */
  first(n: number): DataSet<T> {
    checkArgument(Number.isInteger(n) && n >= 1, `first(${n}) on '${this.input.getName()}': n must be a positive integer`);
    const key = this.keySelector;
    return this.input.plan({ name: `First(${n})`, kind: "grouped-first", type: this.input.transformation.outputType, shuffle: { kind: "hash", key }, final: () => new FirstNOperator<T>(n, key) });
  }

  sortGroup(field: KeySpec<T>, order: Order): SortedGrouping<T> {
    return new SortedGrouping<T>(this.input, this.keySelector, this.keyFields, [this.sortField(field, order)]);
  }

  private minMaxBy(mode: "MIN" | "MAX", fields: FieldRef[]): DataSet<T> {
    const name = mode === "MIN" ? "MinBy" : "MaxBy";
    const props = comparedFields(fields, this.input.transformation.outputType, callText(mode === "MIN" ? "minBy" : "maxBy", fields, this.input.getName()));
    const key = this.keySelector;
    return this.input.plan({
      name,
      kind: `grouped-${name.toLowerCase()}`,
      type: this.input.transformation.outputType,
      local: { name: `Combine (${name})`, kind: `grouped-${name.toLowerCase()}-combine`, create: () => new MinMaxByOperator(key, props, mode, true) },
      shuffle: { kind: "hash", key },
      final: () => new MinMaxByOperator(key, props, mode),
    });
  }
}
