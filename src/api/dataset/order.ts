/** Order: the sort direction of sortGroup (Flink's org.apache.flink.api.common.operators.Order). */

export const Order = {
  /** No order; not accepted by sortGroup. */
  NONE: "NONE",
  ASCENDING: "ASCENDING",
  DESCENDING: "DESCENDING",
  /** Any order will do; not accepted by sortGroup. */
  ANY: "ANY",
} as const;

export type Order = (typeof Order)[keyof typeof Order];
