/**
 * Window operators step by step in the keyed test harness, against Flink's semantics: tumbling,
 * sliding and session windows (merging), count and purging triggers, continuous triggers,
 * evictors, allowed lateness and the late side output, processing time, and snapshot/restore
 * mid-scenario (same parallelism and rescaled).
 */
import { describe, expect, test } from "bun:test";
import {
  ContinuousEventTimeTrigger,
  CountEvictor,
  CountTrigger,
  DeltaEvictor,
  EventTimeSessionWindows,
  GlobalWindow,
  GlobalWindows,
  OutputTag,
  PurgingTrigger,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  TimeEvictor,
  TimeWindow,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from "../src/index.ts";
import type { Collector, ProcessWindowFunctionContext } from "../src/index.ts";
import { KeyedOneInputStreamOperatorTestHarness, operatorOf, type OutputElement } from "../src/libs/testing/index.ts";
import { assignToKeyGroup, KeyGroupRange } from "../src/types/key-group.ts";

type E = [string, number];
const byKey = (e: E) => e[0];
const env = StreamExecutionEnvironment.getExecutionEnvironment();
const keyed = () => env.fromElements<E>(["x", 0]).keyBy(byKey);
const GLOBAL_TS = GlobalWindow.get().maxTimestamp();

/** "key window values", values sorted: what a window held when it fired. */
function show(key: unknown, ctx: ProcessWindowFunctionContext<any>, elements: Iterable<E>, out: Collector<string>): void {
  const w = ctx.window();
  const name = w instanceof TimeWindow ? `[${w.start},${w.end})` : "global";
  out.collect(`${String(key)} ${name} ${[...elements].map((e) => e[1]).sort((a, b) => a - b).join(",")}`);
}

async function harness(stream: { transformation: any }, maxParallelism = 128, parallelism = 1, subtaskIndex = 0) {
  const h = new KeyedOneInputStreamOperatorTestHarness<string, E, any>(operatorOf(stream), byKey, undefined, maxParallelism, parallelism, subtaskIndex);
  return h;
}

/** The output since the last call, then cleared. */
function take(h: { getOutput(): OutputElement[] }): OutputElement[] {
  const out = [...h.getOutput()];
  h.getOutput().length = 0;
  return out;
}

describe("tumbling event-time windows", () => {
  test("fire when the watermark reaches end-1, records at end-1, negative timestamps, state cleaned up", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(3000)).sum(1));
    await h.open();
    h.processElement(["a", 1], 0);
    h.processElement(["a", 2], 1000);
    h.processElement(["b", 5], 2999);
    h.processElement(["a", 3], 3000);
    h.processElement(["b", 1], -1); // window [-3000, 0)
    expect(take(h)).toEqual([]);
    h.processWatermark(2998);
    expect(take(h)).toEqual([{ value: ["b", 1], timestamp: -1 }, { watermark: 2998 }]);
    h.processWatermark(2999);
    expect(take(h)).toEqual([{ value: ["a", 3], timestamp: 2999 }, { value: ["b", 5], timestamp: 2999 }, { watermark: 2999 }]);
    h.processWatermark(6000);
    expect(take(h)).toEqual([{ value: ["a", 3], timestamp: 5999 }, { watermark: 6000 }]);
    expect(h.numEventTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(0);
    await h.close();
  });

  test("an offset shifts the windows", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(1000, 300)).process(show));
    await h.open();
    h.processElement(["a", 1], 299);
    h.processElement(["a", 2], 300);
    h.processElement(["a", 3], -701);
    h.processWatermark(1299);
    expect(h.extractOutputStreamRecords()).toEqual([
      { value: "a [-1700,-700) 3", timestamp: -701 },
      { value: "a [-700,300) 1", timestamp: 299 },
      { value: "a [300,1300) 2", timestamp: 1299 },
    ]);
  });
});

