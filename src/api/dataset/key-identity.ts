/**
 * Keys of DataSet operators as the optimizer compares them: resolved as groupBy resolves them,
 * plus an identity that is equal for keys reading the same fields of the same kind of record
 * (`0` and `"f0"` of a tuple are one key) or calling the same key selector function.
 */
import type { TypeInformation } from "../../types/type-information.ts";
import { fieldProperty, resolveKey, type KeySpec } from "../keys.ts";
import type { Transformation } from "../../graph/transformation.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { registerForwardedFields, registerKey, registerSortedOutput, selectorIdentity, type KeyInfo } from "../../graph/optimizer/plan-info.ts";

export interface DataSetKey<T> extends KeyInfo {
  selector: (value: T) => unknown;
  /** The key's type when the records' type is known and the key names fields. */
  type: TypeInformation | undefined;
  /** How many values the key has: fields named, or undefined for a key selector. */
  arity: number | undefined;
  /** The tuple field position when the key is one (e.g. `where(0)`). */
  field: number | undefined;
}

/** Resolves `spec` against `type` (errors name `what`) and registers the selector with its identity. */
export function dataSetKey<T>(spec: KeySpec<T>, type: TypeInformation | undefined, what: string): DataSetKey<T> {
  const resolved = resolveKey(spec, type, what);
  const id = keyIdentity(spec, type);
  registerKey(resolved.selector, id);
  const arity = typeof spec === "function" || (typeof spec === "object" && !Array.isArray(spec)) ? undefined : Array.isArray(spec) ? spec.length : 1;
  const field = typeof spec === "number" ? spec : Array.isArray(spec) && spec.length === 1 && typeof spec[0] === "number" ? spec[0] : undefined;
  return { id, selector: resolved.selector, type: resolved.type, arity, field };
}

/** Registers a selector resolveKey made from `spec`, so the optimizer knows which key it extracts. */
export function registerKeySelector(spec: unknown, type: TypeInformation | undefined, selector: (value: any) => unknown): void {
  registerKey(selector, keyIdentity(spec, type));
}

/** Records that `t` (sortPartition) emits each partition sorted first by `spec` in `order`. */
export function registerPartitionSort(t: Transformation, spec: unknown, type: TypeInformation | undefined, order: string): void {
  registerSortedOutput(t, `${keyIdentity(spec, type)}:${order}`);
}

function keyIdentity(spec: unknown, type: TypeInformation | undefined): string {
  if (typeof spec === "number" || typeof spec === "string") return `[${fieldId(spec, type)}]`;
  if (Array.isArray(spec)) return spec.length === 1 ? keyIdentity(spec[0], type) : `[${spec.map((f) => fieldId(f, type)).join(",")}]`;
  return selectorIdentity(spec as object);
}

function fieldId(field: number | string, type: TypeInformation | undefined): string {
  if (type && type.kind !== "TUPLE" && type.kind !== "ROW" && type.kind !== "GENERIC" && (field === 0 || field === "*")) return JSON.stringify("*");
  return JSON.stringify(fieldProperty(type, field, "key"));
}

/**
 * Records the forwarded fields of a one-input operator: `"0"` or `"0;2"` (same position), `"1->0"`
 * (input field 1 is output field 0), tuple fields as `f1`, row fields by name.
 */
export function declareForwardedFields(t: Transformation, specs: readonly string[], operator: string): void {
  const what = `withForwardedFields(${specs.map((s) => `'${s}'`).join(", ")}) on '${operator}'`;
  if (t.kind !== "one-input") throw new InvalidProgramError(`${what}: forwarded fields can be declared on single-input operators only`);
  const inType = t.inputs[0]!.outputType;
  const outType = t.outputType;
  const field = (f: string, type: TypeInformation | undefined) => {
    const trimmed = f.trim();
    if (trimmed === "") throw new InvalidProgramError(`${what}: a field is missing around '->'`);
    return fieldId(/^\d+$/.test(trimmed) ? Number(trimmed) : trimmed, type);
  };
  const pairs: [string, string][] = [];
  for (const spec of specs)
    for (const part of spec.split(/[;,]/)) {
      if (part.trim() === "") continue;
      const [from, to, extra] = part.split("->");
      if (extra !== undefined) throw new InvalidProgramError(`${what}: '${part}' has more than one '->'`);
      pairs.push([field(from!, inType), field(to ?? from!, outType)]);
    }
  registerForwardedFields(t, pairs);
}
