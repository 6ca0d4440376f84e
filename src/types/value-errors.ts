/** UserErrors for values that do not match their declared type, naming where and what was found. */
import { UserError } from "../core/errors.ts";

const MAX_SHOWN = 40;

/** A short, safe description of a value for an error message (never the object itself). */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case "string": {
      const s = v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}...` : v;
      return `string ${JSON.stringify(s)}`;
    }
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `bigint ${v}n`;
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof Map) return `a Map of size ${v.size}`;
  const name = (v as object).constructor?.name;
  return name && name !== "Object" ? `an instance of ${name}` : "an object";
}

/**
 * The error for a value that does not fit `expected` at `where` (e.g. `TUPLE(STRING, INT) field 1`,
 * `LIST(INT) element 3`, `INT value`).
 */
export function valueError(where: string, expected: string, value: unknown): UserError {
  if (value === null || value === undefined) {
    return new UserError(`${where} is ${value}; declare it Types.NULLABLE(...)`);
  }
  let hint = "";
  if (typeof value === "number") {
    if (expected === "INT" && Number.isInteger(value)) hint = " (outside the 32-bit range; use Types.LONG)";
    else if ((expected === "INT" || expected === "LONG") && !Number.isInteger(value)) hint = " (not an integer; use Types.DOUBLE)";
  }
  return new UserError(`${where}: expected ${expected}, got ${describeValue(value)}${hint}`);
}
