/**
 * Issue 4 audit: Flink semantics of time, windows, state and timers that no other test pinned
 * down. Step by step in the flinkts/testing harnesses: timeWindow, windowed min/max/minBy/maxBy,
 * a custom trigger firing on processing time inside event-time windows, late firings that merge
 * sessions, ContinuousEventTimeTrigger on sessions, TimeEvictor after the function, sliding
 * processing-time windows, CoProcessFunction and KeyedCoProcessFunction timers, and StateTtlConfig
 * on every kind of state descriptor. End to end: subtasks without input do not hold back the
 * watermark, and a custom periodic WatermarkGenerator follows setAutoWatermarkInterval.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AggregatingStateDescriptor,
  CoProcessFunction,
  ContinuousEventTimeTrigger,
  CountTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  ListStateDescriptor,
  MapStateDescriptor,
  OutputTag,
  ReducingStateDescriptor,
  SlidingProcessingTimeWindows,
  StateTtlConfig,
  StreamExecutionEnvironment,
  TimeEvictor,
  TimeWindow,
  Trigger,
  TriggerResult,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  ValueStateDescriptor,
} from "../../src/index.ts";
import type { Collector, ProcessWindowFunctionContext, TriggerContext } from "../../src/index.ts";
import { KeyedOneInputStreamOperatorTestHarness, KeyedTwoInputStreamOperatorTestHarness, operatorOf, type OutputElement } from "../../src/libs/testing/index.ts";
import { runJob } from "../support/run-job.ts";

type E = [string, number];
const byKey = (e: readonly unknown[]) => e[0] as string;
const env = StreamExecutionEnvironment.getExecutionEnvironment();
const keyed = () => env.fromElements<E>(["x", 0]).keyBy(byKey);
const MAX = Number.MAX_SAFE_INTEGER;

/** "key window values", values sorted: what a window held when it fired. */
function show(key: unknown, ctx: ProcessWindowFunctionContext<any>, elements: Iterable<E>, out: Collector<string>): void {
  const w = ctx.window();
  const name = w instanceof TimeWindow ? `[${w.start},${w.end})` : "global";
  out.collect(`${String(key)} ${name} ${[...elements].map((e) => e[1]).sort((a, b) => a - b).join(",")}`);
}

async function harness(stream: { transformation: any }) {
  const h = new KeyedOneInputStreamOperatorTestHarness<string, any, any>(operatorOf(stream), byKey);
  await h.open();
  return h;
}

/** The output since the last call, then cleared. */
function take(h: { getOutput(): OutputElement[] }): OutputElement[] {
  const out = [...h.getOutput()];
  h.getOutput().length = 0;
  return out;
}

