/** DataGeneratorSource: exact coverage of the index space at any parallelism, unbounded runs, throttling. */
import { describe, expect, test } from "bun:test";
import { InvalidProgramError } from "../core/errors.ts";
import { DataGeneratorSource } from "./data-generator-source.ts";
import { CollectingOutput, runSubtasks, sourceConformance } from "./source-test-harness.ts";

const square = (i: number) => ({ id: i, sq: i * i });
for (const count of [0, 1, 10, 1001]) {
  const expected = Array.from({ length: count }, (_, i) => square(i));
  sourceConformance(`DataGeneratorSource of ${count}`, () => new DataGeneratorSource(square, count), expected, {
    ordered: true,
    parallelisms: [1, 2, 3, 5],
  });
}

describe("DataGeneratorSource", () => {
  test("subtasks interleave the index space", async () => {
    expect(await runSubtasks(() => new DataGeneratorSource((i) => i, 7), 3)).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
  });

  test("count = Infinity is unbounded and keeps going", () => {
    const source = new DataGeneratorSource((i) => i, Infinity);
    expect(source.bounded).toBe(false);
    source.open(1, 2);
    const out = new CollectingOutput<number>();
    for (let k = 0; k < 100; k++) expect(source.emitNext(out, 10)).toBe(true);
    expect(out.values.length).toBe(1000);
    expect(out.values.slice(0, 3)).toEqual([1, 3, 5]);
  });

  const throttled: [number, number, number][] = [
    // records, records per second (total), parallelism
    [40, 100, 1],
    [60, 150, 3],
  ];
  for (const [count, rate, p] of throttled) {
    test(`${count} records at ${rate}/s over ${p} subtasks take at least ~${((count - p) / rate).toFixed(2)} s`, async () => {
      const start = performance.now();
      const perSubtask = await runSubtasks(() => new DataGeneratorSource((i) => i, count, rate), p, 1000);
      const elapsed = performance.now() - start;
      expect(perSubtask.flat().length).toBe(count);
      expect(elapsed).toBeGreaterThanOrEqual(((count - p) / rate) * 1000 * 0.8);
    });
  }

  test("cancel wakes a throttled source that is waiting", async () => {
    const source = new DataGeneratorSource((i) => i, Infinity, 1);
    source.open(0, 1);
    const out = new CollectingOutput<number>();
    expect(source.emitNext(out, 10)).toBe(true);
    const waiting = source.emitNext(out, 10);
    expect(waiting).toBeInstanceOf(Promise);
    source.cancel();
    expect(await waiting).toBe(false);
    expect(out.values).toEqual([0]);
  });

  test("bad arguments are InvalidProgramErrors", () => {
    expect(() => new DataGeneratorSource((i) => i, -1)).toThrow(InvalidProgramError);
    expect(() => new DataGeneratorSource((i) => i, 1.5)).toThrow("non-negative integer or Infinity");
    expect(() => new DataGeneratorSource((i) => i, 10, 0)).toThrow("records per second must be a positive number");
    expect(new DataGeneratorSource((i) => i, Infinity, 5).describe()).toBe("DataGenerator (unbounded records, 5/s)");
  });
});
