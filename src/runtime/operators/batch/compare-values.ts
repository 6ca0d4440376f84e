/** A total order over the values records carry, for sortGroup, minBy/maxBy and MIN/MAX aggregations. */

/**
 * Orders two field values: null and undefined first, then numbers and bigints together
 * (numerically, NaN last), strings by UTF-16 code units (Java's String.compareTo), false before
 * true, byte arrays and arrays (tuples) lexicographically, Dates by time, rows by their fields in
 * the left row's order. Values of different kinds order by kind, never throw.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) {
    if (a !== a) return b !== b ? 0 : 1; // NaN sorts last, as Java's Double.compare
    if (b !== b) return -1;
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (ta !== tb) return kindRank(ta) - kindRank(tb);
  if (ta === "string") return (a as string) < (b as string) ? -1 : 1;
  if (ta === "boolean") return a ? 1 : -1;
  return compareObjects(a as object, b as object);
}

function compareObjects(a: object, b: object): number {
  if (Array.isArray(a) && Array.isArray(b)) return compareSequences(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareSequences(a, b);
  if (a instanceof Date && b instanceof Date) return compareValues(a.getTime(), b.getTime());
  const ka = objectRank(a);
  const kb = objectRank(b);
  if (ka !== kb) return ka - kb;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const name in ra) {
    const c = compareValues(ra[name], rb[name]);
    if (c !== 0) return c;
  }
  return 0;
}

function compareSequences(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function kindRank(kind: string): number {
  switch (kind) {
    case "boolean":
      return 1;
    case "number":
    case "bigint":
      return 2;
    case "string":
      return 3;
    case "object":
      return 4;
    default:
      return 5;
  }
}

function objectRank(o: object): number {
  if (Array.isArray(o)) return 0;
  if (o instanceof Uint8Array) return 1;
  if (o instanceof Date) return 2;
  return 3;
}
