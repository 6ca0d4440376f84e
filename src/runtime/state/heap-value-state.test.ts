/** ValueState operations, table-driven. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { ValueState } from "./state-types.ts";

function valueState(defaultValue?: unknown): ValueState<any> {
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128);
  backend.setCurrentKey("k", 7);
  return backend.getPartitionedState<ValueState<any>>({ name: "v", kind: "value", defaultValue });
}

const obj = { a: 1 };
const cases: { name: string; defaultValue?: unknown; run: (s: ValueState<any>) => unknown; expected: unknown }[] = [
  { name: "empty state is null", run: (s) => s.value(), expected: null },
  { name: "empty state gives the default value", defaultValue: 42, run: (s) => s.value(), expected: 42 },
  { name: "update then value", run: (s) => (s.update(5), s.value()), expected: 5 },
  { name: "update overwrites", run: (s) => (s.update(5), s.update(6), s.value()), expected: 6 },
  { name: "clear empties", run: (s) => (s.update(5), s.clear(), s.value()), expected: null },
  { name: "clear goes back to the default", defaultValue: "d", run: (s) => (s.update("x"), s.clear(), s.value()), expected: "d" },
  { name: "update(null) clears", run: (s) => (s.update(1), s.update(null), s.value()), expected: null },
  { name: "update(undefined) clears", defaultValue: 3, run: (s) => (s.update(1), s.update(undefined), s.value()), expected: 3 },
  { name: "0 is a value, not empty", defaultValue: 9, run: (s) => (s.update(0), s.value()), expected: 0 },
  { name: "false and empty string are values", run: (s) => [(s.update(false), s.value()), (s.update(""), s.value())], expected: [false, ""] },
  { name: "objects are stored by reference", run: (s) => (s.update(obj), s.value() === obj), expected: true },
  { name: "clear on empty state is a no-op", run: (s) => (s.clear(), s.value()), expected: null },
];

describe("HeapValueState", () => {
  for (const c of cases) test(c.name, () => expect(c.run(valueState(c.defaultValue))).toEqual(c.expected));
});
