/** sortGroup: a stable in-place sort of one group's records by a list of key selectors and orders. */
import { compareValues } from "./compare-values.ts";

/** One sortGroup(field, order) of the API, with the field already turned into a selector. */
export interface SortField<T = unknown> {
  selector: (value: T) => unknown;
  order: "ASCENDING" | "DESCENDING";
}

/** Renders sort fields for describe(). */
export function sortText(fields: readonly SortField<never>[] | undefined): string {
  if (fields === undefined || fields.length === 0) return "";
  return `, sorted (${fields.map((f) => (f.order === "ASCENDING" ? "asc" : "desc")).join(", ")})`;
}

/**
 * Sorts `values` in place, lexicographically over `fields`; records with equal keys keep their
 * order. Each selector runs once per record (keys are extracted up front), not per comparison.
 */
export function sortGroup<T>(values: T[], fields: readonly SortField<T>[]): T[] {
  const n = values.length;
  const f = fields.length;
  if (n < 2 || f === 0) return values;
  const keys: unknown[][] = new Array(f);
  const signs = new Int8Array(f);
  for (let j = 0; j < f; j++) {
    const selector = fields[j]!.selector;
    const column = new Array<unknown>(n);
    for (let i = 0; i < n; i++) column[i] = selector(values[i]!);
    keys[j] = column;
    signs[j] = fields[j]!.order === "DESCENDING" ? -1 : 1;
  }
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => {
    for (let j = 0; j < f; j++) {
      const column = keys[j]!;
      const c = compareValues(column[x], column[y]);
      if (c !== 0) return c * signs[j]!;
    }
    return x - y;
  });
  const copy = values.slice();
  for (let i = 0; i < n; i++) values[i] = copy[order[i]!]!;
  return values;
}
