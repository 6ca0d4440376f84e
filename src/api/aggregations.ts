/**
 * sum/min/max/minBy/maxBy as reduce functions over a tuple or row field, Flink's semantics:
 * sum/min/max keep the other fields of the first record; minBy/maxBy return the whole record
 * holding the extreme (the first one on ties).
 */
import type { TypeInformation } from "../types/type-information.ts";
import { fieldType, isNumericType } from "../types/type-information.ts";
import { InvalidProgramError } from "../core/errors.ts";
import { fieldProperty, untypedProperty, type FieldRef } from "./keys.ts";

export type AggregationKind = "sum" | "min" | "max" | "minBy" | "maxBy";

export function aggregationReducer<T>(kind: AggregationKind, field: FieldRef, type: TypeInformation | undefined, operator: string): (a: T, b: T) => T {
  const what = `${kind}(${typeof field === "string" ? `'${field}'` : field}) on '${operator}'`;
  const atomic = type && type.kind !== "TUPLE" && type.kind !== "ROW" && type.kind !== "GENERIC";
  if (type) {
    const ft = fieldType(type, field, what);
    if ((kind === "sum" || kind === "min" || kind === "max") && ft.kind !== "GENERIC" && !isNumericType(ft) && !(ft.kind === "NULLABLE" && ft.innerType && isNumericType(ft.innerType)) && ft.kind !== "INSTANT")
      throw new InvalidProgramError(`${what}: field is ${ft.toString()}, not a number`);
  }
  if (atomic) return atomicReducer(kind) as (a: T, b: T) => T;
  if (type && type.kind !== "GENERIC") {
    const p = fieldProperty(type, field, what);
    return compositeReducer(kind, () => p);
  }
  // Without a declared type, decide per record as Flink's type extraction would have: a plain
  // number (fromElements(1, 2, 3)) is atomic, and "f1" of an array is its index 1.
  const composite = compositeReducer(kind, untypedProperty(field));
  if (field !== 0 && field !== "*") return composite;
  const plain = atomicReducer(kind);
  return (a: any, b: any) => (a !== null && typeof a === "object" ? composite(a, b) : plain(a, b));
}

function atomicReducer(kind: AggregationKind): (a: any, b: any) => any {
  switch (kind) {
    case "sum":
      return (a, b) => a + b;
    case "min":
    case "minBy":
      return (a, b) => (b < a ? b : a);
    case "max":
    case "maxBy":
      return (a, b) => (b > a ? b : a);
  }
}

/** `at` gives the property of the field in a record (fixed for typed streams). */
function compositeReducer(kind: AggregationKind, at: (record: unknown) => number | string): (a: any, b: any) => any {
  const copyWith = (rec: any, p: number | string, v: unknown) => {
    const c = Array.isArray(rec) ? rec.slice() : { ...rec };
    c[p] = v;
    return c;
  };
  switch (kind) {
    case "sum":
      return (a: any, b: any) => {
        const p = at(a);
        return copyWith(a, p, a[p] + b[p]);
      };
    case "min":
      return (a: any, b: any) => {
        const p = at(a);
        return b[p] < a[p] ? copyWith(a, p, b[p]) : a;
      };
    case "max":
      return (a: any, b: any) => {
        const p = at(a);
        return b[p] > a[p] ? copyWith(a, p, b[p]) : a;
      };
    case "minBy":
      return (a: any, b: any) => {
        const p = at(a);
        return b[p] < a[p] ? b : a;
      };
    case "maxBy":
      return (a: any, b: any) => {
        const p = at(a);
        return b[p] > a[p] ? b : a;
      };
  }
}
