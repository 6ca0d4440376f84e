/** The built-in watermark generators, step by step: Flink's "max timestamp - bound - 1" rule and idleness. */
import { describe, expect, test } from "bun:test";
import { WatermarkStrategy, WatermarksWithIdleness, type WatermarkGenerator, type WatermarkOutput } from "./watermark-strategy.ts";
import { MIN_WATERMARK, Watermark } from "../core/stream-element.ts";
import { Time } from "./time.ts";

/** Records what a generator emits: numbers for watermarks, "idle" / "active" for status. */
function recorder(): WatermarkOutput & { log: (number | string)[] } {
  const log: (number | string)[] = [];
  return { log, emitWatermark: (w) => void log.push(w.timestamp), markIdle: () => void log.push("idle"), markActive: () => void log.push("active") };
}

/** Feeds events ("e:ts") and periodic emits ("p"), returning the watermark after each "p". */
function drive<T>(gen: WatermarkGenerator<T>, steps: (number | "p")[]): number[] {
  const out = recorder();
  const marks: number[] = [];
  for (const s of steps) {
    if (s === "p") {
      const before = out.log.length;
      gen.onPeriodicEmit(out);
      marks.push(...(out.log.slice(before) as number[]));
    } else gen.onEvent(undefined as never, s, out);
  }
  return marks;
}

const ctx = { autoWatermarkInterval: 200 };

describe("built-in generators", () => {
  const cases: { name: string; strategy: WatermarkStrategy<unknown>; steps: (number | "p")[]; expected: number[] }[] = [
    { name: "monotonous: before any event the watermark is MIN", strategy: WatermarkStrategy.forMonotonousTimestamps(), steps: ["p"], expected: [MIN_WATERMARK] },
    { name: "monotonous: max timestamp - 1", strategy: WatermarkStrategy.forMonotonousTimestamps(), steps: [1000, "p", 2000, 3000, "p"], expected: [999, 2999] },
    { name: "monotonous: a smaller timestamp does not lower it", strategy: WatermarkStrategy.forMonotonousTimestamps(), steps: [5000, 4000, "p", 4500, "p"], expected: [4999, 4999] },
    { name: "bounded 500 ms: max - 500 - 1", strategy: WatermarkStrategy.forBoundedOutOfOrderness(500), steps: [1000, "p", 800, 1200, "p"], expected: [499, 699] },
    { name: "bounded as Time", strategy: WatermarkStrategy.forBoundedOutOfOrderness(Time.seconds(2)), steps: [10_000, "p"], expected: [7999] },
    { name: "bounded 0 is monotonous", strategy: WatermarkStrategy.forBoundedOutOfOrderness(0), steps: [7, "p"], expected: [6] },
    { name: "negative timestamps", strategy: WatermarkStrategy.forBoundedOutOfOrderness(10), steps: [-100, "p"], expected: [-111] },
    { name: "no watermarks", strategy: WatermarkStrategy.noWatermarks(), steps: [5, "p", 10, "p"], expected: [] },
  ];
  for (const { name, strategy, steps, expected } of cases) test(name, () => expect(drive(strategy.createWatermarkGenerator(ctx), steps)).toEqual(expected));
});

describe("strategy settings", () => {
  test("withTimestampAssigner and withIdleness keep the generator; each returns a new strategy", () => {
    const base = WatermarkStrategy.forBoundedOutOfOrderness<{ t: number }>(100);
    const s = base.withTimestampAssigner((e) => e.t).withIdleness(Time.seconds(1));
    expect(base.timestampAssigner).toBeUndefined();
    expect(s.timestampAssigner!({ t: 42 }, 0)).toBe(42);
    expect(s.idleTimeout).toBe(1000);
    expect(drive(s.createWatermarkGenerator(ctx), [1000, "p"])).toEqual([899]);
  });

  test("an assigner object with extractTimestamp is accepted", () => {
    const s = WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner({ extractTimestamp: (e, ts) => e + ts });
    expect(s.timestampAssigner!(1, 2)).toBe(3);
  });

  test("forGenerator builds the custom generator with the context", () => {
    let seen = 0;
    const s = WatermarkStrategy.forGenerator<number>((c) => {
      seen = c.autoWatermarkInterval;
      return { onEvent: (_e, ts, out) => out.emitWatermark(new Watermark(ts)), onPeriodicEmit() {} };
    });
    const out = recorder();
    s.createWatermarkGenerator(ctx).onEvent(1, 77, out);
    expect([seen, out.log]).toEqual([200, [77]]);
  });

  test.each([
    ["negative bound", () => WatermarkStrategy.forBoundedOutOfOrderness(-1), "forBoundedOutOfOrderness: the out-of-orderness bound must be a non-negative number of milliseconds, got -1"],
    ["zero idle timeout", () => WatermarkStrategy.forMonotonousTimestamps().withIdleness(0), "withIdleness: the idle timeout must be positive, got 0"],
  ])("%s is rejected", (_n, make, message) => expect(make).toThrow(message));
});

describe("idleness", () => {
  test("idle after the timeout without events; an event makes it active; watermarks resume", () => {
    let now = 0;
    const gen = new WatermarksWithIdleness<unknown>(WatermarkStrategy.forMonotonousTimestamps().createWatermarkGenerator(ctx), 1000, () => now);
    const out = recorder();
    gen.onEvent(null, 10, out);
    now = 200;
    gen.onPeriodicEmit(out); // event since last emit: active, watermark 9
    now = 1100;
    gen.onPeriodicEmit(out); // 900 ms quiet: still active
    now = 1300;
    gen.onPeriodicEmit(out); // 1100 ms quiet: idle, no watermark
    now = 1500;
    gen.onPeriodicEmit(out); // stays idle, says nothing more
    gen.onEvent(null, 20, out);
    now = 1700;
    gen.onPeriodicEmit(out);
    expect(out.log).toEqual([9, 9, "idle", "active", 19]);
  });
});
