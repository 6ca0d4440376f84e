/** TypeInformation of atomic values (STRING, INT, ... INSTANT) and of GENERIC. */
import { generateSerializer } from "./codec-generator.ts";
import type { TypeInformation, TypeKind } from "./type-information.ts";
import type { TypeSerializer } from "./type-serializer.ts";

export type BasicKind = Exclude<TypeKind, "TUPLE" | "ROW" | "LIST" | "MAP" | "NULLABLE">;

/**
 * An atomic type. Its serializer is generated on first use and shared: serializers keep no state
 * between calls.
 */
export class BasicTypeInfo<T> implements TypeInformation<T> {
  private serializer?: TypeSerializer<T>;

  constructor(readonly kind: BasicKind) {}

  createSerializer(): TypeSerializer<T> {
    return (this.serializer ??= generateSerializer(this));
  }

  toString(): string {
    return this.kind;
  }
}
