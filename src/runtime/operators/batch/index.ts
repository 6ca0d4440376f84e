/** The DataSet drivers: batch operators the API layer chains into plans. */
export { AggregateOperator } from "./aggregate-operator.ts";
export type { AggregationKind, AggregationSpec } from "./aggregation.ts";
export { AllReduceOperator } from "./all-reduce-operator.ts";
export { type BatchDriverRole, BatchOperator, type CombineOptions, DEFAULT_COMBINE_MAX_ENTRIES, type FieldRef, type KeySelector } from "./batch-operator.ts";
export { type Collector, OutputCollector } from "./collector.ts";
export { compareValues } from "./compare-values.ts";
export { CountOperator } from "./count-operator.ts";
export { DistinctOperator } from "./distinct-operator.ts";
export { FirstNOperator } from "./first-n-operator.ts";
export { GroupCombineOperator } from "./group-combine-operator.ts";
export { type GroupReduceFunction, GroupReduceOperator } from "./group-reduce-operator.ts";
export { GroupedReduceOperator } from "./grouped-reduce-operator.ts";
export { type MapPartitionFunction, MapPartitionOperator } from "./map-partition-operator.ts";
export { MinMaxByOperator } from "./min-max-by-operator.ts";
export { type SortField, type SortSettings } from "./sort-group.ts";
export { SortPartitionOperator } from "./sort-partition-operator.ts";
