/** Window assigners and TimeWindow: alignment (offsets, negative timestamps), sliding lists, sessions, merging. */
import { describe, expect, test } from "bun:test";
import { NO_TIMESTAMP, MAX_WATERMARK } from "../../../core/stream-element.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { namespaceToMapKey } from "../../state/key-context.ts";
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from "./session-window-assigners.ts";
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows, TumblingEventTimeWindows, TumblingProcessingTimeWindows } from "./time-window-assigners.ts";
import { EventTimeTrigger, NeverTrigger, ProcessingTimeTrigger } from "./triggers.ts";
import { GlobalWindows } from "./window-assigner.ts";
import { asWindow, GlobalWindow, mergeTimeWindows, TimeWindow } from "./windows.ts";

const noClock = { getCurrentProcessingTime: () => 0 };
const spans = (ws: readonly TimeWindow[]) => ws.map((w) => [w.start, w.end]);

describe("TimeWindow.getWindowStartWithOffset", () => {
  test.each([
    // [timestamp, offset, size, start]
    [0, 0, 5000, 0],
    [4999, 0, 5000, 0],
    [5000, 0, 5000, 5000],
    [-1, 0, 5000, -5000],
    [-5000, 0, 5000, -5000],
    [-5001, 0, 5000, -10000],
    [1, 1000, 5000, -4000],
    [999, 1000, 5000, -4000],
    [1000, 1000, 5000, 1000],
    [7, -1, 5, 4],
    [-7, 2, 5, -8],
    [-7, -2, 5, -7],
  ])("ts %i offset %i size %i starts at %i", (ts, offset, size, start) => {
    expect(TimeWindow.getWindowStartWithOffset(ts, offset, size)).toBe(start);
  });
});

describe("TimeWindow", () => {
  test("maxTimestamp is end - 1; equality by start and end", () => {
    const w = new TimeWindow(0, 10);
    expect(w.maxTimestamp()).toBe(9);
    expect(w.equals(new TimeWindow(0, 10))).toBe(true);
    expect(w.equals(new TimeWindow(0, 11))).toBe(false);
    expect(String(w)).toBe("TimeWindow{start=0, end=10}");
  });

  test("intersects when overlapping or touching; cover spans both", () => {
    expect(new TimeWindow(0, 10).intersects(new TimeWindow(10, 20))).toBe(true);
    expect(new TimeWindow(0, 10).intersects(new TimeWindow(11, 20))).toBe(false);
    expect(new TimeWindow(5, 8).intersects(new TimeWindow(0, 10))).toBe(true);
    expect(spans([new TimeWindow(3, 8).cover(new TimeWindow(0, 5))])).toEqual([[0, 8]]);
  });

  test("the cached namespace key equals keyToMapKey of the plain { start, end } a snapshot holds", () => {
    const w = new TimeWindow(-5, 123);
    expect(namespaceToMapKey(w)).toBe(keyToMapKey({ start: -5, end: 123 }));
    expect(namespaceToMapKey(w)).toBe(keyToMapKey(w));
    expect(Object.keys(w).sort()).toEqual(["end", "start"]);
    expect(namespaceToMapKey(GlobalWindow.get())).toBe(keyToMapKey({}));
  });

  test("asWindow turns plain snapshot data back into windows", () => {
    const w = asWindow({ start: 1, end: 2 });
    expect(w).toBeInstanceOf(TimeWindow);
    expect((w as TimeWindow).equals(new TimeWindow(1, 2))).toBe(true);
    expect(asWindow({})).toBe(GlobalWindow.get());
    expect(GlobalWindow.get().maxTimestamp()).toBe(MAX_WATERMARK);
  });
});

describe("tumbling windows", () => {
  test.each([
    [0, 0, [0, 5000]],
    [4999, 0, [0, 5000]],
    [-1, 0, [-5000, 0]],
    [-5001, 0, [-10000, -5000]],
    [100, 1000, [-4000, 1000]],
    [1000, 1000, [1000, 6000]],
    [100, -1000, [-1000, 4000]],
  ])("ts %i with offset %i is in %j", (ts, offset, span) => {
    expect(spans(TumblingEventTimeWindows.of(5000, offset).assignWindows(null, ts, noClock))).toEqual([span]);
  });

  test("processing time uses the clock, not the timestamp", () => {
    const a = TumblingProcessingTimeWindows.of(1000);
    expect(spans(a.assignWindows(null, 99999, { getCurrentProcessingTime: () => 2500 }))).toEqual([[2000, 3000]]);
    expect(a.isEventTime()).toBe(false);
    expect(a.getDefaultTrigger()).toBe(ProcessingTimeTrigger.create());
  });

  test("the same window object is reused while elements stay in it", () => {
    const a = TumblingEventTimeWindows.of(10);
    const w1 = a.assignWindows(null, 1, noClock)[0];
    expect(a.assignWindows(null, 9, noClock)[0]).toBe(w1!);
    expect(a.assignWindows(null, 10, noClock)[0]).not.toBe(w1!);
  });

  test("rejects bad sizes and offsets, and records without timestamps", () => {
    expect(() => TumblingEventTimeWindows.of(0)).toThrow("abs(offset) < size");
    expect(() => TumblingEventTimeWindows.of(10, 10)).toThrow("abs(offset) < size");
    expect(() => TumblingEventTimeWindows.of(10, -10)).toThrow("abs(offset) < size");
    expect(() => TumblingEventTimeWindows.of(10).assignWindows(null, NO_TIMESTAMP, noClock)).toThrow("assignTimestampsAndWatermarks");
  });

  test("Time values are accepted as sizes", () => {
    const a = TumblingEventTimeWindows.of({ toMilliseconds: () => 2000 });
    expect(a.getSize()).toBe(2000);
    expect(String(a)).toBe("TumblingEventTimeWindows(2000)");
    expect(a.getDefaultTrigger()).toBe(EventTimeTrigger.create());
  });
});

