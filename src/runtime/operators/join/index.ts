/** The binary DataSet drivers: join (hybrid hash or sort-merge, inner and outer), coGroup and cross. */
export { CoGroupOperator, type CoGroupOperatorOptions } from "./co-group-operator.ts";
export { CROSS_MIN_PAGES, CrossOperator, type CrossOperatorOptions } from "./cross-operator.ts";
export { HASH_JOIN_MIN_PAGES } from "./hybrid-hash-join.ts";
export { JoinOperator, type JoinOperatorOptions, type JoinStrategy, type OuterJoinType } from "./join-operator.ts";
export { SORT_MERGE_MIN_PAGES } from "./sort-merge-join.ts";
