/** MapState operations, table-driven. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { MapState } from "./state-types.ts";

function mapState(): MapState<any, any> {
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128);
  backend.setCurrentKey("k", 7);
  return backend.getPartitionedState<MapState<any, any>>({ name: "m", kind: "map" });
}

const view = (s: MapState<any, any>) => ({ entries: [...s.entries()], keys: [...s.keys()], values: [...s.values()], isEmpty: s.isEmpty() });
const empty = { entries: [], keys: [], values: [], isEmpty: true };

const cases: { name: string; run: (s: MapState<any, any>) => unknown; expected: unknown }[] = [
  { name: "empty state", run: view, expected: empty },
  { name: "get of a missing key is undefined", run: (s) => (s.put("a", 1), s.get("b")), expected: undefined },
  { name: "put then get", run: (s) => (s.put("a", 1), s.get("a")), expected: 1 },
  { name: "put overwrites", run: (s) => (s.put("a", 1), s.put("a", 2), view(s)), expected: { entries: [["a", 2]], keys: ["a"], values: [2], isEmpty: false } },
  { name: "putAll from a Map", run: (s) => (s.putAll(new Map([["a", 1], ["b", 2]])), view(s).entries), expected: [["a", 1], ["b", 2]] },
  { name: "putAll from a record", run: (s) => (s.putAll({ x: 1, y: 2 }), view(s).entries), expected: [["x", 1], ["y", 2]] },
  { name: "remove one key", run: (s) => (s.putAll({ a: 1, b: 2 }), s.remove("a"), view(s).entries), expected: [["b", 2]] },
  { name: "removing the last key empties the state", run: (s) => (s.put("a", 1), s.remove("a"), view(s)), expected: empty },
  { name: "remove of a missing key is a no-op", run: (s) => (s.put("a", 1), s.remove("z"), view(s).keys), expected: ["a"] },
  { name: "contains", run: (s) => (s.put("a", null), [s.contains("a"), s.contains("b")]), expected: [true, false] },
  { name: "clear", run: (s) => (s.putAll({ a: 1, b: 2 }), s.clear(), view(s)), expected: empty },
  { name: "number and string keys differ", run: (s) => (s.put(1, "n"), s.put("1", "s"), [s.get(1), s.get("1")]), expected: ["n", "s"] },
  {
    name: "composite keys compare by value and keep the original key",
    run: (s) => {
      const original = [1, "x"];
      s.put(original, "v");
      s.put([2, "y"], "w");
      return [s.get([1, "x"]), s.contains([2, "y"]), [...s.keys()][0] === original];
    },
    expected: ["v", true, true],
  },
  {
    name: "removing while iterating entries() is safe",
    run: (s) => {
      s.putAll({ a: 1, b: 2, c: 3 });
      for (const [k, v] of s.entries()) if (v !== 2) s.remove(k);
      return view(s).entries;
    },
    expected: [["b", 2]],
  },
];

describe("HeapMapState", () => {
  for (const c of cases) test(c.name, () => expect(c.run(mapState())).toEqual(c.expected));
});
