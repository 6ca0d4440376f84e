/** How records print (print(), writeAsText): Flink's forms — tuples as (a,1), maps as {k=v}. */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return "(" + v.map(formatValue).join(",") + ")";
  if (v instanceof Map) return "{" + [...v].map(([k, x]) => `${formatValue(k)}=${formatValue(x)}`).join(", ") + "}";
  if (v instanceof Uint8Array) return "[" + v.join(", ") + "]";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && typeof (v as any).toString === "function" && (v as any).toString !== Object.prototype.toString) return String(v);
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x instanceof Map ? Object.fromEntries(x) : x));
  }
  return String(v);
}