describe("sliding event-time windows", () => {
  test("each element is in size/slide windows, fired in end order", async () => {
    const h = await harness(keyed().window(SlidingEventTimeWindows.of(3000, 1000)).process(show));
    await h.open();
    h.processElement(["a", 1], 1500);
    h.processElement(["a", 2], 2500);
    h.processWatermark(1999);
    expect(take(h)).toEqual([{ value: "a [-1000,2000) 1", timestamp: 1999 }, { watermark: 1999 }]);
    h.processWatermark(2999);
    expect(take(h)).toEqual([{ value: "a [0,3000) 1,2", timestamp: 2999 }, { watermark: 2999 }]);
    h.processWatermark(4999);
    expect(take(h)).toEqual([{ value: "a [1000,4000) 1,2", timestamp: 3999 }, { value: "a [2000,5000) 2", timestamp: 4999 }, { watermark: 4999 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
  });
});

describe("session windows", () => {
  test("a bridging element merges two sessions (touching counts); timers of merged windows are gone", async () => {
    const h = await harness(keyed().window(EventTimeSessionWindows.withGap(3000)).process(show));
    await h.open();
    h.processElement(["a", 1], 0); // [0,3000)
    h.processElement(["a", 2], 6000); // [6000,9000)
    h.processElement(["a", 3], 3000); // [3000,6000) touches both: [0,9000)
    h.processElement(["b", 10], 1000); // [1000,4000)
    h.processWatermark(2999);
    expect(take(h)).toEqual([{ watermark: 2999 }]);
    h.processWatermark(3999);
    expect(take(h)).toEqual([{ value: "b [1000,4000) 10", timestamp: 3999 }, { watermark: 3999 }]);
    h.processElement(["a", 4], 8000); // extends to [0,11000)
    h.processWatermark(8999);
    expect(take(h)).toEqual([{ watermark: 8999 }]);
    h.processWatermark(10999);
    expect(take(h)).toEqual([{ value: "a [0,11000) 1,2,3,4", timestamp: 10999 }, { watermark: 10999 }]);
    expect(h.numEventTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(0);
  });

  test("sessions with an incremental sum merge their partial sums", async () => {
    const h = await harness(keyed().window(EventTimeSessionWindows.withGap(1000)).sum(1));
    await h.open();
    h.processElement(["a", 1], 100);
    h.processElement(["a", 2], 2000);
    h.processElement(["a", 4], 1050); // joins both: [100, 3000)
    h.processElement(["a", 8], 5000);
    h.processWatermark(10_000);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: ["a", 7], timestamp: 2999 }, { value: ["a", 8], timestamp: 5999 }]);
  });
});

describe("count and purging triggers", () => {
  test("countWindow(3): fires and purges every third element of a key, at the global window's timestamp", async () => {
    const h = await harness(keyed().countWindow(3).sum(1));
    await h.open();
    for (const [k, v] of [["a", 1], ["a", 2], ["b", 10], ["a", 3], ["a", 4], ["a", 5], ["a", 6]] as E[]) h.processElement([k, v]);
    h.processWatermark(Number.MAX_SAFE_INTEGER);
    expect(h.getOutput()).toEqual([{ value: ["a", 6], timestamp: GLOBAL_TS }, { value: ["a", 15], timestamp: GLOBAL_TS }, { watermark: Number.MAX_SAFE_INTEGER }]);
    // b's partial window stays: global windows are never cleaned up
    expect(h.numKeyedStateEntries()).toBe(2);
  });

  test("countWindow(3, 1): every element fires the last three", async () => {
    const h = await harness(keyed().countWindow(3, 1).process(show));
    await h.open();
    for (let v = 1; v <= 4; v++) h.processElement(["a", v]);
    expect(h.extractOutputValues()).toEqual(["a global 1", "a global 1,2", "a global 1,2,3", "a global 2,3,4"]);
  });

  test("PurgingTrigger(CountTrigger(2)) on tumbling windows: purged contents do not fire again; cleanup drops the rest", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(10_000)).trigger(PurgingTrigger.of(CountTrigger.of(2))).process(show));
    await h.open();
    h.processElement(["a", 1], 1);
    h.processElement(["a", 2], 2);
    expect(take(h)).toEqual([{ value: "a [0,10000) 1,2", timestamp: 9999 }]);
    h.processElement(["a", 3], 3);
    h.processWatermark(9999);
    expect(take(h)).toEqual([{ watermark: 9999 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
  });

  test("ContinuousEventTimeTrigger fires every interval of event time and at the end", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(5000)).trigger(ContinuousEventTimeTrigger.of(1000)).process(show));
    await h.open();
    h.processElement(["a", 1], 100);
    h.processElement(["a", 2], 1500);
    h.processWatermark(1000);
    expect(take(h)).toEqual([{ value: "a [0,5000) 1,2", timestamp: 4999 }, { watermark: 1000 }]);
    h.processWatermark(2500);
    expect(take(h)).toEqual([{ value: "a [0,5000) 1,2", timestamp: 4999 }, { watermark: 2500 }]);
    h.processElement(["a", 3], 2600);
    h.processWatermark(4999); // 3000, 4000 and the end (4999)
    const fired = { value: "a [0,5000) 1,2,3", timestamp: 4999 };
    expect(take(h)).toEqual([fired, fired, fired, { watermark: 4999 }]);
    expect(h.numEventTimeTimers()).toBe(0);
  });
});

