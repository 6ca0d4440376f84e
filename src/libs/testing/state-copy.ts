/** A deep copy that keeps classes: what serializing a snapshot and reading it back would give, without a serializer. */

/**
 * Copies arrays, plain objects, class instances (same prototype, own enumerable fields), Maps,
 * Sets, Dates, typed arrays and ArrayBuffers; shared and cyclic references stay shared. Primitives
 * and functions are returned as they are.
 */
export function copyState<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const e of v) out.push(copy(e, seen));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, e] of v) out.set(copy(k, seen), copy(e, seen));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    seen.set(v, out);
    for (const e of v) out.add(copy(e, seen));
    return out;
  }
  if (v instanceof Date) return new Date(v.getTime());
  if (v instanceof ArrayBuffer) return v.slice(0);
  if (ArrayBuffer.isView(v)) return v instanceof DataView ? new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) : (v as unknown as Uint8Array).slice();
  const out = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k], seen);
  return out;
}
