/** Accumulators: snapshot -> (cross a thread) -> restore -> merge gives what merging the live objects gives. */
import { describe, expect, test } from "bun:test";
import {
  AverageAccumulator,
  DoubleCounter,
  DoubleMaximum,
  DoubleMinimum,
  Histogram,
  IntCounter,
  IntMaximum,
  IntMinimum,
  ListAccumulator,
  LongCounter,
  mergeAccumulators,
  restoreAccumulator,
  snapshotAccumulator,
  type Accumulator,
  type AccumulatorSnapshot,
} from "./accumulators.ts";

type Acc = Accumulator<any, any>;

/** Per kind: a factory, the values each of three subtasks adds (one adds none), and the merged value. */
const kinds: { name: string; make: () => Acc; inputs: unknown[][]; merged: unknown }[] = [
  { name: "IntCounter", make: () => new IntCounter(), inputs: [[1, 2, 3], [], [10]], merged: 16 },
  { name: "LongCounter", make: () => new LongCounter(), inputs: [[2 ** 40], [], [2 ** 40, 1]], merged: 2 ** 41 + 1 },
  { name: "DoubleCounter", make: () => new DoubleCounter(), inputs: [[0.5, 0.25], [], [1]], merged: 1.75 },
  { name: "AverageAccumulator", make: () => new AverageAccumulator(), inputs: [[1, 2, 3], [], [10]], merged: 4 },
  { name: "IntMaximum", make: () => new IntMaximum(), inputs: [[-5, 3], [], [-7]], merged: 3 },
  { name: "IntMinimum", make: () => new IntMinimum(), inputs: [[5, 3], [], [7]], merged: 3 },
  { name: "DoubleMaximum", make: () => new DoubleMaximum(), inputs: [[-0.5, -2.5], [], [-1.5]], merged: -0.5 },
  { name: "DoubleMinimum", make: () => new DoubleMinimum(), inputs: [[0.5], [], [2.5, 0.25]], merged: 0.25 },
  { name: "Histogram", make: () => new Histogram(), inputs: [[1, 1, 2], [], [2, 3]], merged: new Map([[1, 2], [2, 2], [3, 1]]) },
  { name: "ListAccumulator", make: () => new ListAccumulator(), inputs: [["a", { b: 1 }], [], [["c"], null]], merged: ["a", { b: 1 }, ["c"], null] },
];

const filled = (make: () => Acc, values: unknown[]) => {
  const a = make();
  for (const v of values) a.add(v);
  return a;
};

/** Merging the live accumulators on one thread: the reference. */
const mergeDirectly = (accs: Acc[]) => {
  const into = accs[0]!.clone();
  for (const a of accs.slice(1)) into.merge(a);
  return into.getLocalValue();
};

describe("snapshot, restore and merge across subtasks", () => {
  for (const { name, make, inputs, merged } of kinds) {
    test(`${name}: merged through snapshots equals merged directly`, () => {
      const subtasks = inputs.map((values) => filled(make, values));
      expect(mergeDirectly(subtasks)).toEqual(merged);
      const snapshots = subtasks.map((a) => structuredClone({ [name]: snapshotAccumulator(a) }));
      expect(mergeAccumulators(snapshots)).toEqual(new Map([[name, merged]]));
    });

    test(`${name}: a restored snapshot has the kind and local value of the original`, () => {
      const original = filled(make, inputs[0]!);
      const snap = structuredClone(snapshotAccumulator(original));
      expect(snap.kind).toBe(name);
      const restored = restoreAccumulator(snap);
      expect(restored.constructor).toBe(original.constructor);
      expect(restored.getLocalValue()).toEqual(original.getLocalValue());
      // still a working accumulator after the trip, and not sharing state with the original
      restored.add(inputs[2]![0]);
      expect(restored.getLocalValue()).toEqual(mergeDirectly([original, filled(make, [inputs[2]![0]])]));
      expect(original.getLocalValue()).toEqual(filled(make, inputs[0]!).getLocalValue());
    });

    test(`${name}: subtask order does not change the result`, () => {
      const snaps = inputs.map((values) => structuredClone({ acc: snapshotAccumulator(filled(make, values)) }));
      const forward = mergeAccumulators(snaps).get("acc");
      const backward = mergeAccumulators([...snaps].reverse()).get("acc");
      const canon = (v: unknown) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : v); // a list keeps subtask order
      expect(canon(backward)).toEqual(canon(forward));
    });

    test(`${name}: merging leaves the snapshots as they were`, () => {
      const snaps = inputs.map((values) => structuredClone({ acc: snapshotAccumulator(filled(make, values)) }));
      const before = structuredClone(snaps);
      const first = mergeAccumulators(snaps);
      expect(snaps).toEqual(before);
      expect(mergeAccumulators(snaps)).toEqual(first); // merging again gives the same
    });
  }

  test("IntCounter wraps at 32 bits as it adds", () => {
    const c = new IntCounter();
    c.add(2 ** 31 - 1);
    c.add(1);
    expect(c.getLocalValue()).toBe(-(2 ** 31));
  });

  test("resetLocal returns each kind to its empty value", () => {
    for (const { make, inputs } of kinds) {
      const a = filled(make, inputs[0]!);
      a.resetLocal();
      expect(a.getLocalValue()).toEqual(make().getLocalValue());
    }
  });
});

describe("several accumulators and unknown kinds", () => {
  test("names are merged independently; a name missing on some subtasks still merges", () => {
    const sub1 = { lines: snapshotAccumulator(filled(() => new LongCounter(), [3])), max: snapshotAccumulator(filled(() => new IntMaximum(), [9])) };
    const sub2 = { lines: snapshotAccumulator(filled(() => new LongCounter(), [4])) };
    const merged = mergeAccumulators(structuredClone([sub1, sub2]));
    expect(merged).toEqual(new Map<string, unknown>([["lines", 7], ["max", 9]]));
  });

  test("no snapshots: nothing merged", () => {
    expect(mergeAccumulators([]).size).toBe(0);
    expect(mergeAccumulators([{}, {}]).size).toBe(0);
  });

  test("a user-defined accumulator travels as its value; the values of all subtasks are collected", () => {
    class Concat implements Accumulator<string, string> {
      s = "";
      add(v: string) {
        this.s += v;
      }
      getLocalValue() {
        return this.s;
      }
      resetLocal() {
        this.s = "";
      }
      merge(o: Accumulator<string, string>) {
        this.s += o.getLocalValue();
      }
      clone() {
        return Object.assign(new Concat(), { s: this.s });
      }
    }
    const snaps: Record<string, AccumulatorSnapshot>[] = ["ab", "cd"].map((s) => structuredClone({ c: snapshotAccumulator(filled(() => new Concat(), [s])) }));
    expect(snaps[0]!.c).toEqual({ kind: "Opaque", state: "ab" });
    expect(mergeAccumulators(snaps)).toEqual(new Map([["c", ["ab", "cd"]]]));
  });
});