describe("evictors", () => {
  test("TimeEvictor keeps what is within its size of the newest element", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(5000)).evictor(TimeEvictor.of(1000)).process(show));
    await h.open();
    for (const [v, ts] of [[1, 0], [2, 1500], [3, 4000], [4, 4500]]) h.processElement(["a", v!], ts);
    h.processWatermark(4999);
    expect(h.extractOutputValues()).toEqual(["a [0,5000) 3,4"]);
  });

  test("CountEvictor after the function: each firing sees the kept element and the new ones", async () => {
    const h = await harness(keyed().window(GlobalWindows.create()).trigger(CountTrigger.of(2)).evictor(CountEvictor.of(1, true)).process(show));
    await h.open();
    for (let v = 1; v <= 4; v++) h.processElement(["a", v]);
    expect(h.extractOutputValues()).toEqual(["a global 1,2", "a global 2,3,4"]);
  });

  test("DeltaEvictor drops elements at least the threshold away from the last one", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(10_000)).evictor(DeltaEvictor.of(5, (a: E, b: E) => Math.abs(a[1] - b[1]))).process(show));
    await h.open();
    for (const [v, ts] of [[1, 1], [10, 2], [8, 3], [3, 4]]) h.processElement(["a", v!], ts);
    h.processWatermark(9999);
    expect(h.extractOutputValues()).toEqual(["a [0,10000) 1,3"]);
  });
});

describe("allowed lateness and late data", () => {
  const LATE = new OutputTag<E>("late");

  test("a late element within the lateness re-fires at once; after cleanup it goes to the side output", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(1000)).allowedLateness(500).sideOutputLateData(LATE).sum(1));
    await h.open();
    h.processElement(["a", 1], 100);
    h.processWatermark(999);
    expect(take(h)).toEqual([{ value: ["a", 1], timestamp: 999 }, { watermark: 999 }]);
    h.processElement(["a", 2], 200);
    expect(take(h)).toEqual([{ value: ["a", 3], timestamp: 999 }]);
    h.processWatermark(1499); // cleanup time 999 + 500
    expect(take(h)).toEqual([{ watermark: 1499 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    h.processElement(["a", 4], 300);
    h.processElement(["a", 5], 1000); // window [1000,2000): on time
    expect(take(h)).toEqual([]);
    expect(h.getSideOutput(LATE)).toEqual([{ value: ["a", 4], timestamp: 300 }]);
    h.processWatermark(1999);
    expect(take(h)).toEqual([{ value: ["a", 5], timestamp: 1999 }, { watermark: 1999 }]);
  });

  test("an element goes to the late output only if every window it belongs to is late", async () => {
    const h = await harness(keyed().window(SlidingEventTimeWindows.of(2000, 1000)).sideOutputLateData(LATE).sum(1));
    await h.open();
    h.processWatermark(1999);
    h.processElement(["a", 1], 1500); // [0,2000) is late, [1000,3000) is not
    h.processElement(["a", 2], 500); // [-1000,1000) and [0,2000): both late
    expect(h.getSideOutput("late")).toEqual([{ value: ["a", 2], timestamp: 500 }]);
    h.processWatermark(2999);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: ["a", 1], timestamp: 2999 }]);
  });

  test("without a late-data tag late elements are dropped", async () => {
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(1000)).sum(1));
    await h.open();
    h.processWatermark(5000);
    h.processElement(["a", 1], 10);
    h.processWatermark(6000);
    expect(h.getOutput()).toEqual([{ watermark: 5000 }, { watermark: 6000 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
  });
});

describe("processing-time windows", () => {
  test("fire when the test moves processing time past end-1", async () => {
    const h = await harness(keyed().window(TumblingProcessingTimeWindows.of(1000)).process(show));
    await h.open();
    h.processElement(["a", 1]);
    h.setProcessingTime(500);
    h.processElement(["a", 2]);
    h.processElement(["b", 3]);
    h.setProcessingTime(998);
    expect(take(h)).toEqual([]);
    h.setProcessingTime(999);
    expect(take(h)).toEqual([{ value: "a [0,1000) 1,2", timestamp: 999 }, { value: "b [0,1000) 3", timestamp: 999 }]);
    h.setProcessingTime(1500);
    h.processElement(["a", 4]);
    h.setProcessingTime(3000);
    expect(take(h)).toEqual([{ value: "a [1000,2000) 4", timestamp: 1999 }]);
    expect(h.numProcessingTimeTimers()).toBe(0);
  });
});

