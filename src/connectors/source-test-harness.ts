/** Test support: runs one SplitSource per subtask, as the runtime would, and collects what each emits. */
import { describe, expect, test } from "bun:test";
import { NO_TIMESTAMP } from "../core/stream-element.ts";
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";
import type { OperatorContext } from "../runtime/operators/operator-context.ts";

/** A SourceOutput that keeps everything. */
export class CollectingOutput<T> implements SourceOutput<T> {
  readonly values: T[] = [];
  readonly timestamps: number[] = [];
  readonly watermarks: number[] = [];
  idle = false;

  collect(value: T): void {
    this.values.push(value);
    this.timestamps.push(NO_TIMESTAMP);
  }

  collectWithTimestamp(value: T, timestamp: number): void {
    this.values.push(value);
    this.timestamps.push(timestamp);
  }

  emitWatermark(timestamp: number): void {
    this.watermarks.push(timestamp);
  }

  markIdle(): void {
    this.idle = true;
  }
}

/**
 * Creates `parallelism` sources, opens each as its subtask, pulls them round-robin with a small
 * budget until every one reports the end, closes them and returns what each subtask emitted.
 * `maxCalls` guards against a source that never ends.
 */
export async function runSubtasks<T>(
  create: () => SplitSource<T>,
  parallelism: number,
  budget = 7,
  maxCalls = 1_000_000,
  options: { splits?: SplitCounter } = {},
): Promise<T[][]> {
  const sources = Array.from({ length: parallelism }, create);
  const outputs = sources.map(() => new CollectingOutput<T>());
  if (options.splits) for (const s of sources) bindSplits(s, options.splits);
  for (let i = 0; i < parallelism; i++) await sources[i]!.open(i, parallelism);
  try {
    const running = new Set(sources.keys());
    for (let calls = 0; running.size > 0; calls++) {
      if (calls > maxCalls) throw new Error(`sources still running after ${maxCalls} emitNext calls`);
      for (const i of [...running]) {
        const r = sources[i]!.emitNext(outputs[i]!, budget);
        const more = typeof r === "boolean" ? r : await r;
        if (!more) running.delete(i);
      }
    }
  } finally {
    for (const s of sources) await s.close();
  }
  return outputs.map((o) => o.values);
}

/** The JobMaster's split sequence of one source vertex, answered asynchronously as over a message port; counts what it handed out. */
export class SplitCounter {
  claimed = 0;
  next = (): Promise<number> => Promise.resolve().then(() => this.claimed++);
}

/** Binds `source` to a context whose nextInputSplit draws from `splits` (as a cluster's OperatorContext does). */
export function bindSplits<T>(source: SplitSource<T>, splits: SplitCounter): void {
  source.bind?.(undefined as never, { nextInputSplit: splits.next } as unknown as OperatorContext);
}

/** Sorts a copy with a total order on strings, numbers and JSON, to compare multisets. */
export function canonical<T>(values: readonly T[]): T[] {
  const key = (v: T) => (typeof v === "string" ? v : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)));
  return values.map((v) => [key(v), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

/**
 * The conformance suite every SplitSource passes: at each parallelism the subtasks together emit
 * exactly `expected` (as a multiset; in order at p = 1 when `ordered`), a cancelled source ends,
 * and describe() gives a line for the plan.
 */
export function sourceConformance<T>(
  name: string,
  create: () => SplitSource<T>,
  expected: readonly T[],
  options: { parallelisms?: number[]; ordered?: boolean; budget?: number } = {},
): void {
  describe(`${name} conformance`, () => {
    for (const p of options.parallelisms ?? [1, 2, 3]) {
      test(`p=${p}: every record exactly once`, async () => {
        const perSubtask = await runSubtasks(create, p, options.budget);
        expect(canonical(perSubtask.flat())).toEqual(canonical(expected));
        if (p === 1 && options.ordered) expect(perSubtask[0]).toEqual([...expected]);
      });
    }
    test("cancel ends it; describe is one line", async () => {
      const source = create();
      await source.open(0, 1);
      source.cancel();
      const more = source.emitNext(new CollectingOutput<T>(), 5);
      expect(typeof more === "boolean" ? more : await more).toBe(false);
      await source.close();
      expect(source.describe()).toMatch(/^\S.*$/);
    });
  });
}
