/** Key group ranges per subtask: Flink's formula, contiguous cover, and the inverse mapping. */
import { describe, expect, test } from "bun:test";
import { InternalError } from "../../core/errors.ts";
import { computeKeyGroupRangeForOperatorIndex, computeOperatorIndexForKeyGroup } from "./key-group-range-assignment.ts";

const known: { maxP: number; p: number; ranges: [number, number][] }[] = [
  { maxP: 128, p: 1, ranges: [[0, 127]] },
  { maxP: 128, p: 2, ranges: [[0, 63], [64, 127]] },
  { maxP: 128, p: 3, ranges: [[0, 42], [43, 85], [86, 127]] },
  { maxP: 10, p: 4, ranges: [[0, 2], [3, 4], [5, 7], [8, 9]] },
];

describe("computeKeyGroupRangeForOperatorIndex", () => {
  for (const c of known) {
    test(`maxParallelism ${c.maxP}, parallelism ${c.p}`, () => {
      const ranges = c.ranges.map((_, i) => computeKeyGroupRangeForOperatorIndex(c.maxP, c.p, i));
      expect(ranges.map((r) => [r.start, r.end])).toEqual(c.ranges);
    });
  }

  for (const [maxP, p] of [[128, 5], [128, 7], [128, 128], [4096, 13], [1, 1]]) {
    test(`ranges for ${p} of ${maxP} cover every key group once, and the inverse agrees`, () => {
      let next = 0;
      for (let i = 0; i < p!; i++) {
        const { start, end } = computeKeyGroupRangeForOperatorIndex(maxP!, p!, i);
        expect(start).toBe(next);
        for (let kg = start; kg <= end; kg++) expect(computeOperatorIndexForKeyGroup(maxP!, p!, kg)).toBe(i);
        next = end + 1;
      }
      expect(next).toBe(maxP);
    });
  }

  test("parallelism above maxParallelism is an InternalError", () => {
    expect(() => computeKeyGroupRangeForOperatorIndex(4, 5, 0)).toThrow(InternalError);
  });
});
