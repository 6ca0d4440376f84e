/** Infers the TypeInformation of a collection's elements where it is obvious (Flink's TypeExtractor, in small). */
import type { TypeInformation } from "../types/type-information.ts";
import { Types } from "../types/types.ts";

/** STRING, BOOLEAN, LONG (safe integers), DOUBLE or BIGINT when every element is one; otherwise undefined (generic). */
export function inferElementType(items: readonly unknown[]): TypeInformation | undefined {
  if (items.length === 0) return undefined;
  const kind = typeof items[0];
  if (!items.every((x) => typeof x === kind)) return undefined;
  switch (kind) {
    case "string":
      return Types.STRING;
    case "boolean":
      return Types.BOOLEAN;
    case "bigint":
      return Types.BIGINT;
    case "number":
      return items.every((x) => Number.isSafeInteger(x)) ? Types.LONG : Types.DOUBLE;
    default:
      return undefined;
  }
}
