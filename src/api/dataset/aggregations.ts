/** Aggregations: the field aggregations of DataSet.aggregate(agg, field).and(agg, field). */

export const Aggregations = {
  SUM: "SUM",
  MIN: "MIN",
  MAX: "MAX",
} as const;

export type Aggregations = (typeof Aggregations)[keyof typeof Aggregations];