describe("snapshot and restore mid-scenario", () => {
  const KEYS = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
  /** Deterministic events: key i at times spread so sessions form, merge and close. */
  const events = (from: number, to: number): [E, number][] => {
    const out: [E, number][] = [];
    for (let i = from; i < to; i++) out.push([[KEYS[i % KEYS.length]!, i], (i * 737) % 9000 + Math.floor(i / 10) * 1000]);
    return out;
  };
  const first = (h: Awaited<ReturnType<typeof harness>>, keep: (k: string) => boolean = () => true) => {
    for (const [e, ts] of events(0, 40)) if (keep(e[0])) h.processElement(e, ts);
    h.processWatermark(4000);
  };
  const second = (h: Awaited<ReturnType<typeof harness>>, keep: (k: string) => boolean = () => true) => {
    h.processWatermark(4000); // a restored operator has not seen a watermark yet
    for (const [e, ts] of events(40, 80)) if (keep(e[0])) h.processElement(e, ts);
    for (const k of ["k1", "k6"]) if (keep(k)) h.processElement([k, 99], 500); // late for every window
    h.processWatermark(9000);
    h.processWatermark(Number.MAX_SAFE_INTEGER);
  };
  const scenarios = {
    "session windows with merging": () => keyed().window(EventTimeSessionWindows.withGap(1500)).process(show),
    "sliding windows with lateness and late output": () => keyed().window(SlidingEventTimeWindows.of(3000, 1000)).allowedLateness(1000).sideOutputLateData(new OutputTag<E>("late")).sum(1),
    "tumbling windows with an evictor and a count trigger": () => keyed().window(TumblingEventTimeWindows.of(4000)).trigger(CountTrigger.of(3)).evictor(CountEvictor.of(2)).process(show),
  };

  for (const [name, build] of Object.entries(scenarios)) {
    test(`${name}: a fresh harness restored from the snapshot continues exactly as the uninterrupted one`, async () => {
      const whole = await harness(build());
      await whole.open();
      first(whole);
      take(whole);
      const lateBefore = whole.getSideOutput("late").length;
      second(whole);
      const expected = take(whole);
      const expectedLate = whole.getSideOutput("late").slice(lateBefore);
      expect(expected.filter((e) => "value" in e).length).toBeGreaterThan(5);

      const before = await harness(build());
      await before.open();
      first(before);
      const snapshot = before.snapshot();
      second(before); // changes nothing in the snapshot
      const restored = await harness(build());
      restored.initializeState(snapshot);
      await restored.open();
      second(restored);
      expect(restored.getOutput()).toEqual(expected);
      expect(restored.getSideOutput("late")).toEqual(expectedLate);
      if (name.includes("late output")) expect(expectedLate.map((r) => r.value)).toEqual([["k1", 99], ["k6", 99]]);
      // the snapshot carries the state: without it the run differs
      const unrestored = await harness(build());
      await unrestored.open();
      second(unrestored);
      expect(unrestored.getOutput()).not.toEqual(expected);
    });

    test(`${name}: restored at parallelism 2, each subtask continues its own keys`, async () => {
      const whole = await harness(build());
      await whole.open();
      first(whole);
      const snapshot = whole.snapshot();
      take(whole);
      second(whole);
      const expected = take(whole).filter((e) => "value" in e);

      const got: OutputElement[] = [];
      for (const index of [0, 1]) {
        const range = KeyGroupRange.forOperator(128, 2, index);
        const mine = (k: string) => {
          const kg = assignToKeyGroup(k, 128);
          return kg >= range.start && kg <= range.end;
        };
        const h = await harness(build(), 128, 2, index);
        h.initializeState(snapshot);
        await h.open();
        second(h, mine);
        const records = h.extractOutputStreamRecords();
        for (const r of records) expect(mine(keyOf(r.value))).toBe(true);
        got.push(...records);
      }
      const order = (a: any, b: any) => a.timestamp - b.timestamp || JSON.stringify(a.value).localeCompare(JSON.stringify(b.value));
      expect([...got].sort(order)).toEqual([...expected].sort(order));
      expect(new Set(got.map((r: any) => mineOfSubtask0(keyOf(r.value)))).size).toBe(2);
    });
  }
});

function keyOf(value: unknown): string {
  return Array.isArray(value) ? (value[0] as string) : String(value).split(" ")[0]!;
}

function mineOfSubtask0(k: string): boolean {
  return assignToKeyGroup(k, 128) <= KeyGroupRange.forOperator(128, 2, 0).end;
}