describe("sliding windows", () => {
  test.each([
    [0, 10, 5, 0, [[0, 10], [-5, 5]]],
    [7, 10, 5, 0, [[5, 15], [0, 10]]],
    [-1, 10, 5, 0, [[-5, 5], [-10, 0]]],
    [-6, 10, 5, 0, [[-10, 0], [-15, -5]]],
    [3, 10, 2, 0, [[2, 12], [0, 10], [-2, 8], [-4, 6], [-6, 4]]],
    [3, 10, 5, 2, [[2, 12], [-3, 7]]],
    [3, 10, 3, 0, [[3, 13], [0, 10], [-3, 7], [-6, 4]]],
    [4, 10, 3, 0, [[3, 13], [0, 10], [-3, 7]]],
    [5, 10, 3, 0, [[3, 13], [0, 10], [-3, 7]]],
    [5, 5, 10, 0, []],
    [12, 5, 10, 0, [[10, 15]]],
  ])("ts %i, size %i, slide %i, offset %i -> %j (latest start first)", (ts, size, slide, offset, expected) => {
    expect(spans(SlidingEventTimeWindows.of(size, slide, offset).assignWindows(null, ts, noClock))).toEqual(expected as number[][]);
  });

  test("every window a timestamp is in, and only those (reference check)", () => {
    for (const [size, slide, offset] of [[10, 3, 1], [7, 7, 0], [9, 2, -1]] as const) {
      const a = SlidingEventTimeWindows.of(size, slide, offset);
      for (let ts = -40; ts <= 40; ts++) {
        const got = spans(a.assignWindows(null, ts, noClock)).sort((x, y) => x[0]! - y[0]!);
        const expected: number[][] = [];
        for (let start = offset - 100 * slide; start < 200; start += slide) if (start <= ts && ts < start + size) expected.push([start, start + size]);
        expect(got).toEqual(expected);
      }
    }
  });

  test("processing-time variant and argument checks", () => {
    const a = SlidingProcessingTimeWindows.of(10, 5);
    expect(spans(a.assignWindows(null, 0, { getCurrentProcessingTime: () => 12 }))).toEqual([[10, 20], [5, 15]]);
    expect(() => SlidingEventTimeWindows.of(10, 0)).toThrow("abs(offset) < slide");
    expect(() => SlidingEventTimeWindows.of(0, 5)).toThrow("size > 0");
    expect(() => SlidingEventTimeWindows.of(10, 5, 5)).toThrow("abs(offset) < slide");
  });
});

describe("session windows", () => {
  test("each element opens [ts, ts + gap)", () => {
    const a = EventTimeSessionWindows.withGap(10);
    expect(spans(a.assignWindows(null, 5, noClock))).toEqual([[5, 15]]);
    expect(spans(a.assignWindows(null, -20, noClock))).toEqual([[-20, -10]]);
    expect(a.isMerging()).toBe(true);
    expect(() => EventTimeSessionWindows.withGap(0)).toThrow("0 < size");
  });

  test("dynamic gaps come from the element and must be positive", () => {
    const a = EventTimeSessionWindows.withDynamicGap((e: { gap: number }) => e.gap);
    expect(spans(a.assignWindows({ gap: 3 }, 10, noClock))).toEqual([[10, 13]]);
    expect(() => a.assignWindows({ gap: 0 }, 10, noClock)).toThrow("0 < gap");
    const b = ProcessingTimeSessionWindows.withDynamicGap({ extract: () => 4 });
    expect(spans(b.assignWindows(null, 0, { getCurrentProcessingTime: () => 100 }))).toEqual([[100, 104]]);
  });

  test("mergeTimeWindows folds windows that overlap or touch", () => {
    const calls: [number[][], number[]][] = [];
    const ws = [new TimeWindow(10, 20), new TimeWindow(0, 5), new TimeWindow(5, 8), new TimeWindow(30, 40), new TimeWindow(15, 25), new TimeWindow(50, 60)];
    mergeTimeWindows(ws, (merged, result) => calls.push([spans(merged), [result.start, result.end]]));
    expect(calls).toEqual([
      [[[0, 5], [5, 8]], [0, 8]],
      [[[10, 20], [15, 25]], [10, 25]],
    ]);
  });

  test("equal windows count once, so a lone duplicate merges nothing", () => {
    const calls: unknown[] = [];
    mergeTimeWindows([new TimeWindow(0, 5), new TimeWindow(0, 5)], (m, r) => calls.push([m, r]));
    expect(calls).toEqual([]);
  });
});

describe("global windows", () => {
  test("one window for everything, never fired by default", () => {
    const a = GlobalWindows.create();
    expect(a.assignWindows()).toEqual([GlobalWindow.get()]);
    expect(a.getDefaultTrigger()).toBe(NeverTrigger.create());
    expect(a.isEventTime()).toBe(false);
  });
});
