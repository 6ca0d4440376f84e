/** The field aggregations of DataSet.aggregate / sum / min / max: SUM, MIN and MAX, folded one value at a time. */
import { UserError } from "../../../core/errors.ts";
import type { FieldRef } from "./batch-operator.ts";
import { compareValues } from "./compare-values.ts";

export type AggregationKind = "SUM" | "MIN" | "MAX";

/** One `aggregate(Aggregations.SUM, 1)` or `.and(MIN, "price")`. */
export interface AggregationSpec {
  agg: AggregationKind;
  field: FieldRef;
}

/**
 * Folds `value` into `acc`. Null and undefined values are skipped (a field that is null in every
 * record aggregates to null). SUM keeps JS numbers for number fields and bigint arithmetic for
 * bigint fields; associative, so a combiner's partials fold the same way.
 */
export function aggregateValue(kind: AggregationKind, acc: unknown, value: unknown, field: FieldRef): unknown {
  if (value === null || value === undefined) return acc;
  if (kind === "SUM") {
    if (acc === null || acc === undefined) return checkSummable(value, field);
    if (typeof acc === "number" && typeof value === "number") return acc + value;
    return sumMixed(acc, checkSummable(value, field), field);
  }
  if (acc === null || acc === undefined) return value;
  const c = compareValues(value, acc);
  return (kind === "MIN" ? c < 0 : c > 0) ? value : acc;
}

function checkSummable(value: unknown, field: FieldRef): unknown {
  const type = typeof value;
  if (type === "number" || type === "bigint") return value;
  throw new UserError(`aggregation SUM on field ${String(field)}: found a ${type} value, SUM needs number or bigint fields`);
}

function sumMixed(acc: unknown, value: unknown, field: FieldRef): unknown {
  if (typeof acc === "bigint" && typeof value === "bigint") return acc + value;
  try {
    return BigInt(acc as number | bigint) + BigInt(value as number | bigint);
  } catch (cause) {
    throw new UserError(`aggregation SUM on field ${String(field)}: cannot add a non-integer number to a bigint`, { cause });
  }
}

/** Renders aggregations for describe(): "SUM of 1, MIN of 2". */
export function aggregationsText(aggregations: readonly AggregationSpec[]): string {
  return aggregations.map((a) => `${a.agg} of ${String(a.field)}`).join(", ");
}