describe("windows", () => {
  test("timeWindow(size) is tumbling and timeWindow(size, slide) sliding, both in event time", async () => {
    const t = await harness(keyed().timeWindow(1000).sum(1));
    t.processElement(["a", 1], 100);
    t.processElement(["a", 2], 999);
    t.processElement(["a", 4], 1000);
    t.processWatermark(999);
    expect(take(t)).toEqual([{ value: ["a", 3], timestamp: 999 }, { watermark: 999 }]);
    t.processWatermark(1999);
    expect(take(t)).toEqual([{ value: ["a", 4], timestamp: 1999 }, { watermark: 1999 }]);

    const s = await harness(keyed().timeWindow(1000, 500).sum(1));
    s.processElement(["a", 1], 700); // [0,1000) and [500,1500)
    s.processWatermark(999);
    expect(take(s)).toEqual([{ value: ["a", 1], timestamp: 999 }, { watermark: 999 }]);
    s.processWatermark(1499);
    expect(take(s)).toEqual([{ value: ["a", 1], timestamp: 1499 }, { watermark: 1499 }]);
  });

  test("windowed min/max change only the field of the first element; minBy/maxBy return the first extreme element", async () => {
    const input: [string, number, string][] = [["a", 5, "x"], ["a", 3, "y"], ["a", 3, "z"], ["a", 7, "w"], ["a", 7, "v"]];
    const results: Record<string, unknown> = {};
    for (const kind of ["min", "max", "minBy", "maxBy"] as const) {
      const stream = env.fromElements(...input).keyBy(byKey).window(TumblingEventTimeWindows.of(100));
      const h = await harness((stream as any)[kind](1));
      input.forEach((e, i) => h.processElement(e, i));
      h.processWatermark(99);
      results[kind] = h.extractOutputValues();
    }
    expect(results).toEqual({ min: [["a", 3, "x"]], max: [["a", 7, "x"]], minBy: [["a", 3, "y"]], maxBy: [["a", 7, "w"]] });
  });

  test("a custom trigger fires early on processing time inside an event-time window; clear() at cleanup deletes its timers", async () => {
    const NEXT = new ValueStateDescriptor<number>("next-early-fire");
    /** Fires 100 ms (processing time) after the first element since the last early firing, and at the window's end. */
    class EarlyFiring extends Trigger<E, TimeWindow> {
      onElement(_e: E, _ts: number, w: TimeWindow, ctx: TriggerContext): TriggerResult {
        ctx.registerEventTimeTimer(w.maxTimestamp());
        const next = ctx.getPartitionedState(NEXT);
        if (next.value() === null) {
          next.update(ctx.getCurrentProcessingTime() + 100);
          ctx.registerProcessingTimeTimer(next.value());
        }
        return TriggerResult.CONTINUE;
      }
      onProcessingTime(_time: number, _w: TimeWindow, ctx: TriggerContext): TriggerResult {
        ctx.getPartitionedState(NEXT).clear();
        return TriggerResult.FIRE;
      }
      onEventTime(time: number, w: TimeWindow): TriggerResult {
        return time === w.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
      }
      override clear(w: TimeWindow, ctx: TriggerContext): void {
        const next = ctx.getPartitionedState(NEXT);
        if (next.value() !== null) ctx.deleteProcessingTimeTimer(next.value());
        next.clear();
        ctx.deleteEventTimeTimer(w.maxTimestamp());
      }
    }
    const h = await harness(keyed().window(TumblingEventTimeWindows.of(1000)).trigger(new EarlyFiring()).process(show));
    h.processElement(["a", 1], 10); // early fire due at processing time 100
    h.setProcessingTime(99);
    expect(take(h)).toEqual([]);
    h.setProcessingTime(100);
    expect(take(h)).toEqual([{ value: "a [0,1000) 1", timestamp: 999 }]);
    h.processElement(["a", 2], 20); // early fire due at 200
    expect(h.numProcessingTimeTimers()).toBe(1);
    h.processWatermark(999);
    expect(take(h)).toEqual([{ value: "a [0,1000) 1,2", timestamp: 999 }, { watermark: 999 }]);
    expect(h.numProcessingTimeTimers()).toBe(0); // clear() ran at the cleanup time
    expect(h.numEventTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(0);
    h.setProcessingTime(500);
    expect(take(h)).toEqual([]);
  });

  test("a late element within the allowed lateness merges fired sessions and fires the merged one at once", async () => {
    const LATE = new OutputTag<E>("late");
    const h = await harness(keyed().window(EventTimeSessionWindows.withGap(10)).allowedLateness(100).sideOutputLateData(LATE).sum(1));
    h.processElement(["a", 1], 0); // [0,10)
    h.processElement(["a", 2], 12); // [12,22)
    h.processWatermark(30);
    expect(take(h)).toEqual([{ value: ["a", 1], timestamp: 9 }, { value: ["a", 2], timestamp: 21 }, { watermark: 30 }]);
    h.processElement(["a", 4], 8); // [8,18) bridges both: [0,22), already past the watermark, fires now
    expect(take(h)).toEqual([{ value: ["a", 7], timestamp: 21 }]);
    expect(h.numEventTimeTimers()).toBe(1); // only the merged window's cleanup at 21 + 100
    h.processWatermark(120);
    expect(h.numKeyedStateEntries()).toBeGreaterThan(0);
    h.processWatermark(121);
    expect(take(h)).toEqual([{ watermark: 120 }, { watermark: 121 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numEventTimeTimers()).toBe(0);
    h.processElement(["a", 8], 5); // [5,15): cleanup 114 <= 121, late
    expect(h.getSideOutput(LATE)).toEqual([{ value: ["a", 8], timestamp: 5 }]);
  });

  test("ContinuousEventTimeTrigger on sessions: the merged session keeps the earliest pending fire time", async () => {
    const h = await harness(keyed().window(EventTimeSessionWindows.withGap(1000)).trigger(ContinuousEventTimeTrigger.of(500)).process(show));
    h.processElement(["a", 1], 100); // [100,1100), first fire at 500
    h.processElement(["a", 2], 1500); // [1500,2500), first fire at 2000
    h.processWatermark(600);
    expect(take(h)).toEqual([{ value: "a [100,1100) 1", timestamp: 1099 }, { watermark: 600 }]);
    h.processElement(["a", 4], 1050); // [1050,2050) merges all: [100,2500), next fire min(1000, 2000)
    h.processWatermark(1000);
    const merged = { value: "a [100,2500) 1,2,4", timestamp: 2499 };
    expect(take(h)).toEqual([merged, { watermark: 1000 }]);
    h.processWatermark(1500);
    expect(take(h)).toEqual([merged, { watermark: 1500 }]);
    h.processWatermark(2499); // 2000, then the end
    expect(take(h)).toEqual([merged, merged, { watermark: 2499 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numEventTimeTimers()).toBe(0);
  });

  test("TimeEvictor after the function: each firing sees everything, the window keeps only the recent elements", async () => {
    const h = await harness(keyed().window(GlobalWindows.create()).trigger(CountTrigger.of(2)).evictor(TimeEvictor.of(1000, true)).process(show));
    for (const [v, ts] of [[1, 0], [2, 2000], [3, 2500], [4, 2600], [5, 5000], [6, 5100]]) h.processElement(["a", v!], ts);
    expect(h.extractOutputValues()).toEqual(["a global 1,2", "a global 2,3,4", "a global 2,3,4,5,6"]);
  });

  test("sliding processing-time windows fire by the clock, timestamped end - 1, and leave nothing behind", async () => {
    const h = await harness(keyed().window(SlidingProcessingTimeWindows.of(1000, 500)).process(show));
    h.processElement(["a", 1]); // at 0: [-500,500) and [0,1000)
    h.setProcessingTime(499);
    expect(take(h)).toEqual([{ value: "a [-500,500) 1", timestamp: 499 }]);
    h.setProcessingTime(600);
    h.processElement(["a", 2]); // [500,1500) and [0,1000)
    h.setProcessingTime(999);
    expect(take(h)).toEqual([{ value: "a [0,1000) 1,2", timestamp: 999 }]);
    h.setProcessingTime(1499);
    expect(take(h)).toEqual([{ value: "a [500,1500) 2", timestamp: 1499 }]);
    expect(h.numProcessingTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(0);
  });

  test("processing-time windows are cleaned up at their end whatever the allowed lateness", async () => {
    const h = await harness(keyed().window(TumblingProcessingTimeWindows.of(1000)).allowedLateness(5000).sum(1));
    h.processElement(["a", 1]);
    h.setProcessingTime(999);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: ["a", 1], timestamp: 999 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numProcessingTimeTimers()).toBe(0);
  });
});

describe("timers of two-input process functions", () => {
  /** Counts elements per key (keyed state); each element sets an event-time timer at its value. */
  class CoEventTimers extends CoProcessFunction<E, E, string> {
    private count!: any;
    override open() {
      this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>("count"));
    }
    private add(e: E, ctx: any) {
      this.count.update((this.count.value() ?? 0) + 1);
      ctx.timerService().registerEventTimeTimer(e[1]);
    }
    processElement1(e: E, ctx: any) {
      this.add(e, ctx);
    }
    processElement2(e: E, ctx: any) {
      this.add(e, ctx);
    }
    override onTimer(ts: number, ctx: any, out: Collector<string>) {
      out.collect(`${ctx.timeDomain()}@${ts} ts=${ctx.timestamp()} count=${this.count.value()}`);
    }
  }

  test("CoProcessFunction on keyed connected streams: event-time timers per key, deduplicated, in order, at the minimum watermark", async () => {
    const h = new KeyedTwoInputStreamOperatorTestHarness<string, E, E, string>(new CoEventTimers(), byKey, byKey);
    await h.open();
    h.processElement1(["a", 30], 1);
    h.processElement2(["b", 20], 1);
    h.processElement2(["a", 30], 1); // a@30 again: one timer
    h.processElement1(["a", 10], 1);
    expect(h.numEventTimeTimers()).toBe(3);
    h.processWatermark1(100);
    expect(take(h)).toEqual([]); // input 2 is still at MIN
    h.processWatermark2(25);
    expect(take(h)).toEqual([
      { value: "EVENT_TIME@10 ts=10 count=3", timestamp: 10 },
      { value: "EVENT_TIME@20 ts=20 count=1", timestamp: 20 },
      { watermark: 25 },
    ]);
    h.processWatermark2(100);
    expect(take(h)).toEqual([{ value: "EVENT_TIME@30 ts=30 count=3", timestamp: 30 }, { watermark: 100 }]);
    expect(h.numEventTimeTimers()).toBe(0);
  });

  test("KeyedCoProcessFunction: processing-time timers per key, deduplicated, in order, deletable, with the key current", async () => {
    class CoProcTimers extends KeyedCoProcessFunction<string, E, E, string> {
      processElement1(e: E, ctx: any) {
        ctx.timerService().registerProcessingTimeTimer(e[1]);
      }
      processElement2(e: E, ctx: any) {
        if (e[1] < 0) ctx.timerService().deleteProcessingTimeTimer(-e[1]);
        else ctx.timerService().registerProcessingTimeTimer(e[1]);
      }
      override onTimer(ts: number, ctx: any, out: Collector<string>) {
        out.collect(`${ctx.getCurrentKey()} ${ctx.timeDomain()}@${ts} now=${ctx.timerService().currentProcessingTime()}`);
      }
    }
    const h = new KeyedTwoInputStreamOperatorTestHarness<string, E, E, string>(new CoProcTimers(), byKey, byKey);
    await h.open();
    h.processElement1(["b", 50]);
    h.processElement2(["a", 40]);
    h.processElement1(["a", 40]); // same key and time: one timer
    h.processElement2(["c", 45]);
    h.processElement1(["b", 45]);
    h.processElement2(["c", -45]); // c deletes its timer; b's at 45 stays
    expect(h.numProcessingTimeTimers()).toBe(3);
    h.setProcessingTime(60);
    expect(h.getOutput()).toEqual([
      { value: "a PROCESSING_TIME@40 now=60" },
      { value: "b PROCESSING_TIME@45 now=60" },
      { value: "b PROCESSING_TIME@50 now=60" },
    ]);
    expect(h.numProcessingTimeTimers()).toBe(0);
  });
});

describe("StateTtlConfig on every kind of state descriptor", () => {
  const ttl = () => StateTtlConfig.newBuilder(100).build();
  const sum = { createAccumulator: () => 0, add: (v: number, a: number) => a + v, getResult: (a: number) => a, merge: (a: number, b: number) => a + b };

  /** "put k v" writes v into every state (a list element and a map entry k each); "get" emits what each state shows. */
  class AllStates extends KeyedProcessFunction<string, [string, string, string?, number?], string> {
    private s!: any;
    override open() {
      const rc = this.getRuntimeContext();
      const withTtl = <D extends { enableTimeToLive(c: StateTtlConfig): void }>(d: D) => (d.enableTimeToLive(ttl()), d);
      this.s = {
        value: rc.getState(withTtl(new ValueStateDescriptor<number>("value"))),
        list: rc.getListState(withTtl(new ListStateDescriptor<number>("list"))),
        map: rc.getMapState(withTtl(new MapStateDescriptor<string, number>("map"))),
        reducing: rc.getReducingState(withTtl(new ReducingStateDescriptor<number>("reducing", (a: number, b: number) => a + b))),
        aggregating: rc.getAggregatingState(withTtl(new AggregatingStateDescriptor("aggregating", sum))),
        forever: rc.getListState(new ListStateDescriptor<number>("forever")),
      };
    }
    processElement(e: [string, string, string?, number?], _ctx: any, out: Collector<string>) {
      const s = this.s;
      if (e[1] === "put") {
        const [, , k, v] = e as [string, string, string, number];
        s.value.update(v);
        s.list.add(v);
        s.map.put(k, v);
        s.reducing.add(v);
        s.aggregating.add(v);
        s.forever.add(v);
        return;
      }
      const map = [...s.map.entries()].map(([k, v]: [string, number]) => `${k}=${v}`).sort().join(",");
      out.collect(`value=${s.value.value()} list=${[...s.list.get()].join(",")} map=${map} reducing=${s.reducing.get()} aggregating=${s.aggregating.get()} forever=${[...s.forever.get()].join(",")}`);
    }
  }

  test("values expire ttl ms after their last write (processing time); list elements and map entries one by one", async () => {
    const h = new KeyedOneInputStreamOperatorTestHarness<string, any, string>(new AllStates(), (e) => e[0]);
    await h.open();
    h.setProcessingTime(0);
    h.processElement(["a", "put", "x", 1]);
    h.setProcessingTime(50);
    h.processElement(["a", "put", "y", 2]);
    h.setProcessingTime(99);
    h.processElement(["a", "get"]);
    h.setProcessingTime(100); // x=1 (written at 0) is gone; what was written at 50 stays
    h.processElement(["a", "get"]);
    h.setProcessingTime(150);
    h.processElement(["a", "get"]);
    h.processElement(["b", "get"]);
    expect(h.extractOutputValues()).toEqual([
      "value=2 list=1,2 map=x=1,y=2 reducing=3 aggregating=3 forever=1,2",
      "value=2 list=2 map=y=2 reducing=3 aggregating=3 forever=1,2",
      "value=null list= map= reducing=null aggregating=null forever=1,2",
      "value=null list= map= reducing=null aggregating=null forever=",
    ]);
  });
});

/**
 * A job whose main() body is `body`. The prelude has `waitFor(path)` (polls until a file exists,
 * at most about 20 s; true if it came) and `LogSink(marker, when)`, which records records and
 * watermarks in the "log" accumulator and creates the `marker` file on the first record that
 * satisfies `when`. Sources wait for the marker to prove a window fired while they still ran.
 */
function runMarked(body: string, p: number): Promise<{ log: LogEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), "flinkts-issue4-"));
  const source = `import {
  StreamExecutionEnvironment, Watermark, WatermarkStrategy, TumblingEventTimeWindows,
  RichParallelSourceFunction, RichSourceFunction, RichSinkFunction, ListAccumulator,
} from "flinkts";
import { existsSync, writeFileSync } from "node:fs";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(path: string): Promise<boolean> {
  for (let i = 0; i < 4000; i++) {
    if (existsSync(path)) return true;
    await sleep(5);
  }
  return false;
}
class LogSink extends RichSinkFunction<any> {
  log = new ListAccumulator<unknown>();
  constructor(private readonly marker: string, private readonly when: (v: any) => boolean) { super(); }
  open() { this.getRuntimeContext().addAccumulator("log", this.log); }
  invoke(v: any, ctx: any) {
    this.log.add(["r", v, ctx.timestamp()]);
    if (this.when(v) && !existsSync(this.marker)) writeFileSync(this.marker, "fired");
  }
  writeWatermark(w: Watermark) { this.log.add(["wm", w.timestamp]); }
}
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const marker = args[0];
${body}
  return (await env.execute("issue4")).getAccumulatorResult("log");
}
`;
  return runJob(source, { parallelism: p, args: [join(dir, "marker")] })
    .then((r) => ({ log: r.returned as LogEntry[] }))
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}
type LogEntry = ["r", unknown, number | null] | ["wm", number];
const records = (log: LogEntry[]) => log.filter((e) => e[0] === "r").map((e) => [e[1], e[2]]);
const watermarksOf = (log: LogEntry[]) => log.filter((e) => e[0] === "wm").map((e) => e[1] as number);
const byValue = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe("subtasks without input do not hold back the watermark", () => {
  test("a parallel source at p=4 with data for one subtask only: windows fire while that subtask still runs", async () => {
    const { log } = await runMarked(
      `class OneSplit extends RichParallelSourceFunction<[string, number]> {
    constructor(private readonly marker: string) { super(); }
    async run(ctx: any) {
      if (this.getRuntimeContext().getIndexOfThisSubtask() !== 0) return; // no split: ends at once
      for (const [k, ts] of [["a", 100], ["b", 200], ["a", 900]] as [string, number][]) ctx.collectWithTimestamp([k, ts], ts);
      ctx.emitWatermark(new Watermark(1500));
      const fired = await waitFor(this.marker);
      ctx.collectWithTimestamp(["done", fired ? 1 : 0], 5000);
    }
    cancel() {}
  }
  env.addSource(new OneSplit(marker)).setParallelism(4)
    .keyBy((e: [string, number]) => e[0]).window(TumblingEventTimeWindows.of(1000)).sum(1).setParallelism(2)
    .addSink(new LogSink(marker, (v) => v[0] === "a")).setParallelism(1);`,
      4,
    );
    expect(records(log).sort(byValue)).toEqual([[["a", 1000], 999], [["b", 200], 999], [["done", 1], 5999]]);
    expect(watermarksOf(log).at(-1)).toBe(MAX);
  });

  test("a non-parallel source rebalanced to p=4 with fewer records than subtasks: its watermarks reach every subtask", async () => {
    const { log } = await runMarked(
      `class Few extends RichSourceFunction<[string, number]> {
    constructor(private readonly marker: string) { super(); }
    async run(ctx: any) {
      ctx.collectWithTimestamp(["a", 100], 100);
      ctx.collectWithTimestamp(["b", 300], 300);
      ctx.emitWatermark(new Watermark(2000));
      const fired = await waitFor(this.marker);
      ctx.collectWithTimestamp(["done", fired ? 1 : 0], 5000);
    }
    cancel() {}
  }
  env.addSource(new Few(marker)).rebalance().map((e: [string, number]) => e).setParallelism(4)
    .keyBy((e: [string, number]) => e[0]).window(TumblingEventTimeWindows.of(1000)).sum(1).setParallelism(2)
    .addSink(new LogSink(marker, (v) => v[0] === "b")).setParallelism(1);`,
      4,
    );
    expect(records(log).sort(byValue)).toEqual([[["a", 100], 999], [["b", 300], 999], [["done", 1], 5999]]);
  });

  test("readTextFile at p=4 over a file with two lines: the subtasks without a split end with the final watermark", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flinkts-issue4-file-"));
    try {
      const file = join(dir, "events.txt");
      // two long lines: the byte ranges of subtasks 1 and 3 hold no line start
      writeFileSync(file, `a,100,${"x".repeat(200)}\nb,1200,${"x".repeat(200)}\n`);
      const { log } = await runMarked(
        `env.readTextFile(${JSON.stringify(file)})
    .map((line: string) => { const [k, ts] = line.split(","); return [k, Number(ts)] as [string, number]; })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<[string, number]>().withTimestampAssigner((e) => e[1]))
    .keyBy((e: [string, number]) => e[0]).window(TumblingEventTimeWindows.of(1000)).sum(1).setParallelism(2)
    .addSink(new LogSink(marker, () => false)).setParallelism(1);`,
        4,
      );
      expect(records(log).sort(byValue)).toEqual([[["a", 100], 999], [["b", 1200], 1999]]);
      expect(watermarksOf(log).at(-1)).toBe(MAX);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a custom periodic WatermarkGenerator follows setAutoWatermarkInterval", () => {
  /** A job whose generator emits the largest timestamp seen, only when asked periodically. */
  const body = (interval: number, wait: boolean) => `env.getConfig().setAutoWatermarkInterval(${interval});
  class Events extends RichParallelSourceFunction<[string, number]> {
    constructor(private readonly marker: string) { super(); }
    async run(ctx: any) {
      if (this.getRuntimeContext().getIndexOfThisSubtask() !== 0) return;
      ctx.collect(["a", 100]);
      ctx.collect(["a", 999]);
      const fired = ${wait} ? await waitFor(this.marker) : false;
      ctx.collect(["done", fired ? 1 : 0, 5000]);
    }
    cancel() {}
  }
  const strategy = WatermarkStrategy.forGenerator<any>((context) => {
    if (context.autoWatermarkInterval !== ${interval}) throw new Error("the generator saw interval " + context.autoWatermarkInterval);
    let max = Number.MIN_SAFE_INTEGER;
    return {
      onEvent: (_e: unknown, ts: number) => { max = Math.max(max, ts); },
      onPeriodicEmit: (out: any) => out.emitWatermark(new Watermark(max)),
    };
  }).withTimestampAssigner((e: any) => e[2] ?? e[1]);
  env.addSource(new Events(marker)).setParallelism(2)
    .assignTimestampsAndWatermarks(strategy)
    .keyBy((e: any) => e[0]).window(TumblingEventTimeWindows.of(1000)).sum(1).setParallelism(2)
    .addSink(new LogSink(marker, (v) => v[0] === "a")).setParallelism(1);`;

  test("interval 5 ms: the generator is asked periodically, so the window fires while the source still runs", async () => {
    const { log } = await runMarked(body(5, true), 2);
    expect(records(log).sort(byValue)).toEqual([[["a", 1099], 999], [["done", 1, 5000], 5999]]);
    const wms = watermarksOf(log);
    expect(wms[0]).toBe(999); // the generator's own value (the largest timestamp), not max - 1
    expect(wms.at(-1)).toBe(MAX);
    for (const w of wms) expect([999, 5000, MAX]).toContain(w);
  });

  test("interval 0: periodic emission is off, only the final watermark fires the windows", async () => {
    const { log } = await runMarked(body(0, false), 2);
    expect(records(log).sort(byValue)).toEqual([[["a", 1099], 999], [["done", 0, 5000], 5999]]);
    expect(watermarksOf(log)).toEqual([MAX]);
  });
});
