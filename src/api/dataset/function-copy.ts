/** Fresh copies of rich user functions, so a combiner and its final operator each own one instance (as Flink deserializes one per task). */

/**
 * Copies `value` the way a serialization round trip would: objects keep their prototype (class
 * instances stay instances, with their methods), arrays, Maps, Sets and Dates are copied, and
 * cycles are preserved. Functions and other primitives are shared, as they hold no per-task state.
 */
export function copyFunction<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return structuredClone(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(copy(v, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string | symbol, unknown>;
  seen.set(value, out);
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if ("value" in d) d.value = copy(d.value, seen);
    Object.defineProperty(out, key, d);
  }
  return out;
}
