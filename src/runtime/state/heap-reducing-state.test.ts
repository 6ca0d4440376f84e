/** ReducingState operations, table-driven, and errors of the reduce function. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { ReducingState } from "./state-types.ts";

function reducingState(reduceFunction: (a: any, b: any) => any): ReducingState<any> {
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128);
  backend.setCurrentKey("k", 7);
  return backend.getPartitionedState<ReducingState<any>>({ name: "r", kind: "reducing", reduceFunction });
}

const sum = (a: number, b: number) => a + b;
const cases: { name: string; fn: (a: any, b: any) => any; adds: unknown[]; clearAfter?: number; expected: unknown }[] = [
  { name: "empty state is null", fn: sum, adds: [], expected: null },
  { name: "first add stores the value as is", fn: () => "never called", adds: [5], expected: 5 },
  { name: "sums", fn: sum, adds: [1, 2, 3], expected: 6 },
  { name: "reduce(existing, added) argument order", fn: (a: string, b: string) => `${a}${b}`, adds: ["a", "b", "c"], expected: "abc" },
  { name: "max", fn: Math.max, adds: [3, 9, 4], expected: 9 },
  { name: "clear then add starts over", fn: sum, adds: [1, 2, 10], clearAfter: 2, expected: 10 },
];

describe("HeapReducingState", () => {
  for (const c of cases) {
    test(c.name, () => {
      const s = reducingState(c.fn);
      c.adds.forEach((v, i) => {
        if (i === c.clearAfter) s.clear();
        s.add(v);
      });
      expect(s.get()).toEqual(c.expected);
    });
  }

  test("an error of the reduce function propagates unchanged and keeps the state", () => {
    const boom = new Error("boom");
    const s = reducingState((a, b) => {
      if (b === 0) throw boom;
      return a + b;
    });
    s.add(1);
    let caught: unknown;
    try {
      s.add(0);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    expect(s.get()).toBe(1);
  });
});
