/** CollectionSource and SequenceSource: the conformance suite plus their splitting rules. */
import { describe, expect, test } from "bun:test";
import { InvalidProgramError } from "../core/errors.ts";
import { CollectionSource, SequenceSource } from "./collection-source.ts";
import { runSubtasks, sourceConformance } from "./source-test-harness.ts";

const words = ["to", "be", "or", "not", "to", "be", { a: 1 }, null, 0];
sourceConformance("CollectionSource", () => new CollectionSource<unknown>(words), words, { ordered: true });
sourceConformance("CollectionSource, empty", () => new CollectionSource<number>([]), []);
sourceConformance("CollectionSource of an iterable", () => new CollectionSource(new Set([3, 1, 2])), [3, 1, 2], { ordered: true });

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sequences: [number, number][] = [[1, 10], [0, 0], [-5, 5], [1, 1000], [7, 8]];
for (const [from, to] of sequences) {
  sourceConformance(`SequenceSource ${from}..${to}`, () => new SequenceSource(from, to), range(from, to), {
    ordered: true,
    parallelisms: [1, 2, 3, 4],
  });
}

describe("splitting", () => {
  test("CollectionSource is non-parallel: subtask 0 emits everything", async () => {
    expect(new CollectionSource([1]).maxSourceParallelism).toBe(1);
    expect(await runSubtasks(() => new CollectionSource([1, 2, 3]), 3)).toEqual([[1, 2, 3], [], []]);
  });

  const cases: [number, number, number, number[][]][] = [
    [1, 10, 3, [range(1, 4), range(5, 7), range(8, 10)]],
    [1, 2, 3, [[1], [2], []]],
    [0, 5, 2, [range(0, 2), range(3, 5)]],
  ];
  for (const [from, to, p, expected] of cases) {
    test(`SequenceSource ${from}..${to} at p=${p} gives contiguous ranges, larger first`, async () => {
      expect(await runSubtasks(() => new SequenceSource(from, to), p)).toEqual(expected);
    });
  }

  test("a huge sequence splits exactly", () => {
    const max = Number.MAX_SAFE_INTEGER;
    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = new SequenceSource(0, max - 1);
      s.open(i, 3);
      s.emitNext({ collect: (v) => first.push(v), collectWithTimestamp() {}, emitWatermark() {}, markIdle() {} }, 1);
    }
    expect(first).toEqual([0, 3002399751580331, 6004799503160661]);
  });

  test("start after end is an InvalidProgramError", () => {
    expect(() => new SequenceSource(5, 1)).toThrow(InvalidProgramError);
    expect(() => new SequenceSource(5, 1)).toThrow("sequence start 5 must not be greater than its end 1");
  });

  test("describe", () => {
    expect(new SequenceSource(1, 9).describe()).toBe("Sequence 1..9");
    expect(new CollectionSource([1, 2]).describe()).toBe("Collection (2 elements)");
  });
});
