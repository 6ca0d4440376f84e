/** Channel selectors: which consumer subtask each record goes to, per partitioner kind. */
import { describe, expect, test } from "bun:test";
import { createChannelSelector, type PartitionerSpec } from "./channel-selector.ts";
import type { PartitionerKind } from "../jobgraph/job-graph.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "../../types/key-group.ts";

const spec = (kind: PartitionerKind, extra: Partial<PartitionerSpec> = {}): PartitionerSpec => ({ kind, maxParallelism: 128, ...extra });
const values = Array.from({ length: 20 }, (_, i) => ({ id: i, word: `w${i % 7}` }));
const selectAll = (kind: PartitionerKind, n: number, subtask = 0, extra: Partial<PartitionerSpec> = {}) => {
  const s = createChannelSelector(spec(kind, extra), n, subtask);
  return values.map((v) => s.select(v));
};

describe("fixed selectors", () => {
  const cases: { kind: PartitionerKind; channels: number; subtask: number; expected: number }[] = [
    { kind: "forward", channels: 1, subtask: 0, expected: 0 },
    { kind: "forward", channels: 4, subtask: 3, expected: 0 },
    { kind: "global", channels: 1, subtask: 0, expected: 0 },
    { kind: "global", channels: 5, subtask: 2, expected: 0 },
    { kind: "broadcast", channels: 1, subtask: 0, expected: -1 },
    { kind: "broadcast", channels: 3, subtask: 1, expected: -1 },
    // one channel: everything but broadcast goes to channel 0
    { kind: "rebalance", channels: 1, subtask: 5, expected: 0 },
    { kind: "shuffle", channels: 1, subtask: 0, expected: 0 },
    { kind: "hash", channels: 1, subtask: 0, expected: 0 },
  ];
  for (const { kind, channels, subtask, expected } of cases) {
    test(`${kind} over ${channels} channel(s) from subtask ${subtask}: always ${expected}`, () => {
      expect(selectAll(kind, channels, subtask, { keySelector: (v) => (v as { word: string }).word })).toEqual(values.map(() => expected));
    });
  }
});

describe("round robin", () => {
  const cases: { kind: PartitionerKind; channels: number; subtask: number; first: number[] }[] = [
    { kind: "rebalance", channels: 3, subtask: 0, first: [0, 1, 2, 0, 1, 2, 0] },
    { kind: "rebalance", channels: 3, subtask: 1, first: [1, 2, 0, 1, 2, 0, 1] },
    { kind: "rebalance", channels: 4, subtask: 6, first: [2, 3, 0, 1, 2, 3, 0] },
    { kind: "rescale", channels: 2, subtask: 0, first: [0, 1, 0, 1, 0, 1, 0] },
    { kind: "rescale", channels: 2, subtask: 1, first: [1, 0, 1, 0, 1, 0, 1] },
  ];
  for (const { kind, channels, subtask, first } of cases) {
    test(`${kind} over ${channels} from subtask ${subtask} starts at ${subtask % channels} and cycles`, () => {
      expect(selectAll(kind, channels, subtask).slice(0, first.length)).toEqual(first);
    });
  }

  test("rebalance spreads evenly", () => {
    const counts = [0, 0, 0, 0, 0];
    for (const c of selectAll("rebalance", 5, 2)) counts[c]!++;
    expect(counts).toEqual([4, 4, 4, 4, 4]);
  });
});

describe("shuffle", () => {
  test("picks a channel in range for every record", () => {
    for (const c of selectAll("shuffle", 3)) {
      expect(Number.isInteger(c)).toBe(true);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(3);
    }
  });
});

describe("hash", () => {
  const keys: { name: string; key: (v: { id: number; word: string }) => unknown }[] = [
    { name: "string key", key: (v) => v.word },
    { name: "int key", key: (v) => v.id },
    { name: "tuple key", key: (v) => [v.word, v.id % 3] },
  ];
  for (const { name, key } of keys)
    for (const [channels, maxP] of [
      [2, 128],
      [3, 128],
      [7, 16],
      [4, 4],
    ] as const) {
      test(`${name}, ${channels} channels, max parallelism ${maxP}: the owner of the key's key group`, () => {
        const keySelector = key as (v: unknown) => unknown;
        const s = createChannelSelector(spec("hash", { keySelector, maxParallelism: maxP }), channels, 0);
        for (const v of values) {
          const expected = computeOperatorIndexForKeyGroup(maxP, channels, assignToKeyGroup(key(v), maxP));
          expect(s.select(v)).toBe(expected);
          expect(s.select(v)).toBe(expected); // the same key again: the same channel
        }
      });
    }

  test("the same key from different producer subtasks reaches the same channel", () => {
    const keySelector = (v: unknown) => (v as { word: string }).word;
    const fromSubtask = (i: number) => selectAll("hash", 4, i, { keySelector });
    expect(fromSubtask(1)).toEqual(fromSubtask(0));
    expect(fromSubtask(3)).toEqual(fromSubtask(0));
    expect(new Set(fromSubtask(0)).size).toBeGreaterThan(1); // 7 words do not all land on one channel
  });
});

describe("custom", () => {
  const keySelector = (v: unknown) => (v as { id: number }).id;
  test("uses the partitioner's answer, given the key and the channel count", () => {
    const seen: [unknown, number][] = [];
    const s = createChannelSelector(
      spec("custom", { keySelector, customPartitioner: (k, n) => (seen.push([k, n]), (k as number) % n) }),
      3,
      0,
    );
    expect(values.slice(0, 5).map((v) => s.select(v))).toEqual([0, 1, 2, 0, 1]);
    expect(seen).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
      [4, 3],
    ]);
  });

  const bad: [string, number][] = [
    ["negative", -1],
    ["equal to the channel count", 3],
    ["beyond it", 10],
    ["fractional", 1.5],
    ["NaN", NaN],
  ];
  for (const [name, answer] of bad) {
    test(`an answer that is ${name} throws RangeError`, () => {
      const s = createChannelSelector(spec("custom", { keySelector, customPartitioner: () => answer }), 3, 0);
      expect(() => s.select(values[0])).toThrow(RangeError);
      expect(() => s.select(values[0])).toThrow(`custom partitioner returned ${answer}; expected an integer in [0, 3)`);
    });
  }
});
