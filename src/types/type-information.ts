/** TypeInformation: what a stream's records are, how they serialize, and how fields are addressed. */
import { InvalidProgramError } from "../core/errors.ts";
import type { TypeSerializer } from "./type-serializer.ts";

export type TypeKind =
  | "STRING"
  | "INT"
  | "LONG"
  | "BIGINT"
  | "DOUBLE"
  | "FLOAT"
  | "BOOLEAN"
  | "BYTES"
  | "INSTANT"
  | "TUPLE"
  | "ROW"
  | "LIST"
  | "MAP"
  | "NULLABLE"
  | "GENERIC";

export interface TypeInformation<T = unknown> {
  readonly kind: TypeKind;
  /** A serializer for values of this type; cheap to call (serializers are generated once per type). */
  createSerializer(): TypeSerializer<T>;
  /** The canonical form: `TUPLE(STRING, INT)`, `ROW(word: STRING, n: INT)`, `MAP(STRING, LONG)`. */
  toString(): string;
  /** TUPLE and ROW: the field types, by position. */
  readonly fieldTypes?: TypeInformation[];
  /** ROW: the field names, in the order of fieldTypes. */
  readonly fieldNames?: string[];
  /** LIST: the element type. */
  readonly elementType?: TypeInformation;
  /** MAP: the key and value types. */
  readonly keyType?: TypeInformation;
  readonly valueType?: TypeInformation;
  /** NULLABLE: the type of the non-null values. */
  readonly innerType?: TypeInformation;
}

const NUMERIC_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(["INT", "LONG", "BIGINT", "DOUBLE", "FLOAT"]);

/** True for INT, LONG, BIGINT, DOUBLE and FLOAT: the types sum/min/max aggregate. */
export function isNumericType(t: TypeInformation): boolean {
  return NUMERIC_KINDS.has(t.kind);
}

/**
 * Resolves a field of a record type, as Flink's field expressions do: a position or `"f<n>"` of a
 * TUPLE, a name or position of a ROW, position 0 or `"*"` of an atomic type (the value itself);
 * any field of GENERIC is GENERIC (checked only when records run).
 * `operatorName` prefixes the error and should name the call and operator, e.g.
 * `sum(3) on 'Keyed Aggregation'`.
 */
export function fieldType(type: TypeInformation, field: number | string, operatorName: string): TypeInformation {
  const found = findField(type, field);
  if (found) return found;
  const shown = typeof field === "number" ? String(field) : `'${field}'`;
  throw new InvalidProgramError(`${operatorName}: ${type.toString()} has no field ${shown}`);
}

function findField(type: TypeInformation, field: number | string): TypeInformation | undefined {
  const fields = type.fieldTypes;
  if (type.kind === "TUPLE" && fields) {
    const pos = typeof field === "number" ? field : /^f\d+$/.test(field) ? Number(field.slice(1)) : -1;
    return Number.isInteger(pos) && pos >= 0 ? fields[pos] : undefined;
  }
  if (type.kind === "ROW" && fields && type.fieldNames) {
    const pos = typeof field === "number" ? field : type.fieldNames.indexOf(field);
    return Number.isInteger(pos) && pos >= 0 ? fields[pos] : undefined;
  }
  if (type.kind === "GENERIC") return type;
  if (type.kind === "LIST" || type.kind === "MAP") return undefined;
  return field === 0 || field === "*" ? type : undefined;
}
