/** Build-time checks of the fields DataSet aggregations, minBy/maxBy and sortGroup name, against the data set's type. */
import type { TypeInformation } from "../../types/type-information.ts";
import { fieldType, isNumericType } from "../../types/type-information.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { fieldProperty, type FieldRef } from "../keys.ts";
import type { Aggregations } from "./aggregations.ts";

/** How a call shows in errors: `sum(3) on 'Map'`, `groupBy('word') on 'Source'`. */
export function callText(method: string, args: readonly unknown[], operator: string): string {
  const shown = args.map((a) => (typeof a === "string" ? `'${a}'` : typeof a === "function" ? "keySelector" : Array.isArray(a) ? `[${a.join(", ")}]` : String(a)));
  return `${method}(${shown.join(", ")}) on '${operator}'`;
}

/** How an aggregation shows in errors: `aggregate(SUM, 1) on 'Map'`, or `sum(1) on 'Map'` for the shortcuts. */
export function aggregationText(method: string, agg: Aggregations, field: FieldRef, operator: string): string {
  const shown = typeof field === "string" ? `'${field}'` : String(field);
  const args = method === "aggregate" || method === "and" ? `${String(agg)}, ${shown}` : shown;
  return `${method}(${args}) on '${operator}'`;
}

/** True when records of this type are tuples or rows (or may be: GENERIC and unknown types are checked when they run). */
function isComposite(type: TypeInformation | undefined): boolean {
  return type === undefined || type.kind === "TUPLE" || type.kind === "ROW" || type.kind === "GENERIC";
}

/**
 * Checks the field of aggregate(agg, field) and returns the property the runtime reads (a tuple
 * index, a row field name). SUM needs a number field; MIN and MAX any comparable one.
 */
export function aggregationField(agg: Aggregations, field: FieldRef, type: TypeInformation | undefined, what: string): FieldRef {
  if (agg !== "SUM" && agg !== "MIN" && agg !== "MAX") throw new InvalidProgramError(`${what}: unknown aggregation '${String(agg)}'; use Aggregations.SUM, MIN or MAX`);
  checkComposite(type, what);
  if (!type) return field;
  const ft = fieldType(type, field, what);
  const inner = ft.kind === "NULLABLE" && ft.innerType ? ft.innerType : ft;
  if (agg === "SUM" && inner.kind !== "GENERIC" && !isNumericType(inner))
    throw new InvalidProgramError(`${what}: field ${typeof field === "string" ? `'${field}'` : field} is ${ft.toString()}, SUM needs a number field`);
  if (inner.kind === "LIST" || inner.kind === "MAP")
    throw new InvalidProgramError(`${what}: field ${typeof field === "string" ? `'${field}'` : field} is ${ft.toString()}, which cannot be compared`);
  return fieldProperty(type, field, what);
}

/** Checks the fields of minBy/maxBy and returns the properties the runtime reads. */
export function comparedFields(fields: readonly FieldRef[], type: TypeInformation | undefined, what: string): FieldRef[] {
  if (fields.length === 0) throw new InvalidProgramError(`${what}: name at least one field`);
  checkComposite(type, what);
  return fields.map((f) => fieldProperty(type, f, what));
}

function checkComposite(type: TypeInformation | undefined, what: string): void {
  if (!isComposite(type)) throw new InvalidProgramError(`${what}: fields can only be aggregated on tuple and row data sets, this one is ${type!.toString()}`);
}
