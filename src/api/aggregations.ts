/**
 * sum/min/max/minBy/maxBy as reduce functions over a tuple or row field, Flink's semantics:
 * sum/min/max keep the other fields of the first record; minBy/maxBy return the whole record
 * holding the extreme (the first one on ties).
 */
import type { TypeInformation } from "../types/type-information.ts";
import { fieldType, isNumericType } from "../types/type-information.ts";
import { InvalidProgramError } from "../core/errors.ts";
import { fieldProperty, type FieldRef } from "./keys.ts";

export type AggregationKind = "sum" | "min" | "max" | "minBy" | "maxBy";

export function aggregationReducer<T>(kind: AggregationKind, field: FieldRef, type: TypeInformation | undefined, operator: string): (a: T, b: T) => T {
  const what = `${kind}(${typeof field === "string" ? `'${field}'` : field}) on '${operator}'`;
  const atomic = type && type.kind !== "TUPLE" && type.kind !== "ROW" && type.kind !== "GENERIC";
  if (type) {
    const ft = fieldType(type, field, what);
    if ((kind === "sum" || kind === "min" || kind === "max") && ft.kind !== "GENERIC" && !isNumericType(ft) && !(ft.kind === "NULLABLE" && ft.innerType && isNumericType(ft.innerType)) && ft.kind !== "INSTANT")
      throw new InvalidProgramError(`${what}: field is ${ft.toString()}, not a number`);
  }
  if (atomic) {
    switch (kind) {
      case "sum":
        return ((a: any, b: any) => a + b) as any;
      case "min":
      case "minBy":
        return ((a: any, b: any) => (b < a ? b : a)) as any;
      case "max":
      case "maxBy":
        return ((a: any, b: any) => (b > a ? b : a)) as any;
    }
  }
  const p = fieldProperty(type, field, what);
  const copyWith = (rec: any, v: unknown) => {
    const c = Array.isArray(rec) ? rec.slice() : { ...rec };
    c[p] = v;
    return c;
  };
  switch (kind) {
    case "sum":
      return (a: any, b: any) => copyWith(a, a[p] + b[p]);
    case "min":
      return (a: any, b: any) => (b[p] < a[p] ? copyWith(a, b[p]) : a);
    case "max":
      return (a: any, b: any) => (b[p] > a[p] ? copyWith(a, b[p]) : a);
    case "minBy":
      return (a: any, b: any) => (b[p] < a[p] ? b : a);
    case "maxBy":
      return (a: any, b: any) => (b[p] > a[p] ? b : a);
  }
}
