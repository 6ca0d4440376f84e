/** AggregatingState operations, table-driven, and errors of the aggregate function. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { StateDescriptorLike } from "./state-descriptor.ts";
import type { AggregatingState } from "./state-types.ts";

type Fn = NonNullable<StateDescriptorLike["aggregateFunction"]>;
const boom = new Error("boom");

function aggregatingState(aggregateFunction: Fn): AggregatingState<any, any> {
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128);
  backend.setCurrentKey("k", 7);
  return backend.getPartitionedState<AggregatingState<any, any>>({ name: "a", kind: "aggregating", aggregateFunction });
}

const average: Fn = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (v: number, acc) => ({ sum: acc.sum + v, count: acc.count + 1 }),
  getResult: (acc) => acc.sum / acc.count,
};
const collectMutating: Fn = {
  createAccumulator: () => [] as unknown[],
  add: (v, acc) => (acc.push(v), acc),
  getResult: (acc) => acc.join(","),
};

const cases: { name: string; fn: Fn; adds: unknown[]; clearAfter?: number; expected: unknown }[] = [
  { name: "empty state is null", fn: average, adds: [], expected: null },
  { name: "average of one", fn: average, adds: [4], expected: 4 },
  { name: "average of three", fn: average, adds: [1, 2, 6], expected: 3 },
  { name: "an accumulator mutated in place", fn: collectMutating, adds: ["a", "b"], expected: "a,b" },
  { name: "clear then add starts from a fresh accumulator", fn: collectMutating, adds: ["a", "b", "c"], clearAfter: 2, expected: "c" },
];

describe("HeapAggregatingState", () => {
  for (const c of cases) {
    test(c.name, () => {
      const s = aggregatingState(c.fn);
      c.adds.forEach((v, i) => {
        if (i === c.clearAfter) s.clear();
        s.add(v);
      });
      expect(s.get()).toEqual(c.expected);
    });
  }

  const failing: { name: string; fn: Fn; op: (s: AggregatingState<any, any>) => unknown }[] = [
    { name: "add", fn: { ...average, add: () => { throw boom; } }, op: (s) => s.add(1) },
    { name: "createAccumulator", fn: { ...average, createAccumulator: () => { throw boom; } }, op: (s) => s.add(1) },
    { name: "getResult", fn: { ...average, getResult: () => { throw boom; } }, op: (s) => (s.add(1), s.get()) },
  ];
  for (const c of failing) {
    test(`an error thrown by ${c.name} propagates unchanged`, () => {
      const s = aggregatingState(c.fn);
      let caught: unknown;
      try {
        c.op(s);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
    });
  }
});
