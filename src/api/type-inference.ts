/** Infers the TypeInformation of a collection's elements where it is obvious (Flink's TypeExtractor, in small). */
import type { TypeInformation } from "../types/type-information.ts";
import { Types } from "../types/types.ts";

/**
 * STRING, BOOLEAN, DOUBLE or BIGINT when every element is one; otherwise undefined (generic).
 * Numbers are DOUBLE even when all are integers: a JS function over them may well return
 * fractions (a reduce that averages), and DOUBLE holds every JS number exactly.
 */
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
      return Types.DOUBLE;
    default:
      return undefined;
  }
}
