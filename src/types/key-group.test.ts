/** Key groups: even spread of keys, ranges by Flink's formula, and the parallelism check. */
import { describe, expect, test } from "bun:test";
import { InvalidProgramError } from "../core/errors.ts";
import {
  DEFAULT_MAX_PARALLELISM,
  KeyGroupRange,
  assignToKeyGroup,
  checkParallelism,
  computeOperatorIndexForKeyGroup,
  int32KeyGroup,
  keyGroupForHash,
} from "./key-group.ts";
import { hashInt32, hashKey } from "./key-hashing.ts";

describe("assignToKeyGroup", () => {
  // With 10k keys a group's count has sd ~8.8 around 78, so even a perfectly random hash leaves
  // some group outside ±25% about 97% of the time. 10k keys are therefore checked by a chi-square
  // test, and the ±25% bound is checked with 100k keys (±25% is then 7 sd).
  const families: [string, (i: number) => unknown][] = [
    ["strings", (i) => `key-${i}`],
    ["words", (i) => `word${i}`],
    ["sequential ints", (i) => i],
    ["doubles", (i) => i * 1.5],
    ["tuples", (i) => [`w${i % 100}`, Math.floor(i / 100)]],
    ["rows", (i) => ({ id: i })],
  ];
  const countGroups = (key: (i: number) => unknown, n: number) => {
    const counts = new Array<number>(DEFAULT_MAX_PARALLELISM).fill(0);
    for (let i = 0; i < n; i++) counts[assignToKeyGroup(key(i), DEFAULT_MAX_PARALLELISM)]!++;
    return counts;
  };
  for (const [name, key] of families) {
    test(`10k ${name}: chi-square over 128 groups below the p=0.001 bound`, () => {
      const expected = 10_000 / DEFAULT_MAX_PARALLELISM;
      const chi2 = countGroups(key, 10_000).reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      expect(chi2).toBeLessThan(182); // 127 degrees of freedom
    });
  }
  for (const [name, key] of families.slice(0, 3)) {
    test(`100k ${name}: every one of 128 groups within ±25% of the mean`, () => {
      const counts = countGroups(key, 100_000);
      const mean = 100_000 / DEFAULT_MAX_PARALLELISM;
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(mean * 0.75);
      expect(Math.max(...counts)).toBeLessThanOrEqual(mean * 1.25);
    });
  }

  const pinned: [unknown, number, number][] = [
    ["hello", 128, 63],
    ["word", 128, 36],
    [0, 128, 11],
    [1, 128, 22],
    [["a", 1], 128, 93],
    ["hello", 7, keyGroupForHash(613153351, 7)],
  ];
  for (const [key, maxP, kg] of pinned) {
    test(`${JSON.stringify(key)} -> key group ${kg} of ${maxP}`, () => {
      expect(assignToKeyGroup(key, maxP)).toBe(kg);
      expect(keyGroupForHash(hashKey(key), maxP)).toBe(kg);
    });
  }

  test("int32 keys: the straight-line hashInt32 and int32KeyGroup (assignToKeyGroup's path for them) agree with hashKey and keyGroupForHash", () => {
    const keys = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 42, -42, 65536, -65537];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) keys.push((seed = (Math.imul(seed, 1103515245) + 12345) | 0));
    for (const key of keys) {
      expect(hashInt32(key)).toBe(hashKey(key));
      for (const maxP of [1, 7, 128, 1000, 32768]) expect(int32KeyGroup(key, maxP)).toBe(keyGroupForHash(hashKey(key), maxP));
    }
  });

  test("key groups are in range for extreme hashes", () => {
    for (const h of [0, -1, 2 ** 31 - 1, -(2 ** 31)]) {
      for (const maxP of [1, 2, 128, 32768]) {
        const kg = keyGroupForHash(h, maxP);
        expect(kg >= 0 && kg < maxP && Number.isInteger(kg)).toBe(true);
      }
    }
  });
});

describe("KeyGroupRange", () => {
  test("Flink's ranges for maxParallelism 128, parallelism 3", () => {
    const ranges = [0, 1, 2].map((i) => KeyGroupRange.forOperator(128, 3, i));
    expect(ranges.map((r) => [r.start, r.end])).toEqual([[0, 42], [43, 85], [86, 127]]);
  });

  const shapes: [maxP: number, p: number][] = [[128, 1], [128, 2], [128, 3], [128, 7], [128, 128], [10, 3], [1, 1], [4096, 100], [32768, 33]];
  for (const [maxP, p] of shapes) {
    test(`maxParallelism ${maxP}, parallelism ${p}: contiguous ranges that agree with computeOperatorIndexForKeyGroup`, () => {
      let next = 0;
      for (let i = 0; i < p; i++) {
        const r = KeyGroupRange.forOperator(maxP, p, i);
        // Flink: start = (i * maxP + p - 1) / p, end = ((i + 1) * maxP - 1) / p, in integer division.
        expect(r.start).toBe(Math.floor((i * maxP + p - 1) / p));
        expect(r.end).toBe(Math.floor(((i + 1) * maxP - 1) / p));
        expect(r.start).toBe(next);
        expect(r.size).toBe(r.end - r.start + 1);
        expect(r.size).toBeGreaterThanOrEqual(Math.floor(maxP / p));
        next = r.end + 1;
        for (const kg of [r.start, r.end, (r.start + r.end) >> 1]) {
          expect(r.contains(kg)).toBe(true);
          expect(computeOperatorIndexForKeyGroup(maxP, p, kg)).toBe(i);
        }
        expect(r.contains(r.start - 1) || r.contains(r.end + 1)).toBe(false);
      }
      expect(next).toBe(maxP);
    });
  }

  test("intersect, iterate, EMPTY", () => {
    const a = new KeyGroupRange(0, 63);
    expect(a.intersect(new KeyGroupRange(60, 100))).toEqual(new KeyGroupRange(60, 63));
    expect(a.intersect(new KeyGroupRange(64, 100))).toBe(KeyGroupRange.EMPTY);
    expect(KeyGroupRange.EMPTY.size).toBe(0);
    expect([...new KeyGroupRange(3, 5)]).toEqual([3, 4, 5]);
    expect(String(a)).toBe("KeyGroupRange[0, 63]");
  });
});

describe("checkParallelism", () => {
  const bad: [p: number, maxP: number, message: string][] = [
    [200, 128, "parallelism 200 of 'Keyed Aggregation' exceeds its max parallelism 128; lower the parallelism or raise pipeline.max-parallelism"],
    [0, 128, "parallelism of 'Keyed Aggregation' must be a positive integer, got 0"],
    [1.5, 128, "must be a positive integer, got 1.5"],
    [1, 0, "max parallelism of 'Keyed Aggregation' must be an integer in 1..32768, got 0"],
    [1, 40000, "got 40000"],
  ];
  for (const [p, maxP, message] of bad) {
    test(message, () => {
      expect(() => checkParallelism(p, maxP, "Keyed Aggregation")).toThrow(InvalidProgramError);
      expect(() => checkParallelism(p, maxP, "Keyed Aggregation")).toThrow(message);
    });
  }

  test("accepts parallelism up to maxParallelism", () => {
    expect(() => checkParallelism(128, 128)).not.toThrow();
    expect(() => KeyGroupRange.forOperator(128, 129, 0)).toThrow("parallelism 129 exceeds its max parallelism 128");
    expect(() => KeyGroupRange.forOperator(128, 4, 4)).toThrow("subtask index 4 is outside 0..3");
  });
});
