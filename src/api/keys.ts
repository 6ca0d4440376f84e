/**
 * Keys and fields as users give them — a key selector, a tuple position, a row field name, or
 * several — turned into selector functions, checked against the stream's type at build time.
 */
import type { TypeInformation } from "../types/type-information.ts";
import { fieldType } from "../types/type-information.ts";
import { Types } from "../types/types.ts";
import { fn, type KeySelector } from "./functions.ts";

export type FieldRef = number | string;
export type KeySpec<T> = KeySelector<T> | FieldRef | FieldRef[];

/** The JS property a field reference reads: a tuple index, or a row field's name. */
export function fieldProperty(type: TypeInformation | undefined, field: FieldRef, what: string): number | string {
  if (type) fieldType(type, field, what);
  if (type?.kind === "ROW" && typeof field === "number") return type.fieldNames![field]!;
  if (type?.kind === "TUPLE" && typeof field === "string" && /^f\d+$/.test(field)) return Number(field.slice(1));
  return field;
}

/** True if the type is atomic (a value, not a tuple or row): position 0 / "*" is the value itself. */
function isAtomic(type: TypeInformation | undefined): boolean {
  return !!type && type.kind !== "TUPLE" && type.kind !== "ROW" && type.kind !== "GENERIC";
}

export function fieldGetter(type: TypeInformation | undefined, field: FieldRef, what: string): (v: any) => unknown {
  if (isAtomic(type) && (field === 0 || field === "*")) return (v) => v;
  if (!type || type.kind === "GENERIC") {
    // no declared type: decide per record, as Flink's type extraction would have
    const at = untypedProperty(field);
    const whole = field === 0 || field === "*";
    return (v) => (v !== null && typeof v === "object" ? v[at(v)] : whole ? v : undefined);
  }
  const p = fieldProperty(type, field, what);
  return (v) => v[p];
}

/** The property of a record of undeclared type that a field names: "f1" of an array is index 1. */
export function untypedProperty(field: FieldRef): (record: unknown) => number | string {
  if (typeof field === "string" && /^f\d+$/.test(field)) {
    const index = Number(field.slice(1));
    return (record) => (Array.isArray(record) ? index : field);
  }
  return () => field;
}

export interface ResolvedKey<T> {
  selector: (value: T) => unknown;
  type: TypeInformation | undefined;
  /** Field references when the key was given by position or name (for aggregations' validation). */
  fields?: FieldRef[];
}

export function resolveKey<T>(spec: KeySpec<T>, type: TypeInformation | undefined, what: string): ResolvedKey<T> {
  if (typeof spec === "number" || typeof spec === "string") {
    return { selector: fieldGetter(type, spec, what), type: type ? fieldType(type, spec, what) : undefined, fields: [spec] };
  }
  if (Array.isArray(spec)) {
    if (spec.length === 1) return resolveKey(spec[0]!, type, what);
    const getters = spec.map((f) => fieldGetter(type, f, what));
    const types = type ? spec.map((f) => fieldType(type, f, what)) : undefined;
    return { selector: (v) => getters.map((g) => g(v)), type: types ? Types.TUPLE(...types) : undefined, fields: spec };
  }
  const { call } = fn<(v: T) => unknown>(spec, "getKey", what);
  return { selector: call, type: undefined };
}
