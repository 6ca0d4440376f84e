/** TypeInformation of composite values: TUPLE (array), ROW (object), LIST, MAP and NULLABLE. */
import { checkArgument } from "../core/errors.ts";
import { generateSerializer } from "./codec-generator.ts";
import type { TypeInformation } from "./type-information.ts";
import type { TypeSerializer } from "./type-serializer.ts";

/** Holds the lazily generated, shared serializer of a composite type. */
abstract class CompositeTypeInfo<T> implements TypeInformation<T> {
  abstract readonly kind: "TUPLE" | "ROW" | "LIST" | "MAP" | "NULLABLE";
  private serializer?: TypeSerializer<T>;

  createSerializer(): TypeSerializer<T> {
    return (this.serializer ??= generateSerializer(this));
  }

  abstract toString(): string;
}

/** A fixed-length JS array whose positions have the given types (Flink's TupleN). */
export class TupleTypeInfo<T extends unknown[] = unknown[]> extends CompositeTypeInfo<T> {
  readonly kind = "TUPLE" as const;
  constructor(readonly fieldTypes: TypeInformation[]) {
    super();
    fieldTypes.forEach((t, i) => checkType(t, `Types.TUPLE field ${i}`));
  }
  toString(): string {
    return `TUPLE(${this.fieldTypes.join(", ")})`;
  }
}

/** A plain object with named, typed fields (Flink's Row with field names). */
export class RowTypeInfo<T extends object = Record<string, unknown>> extends CompositeTypeInfo<T> {
  readonly kind = "ROW" as const;
  readonly fieldNames: string[];
  readonly fieldTypes: TypeInformation[];
  constructor(fields: Record<string, TypeInformation>) {
    super();
    this.fieldNames = Object.keys(fields);
    this.fieldTypes = this.fieldNames.map((name) => checkType(fields[name], `Types.ROW field '${name}'`));
  }
  toString(): string {
    return `ROW(${this.fieldNames.map((n, i) => `${n}: ${this.fieldTypes[i]}`).join(", ")})`;
  }
}

/** A JS array of any length whose elements share one type. */
export class ListTypeInfo<T = unknown> extends CompositeTypeInfo<T[]> {
  readonly kind = "LIST" as const;
  constructor(readonly elementType: TypeInformation<T>) {
    super();
    checkType(elementType, "Types.LIST element type");
  }
  toString(): string {
    return `LIST(${this.elementType})`;
  }
}

/** A JS Map; entries keep their insertion order through serialization. */
export class MapTypeInfo<K = unknown, V = unknown> extends CompositeTypeInfo<Map<K, V>> {
  readonly kind = "MAP" as const;
  constructor(
    readonly keyType: TypeInformation<K>,
    readonly valueType: TypeInformation<V>,
  ) {
    super();
    checkType(keyType, "Types.MAP key type");
    checkType(valueType, "Types.MAP value type");
  }
  toString(): string {
    return `MAP(${this.keyType}, ${this.valueType})`;
  }
}

/** Values of the inner type, or null, or undefined (kept distinct through serialization). */
export class NullableTypeInfo<T = unknown> extends CompositeTypeInfo<T | null | undefined> {
  readonly kind = "NULLABLE" as const;
  constructor(readonly innerType: TypeInformation<T>) {
    super();
    checkType(innerType, "Types.NULLABLE inner type");
  }
  toString(): string {
    return `NULLABLE(${this.innerType})`;
  }
}

function checkType(t: unknown, what: string): TypeInformation {
  const ok = typeof t === "object" && t !== null && typeof (t as TypeInformation).createSerializer === "function";
  checkArgument(ok, `${what} is not a TypeInformation (use Types.STRING, Types.INT, ...)`);
  return t as TypeInformation;
}
