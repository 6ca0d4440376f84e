/** Evictors on their own, and in the EvictingWindowOperator (before/after the function, folding reduce and aggregate). */
import { describe, expect, test } from "bun:test";
import { MAX_WATERMARK } from "../../../core/stream-element.ts";
import { EvictingWindowOperator } from "./evicting-window-operator.ts";
import { CountEvictor, DeltaEvictor, TimeEvictor, TimestampedValue, type Evictor } from "./evictors.ts";
import { TumblingEventTimeWindows } from "./time-window-assigners.ts";
import { CountTrigger } from "./triggers.ts";
import { GlobalWindows, type WindowAssigner } from "./window-assigner.ts";
import type { WindowContents } from "./window-function.ts";
import { windowFn, WindowTestDriver } from "./window-test-driver.ts";
import { TimeWindow } from "./windows.ts";

const ctx = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const W = new TimeWindow(0, 100);
const tv = (pairs: [number, number][]) => pairs.map(([v, ts]) => new TimestampedValue(v, ts));
const values = (es: TimestampedValue<number>[]) => es.map((e) => e.value);

describe("CountEvictor", () => {
  test("keeps the last n elements, before or after", () => {
    const es = tv([[1, 1], [2, 2], [3, 3], [4, 4]]);
    CountEvictor.of(2).evictBefore(es, es.length);
    expect(values(es)).toEqual([3, 4]);
    const after = tv([[1, 1], [2, 2], [3, 3]]);
    const e = CountEvictor.of(1, true);
    e.evictBefore(after, 3);
    expect(values(after)).toEqual([1, 2, 3]);
    e.evictAfter(after, 3);
    expect(values(after)).toEqual([3]);
    const few = tv([[1, 1]]);
    CountEvictor.of(5).evictBefore(few, 1);
    expect(values(few)).toEqual([1]);
  });
});

describe("TimeEvictor", () => {
  test("keeps elements newer than max timestamp - size", () => {
    const es = tv([[1, 10], [2, 25], [3, 14], [4, 30]]);
    TimeEvictor.of(16).evictBefore(es);
    expect(values(es)).toEqual([2, 4]); // cutoff 30 - 16 = 14: 14 goes too
  });
  test("does nothing when elements have no timestamps", () => {
    const es = [new TimestampedValue(1), new TimestampedValue(2)];
    TimeEvictor.of(0).evictBefore(es);
    expect(es.length).toBe(2);
  });
});

describe("DeltaEvictor", () => {
  test("evicts elements whose delta to the last element reaches the threshold", () => {
    const es = tv([[1, 0], [8, 0], [5, 0], [10, 0]]);
    DeltaEvictor.of(5, (a: number, b: number) => Math.abs(a - b)).evictBefore(es);
    expect(values(es)).toEqual([8, 10]);
    const obj = tv([[0, 0], [3, 0]]);
    DeltaEvictor.of(3, { getDelta: (a: number, b: number) => b - a }, true).evictAfter(obj);
    expect(values(obj)).toEqual([3]);
  });
});

type Ev = [string, number];
const byKey = (e: Ev) => e[0];

function evicting(assigner: WindowAssigner, evictor: Evictor, contents: WindowContents, trigger = assigner.getDefaultTrigger()) {
  const fn = windowFn((k, _w, input) => `${k} ${contents.kind === "list" ? input.map((e: Ev) => e[1]).join(",") : JSON.stringify(input)}`);
  return new WindowTestDriver(new EvictingWindowOperator({ assigner, trigger, allowedLateness: 0, contents, fn, evictor }), byKey);
}

describe("EvictingWindowOperator", () => {
  test("countWindow(3, 1): the last three elements at every element, kept in order", async () => {
    const d = await evicting(GlobalWindows.create(), CountEvictor.of(3), { kind: "list" }, CountTrigger.of(1)).open();
    for (const v of [1, 2, 3, 4, 5]) d.element(["a", v]);
    expect(d.take()).toEqual([["a 1", MAX_WATERMARK], ["a 1,2", MAX_WATERMARK], ["a 1,2,3", MAX_WATERMARK], ["a 2,3,4", MAX_WATERMARK], ["a 3,4,5", MAX_WATERMARK]]);
  });

  test("evicted elements leave the window's state; evict-after runs once the function has seen them", async () => {
    const d = await evicting(GlobalWindows.create(), CountEvictor.of(1, true), { kind: "list" }, CountTrigger.of(2)).open();
    for (const v of [1, 2, 3, 4]) d.element(["a", v]);
    expect(d.take().map((e) => (e as unknown as [string])[0])).toEqual(["a 1,2", "a 2,3,4"]);
  });

  test("TimeEvictor with reduce folds only the remaining elements", async () => {
    const reduce: WindowContents = { kind: "reduce", reduce: (a: Ev, b: Ev) => [a[0], a[1] + b[1]] };
    const d = await evicting(TumblingEventTimeWindows.of(100), TimeEvictor.of(10), reduce).open();
    d.element(["a", 1], 5).element(["a", 10], 80).element(["a", 100], 89).element(["a", 1000], 95);
    d.watermark(99);
    expect(d.take()).toEqual([['a ["a",1100]', 99], "wm:99"]); // cutoff 95 - 10: 5 and 80 are evicted
    expect(d.stateEntries()).toBe(0);
  });

  test("aggregate over what is left after eviction", async () => {
    const count: WindowContents = { kind: "aggregate", aggregate: { createAccumulator: () => 0, add: (_e: Ev, n: number) => n + 1, getResult: (n: number) => n } };
    const d = await evicting(TumblingEventTimeWindows.of(100), CountEvictor.of(2), count).open();
    for (const ts of [1, 2, 3, 4, 5]) d.element(["a", ts], ts);
    d.watermark(99);
    expect(d.take()).toEqual([["a 2", 99], "wm:99"]);
  });

  test("the elements keep their timestamps through a snapshot", async () => {
    const d = await evicting(TumblingEventTimeWindows.of(100), TimeEvictor.of(10), { kind: "list" }).open();
    d.element(["a", 1], 5).element(["a", 2], 50);
    const snap = d.snapshot();
    const fn = windowFn((k, _w, input: Ev[]) => `${k} ${input.map((e) => e[1]).join(",")}`);
    const op = new EvictingWindowOperator({ assigner: TumblingEventTimeWindows.of(100), trigger: TumblingEventTimeWindows.of(100).getDefaultTrigger(), allowedLateness: 0, contents: { kind: "list" }, fn, evictor: TimeEvictor.of(10) });
    const r = await new WindowTestDriver(op, byKey, [snap]).open();
    r.element(["a", 3], 45).watermark(99);
    expect(r.take()).toEqual([["a 2,3", 99], "wm:99"]);
  });
});

test("windows are plain data in snapshots", () => {
  expect(structuredClone(W)).toEqual({ start: 0, end: 100 } as unknown as TimeWindow);
});
