/**
 * Windows end to end, checked against straightforward in-memory computations: tumbling, sliding
 * and session event-time windows, count windows, lateness with side output, windowAll, reduce
 * with a ProcessWindowFunction, aggregate, apply, evictors, and a bounded input firing every window.
 */
import { describe, expect, test } from "bun:test";
import { runJob } from "../support/run-job.ts";
import { PARALLELISMS, sorted } from "./support.ts";

const MAX = Number.MAX_SAFE_INTEGER;

/** A job whose main() body is `body`, with `events` parsed from args[0] and the prelude's helpers. */
function run(body: string, p: number, events: unknown) {
  const source = `import {
  StreamExecutionEnvironment, Types, Time, OutputTag, Watermark, WatermarkStrategy, ProcessFunction, RichSourceFunction,
  TumblingEventTimeWindows, SlidingEventTimeWindows, EventTimeSessionWindows, GlobalWindows,
  ProcessWindowFunction, ProcessAllWindowFunction, CountTrigger, PurgingTrigger, EventTimeTrigger,
  CountEvictor, TimeEvictor, TimeWindow,
} from "flinkts";

/** Pairs each record with its timestamp. */
class WithTimestamp extends ProcessFunction<any, any> {
  processElement(v: any, ctx: any, out: any) { out.collect([v, ctx.timestamp()]); }
}

/** Emits [key, ts] events and, after each, the watermark given with it (-1: none). */
class ScriptedSource extends RichSourceFunction<any> {
  constructor(private readonly script: [string, number, number][]) { super(); }
  async run(ctx: any) {
    for (const [k, ts, wm] of this.script) {
      const p = ctx.collectWithTimestamp([k, ts], ts);
      if (wm >= 0) ctx.emitWatermark(new Watermark(wm));
      if (p) await p;
    }
  }
  cancel() {}
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const events: [string, number][] = JSON.parse(args[0]);
  const stamped = () => env.fromCollection(events)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<[string, number]>(50).withTimestampAssigner((e) => e[1]));
${body}
}
`;
  return runJob(source, { parallelism: p, args: [JSON.stringify(events)] });
}

type Ev = [string, number]; // [key, timestamp]
/** Deterministic, out of order, with negative timestamps too. */
const EVENTS: Ev[] = Array.from({ length: 120 }, (_, i): Ev => [`k${(i * 7) % 4}`, ((i * 37) % 113) * 9 - 200]);

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** Reference: counts per key and window of `size` sliding by `slide` (tumbling when equal). */
function slidingCounts(events: Ev[], size: number, slide: number): [string, number, number, number][] {
  const counts = new Map<string, number>();
  for (const [k, ts] of events) {
    const last = floorDiv(ts, slide) * slide;
    for (let start = last; start > ts - size; start -= slide) {
      const id = `${k}|${start}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return [...counts].map(([id, n]) => {
    const [k, s] = id.split("|");
    return [k!, Number(s), Number(s) + size, n];
  });
}

/** Reference: sessions per key with `gap` (windows [ts, ts+gap) merged when they overlap or touch). */
function sessions(events: Ev[], gap: number): [string, number, number, number][] {
  const byKey = new Map<string, number[]>();
  for (const [k, ts] of events) byKey.set(k, [...(byKey.get(k) ?? []), ts]);
  const out: [string, number, number, number][] = [];
  for (const [k, tss] of byKey) {
    tss.sort((a, b) => a - b);
    let start = tss[0]!;
    let end = start + gap;
    let n = 0;
    for (const ts of tss) {
      if (ts > end) {
        out.push([k, start, end, n]);
        start = ts;
        n = 0;
      }
      end = Math.max(end, ts + gap);
      n++;
    }
    out.push([k, start, end, n]);
  }
  return out;
}

describe.each(PARALLELISMS)("event-time windows at p=%i", (p) => {
  test("tumbling sum per key: every window fires at the end of the bounded input, timestamped end - 1", async () => {
    const r = await run(
      `return await stamped().map((e) => [e[0], 1], Types.TUPLE(Types.STRING, Types.INT)).keyBy(0)
    .window(TumblingEventTimeWindows.of(Time.milliseconds(100))).sum(1)
    .process(new WithTimestamp()).executeAndCollect();`,
      p,
      EVENTS,
    );
    const expected = slidingCounts(EVENTS, 100, 100).map(([k, , end, n]) => [[k, n], end - 1]);
    expect(sorted(r.returned as unknown[])).toEqual(sorted(expected));
  });

  test("sliding windows: aggregate (count) with a ProcessWindowFunction seeing key and window", async () => {
    const r = await run(
      `const count = { createAccumulator: () => 0, add: (_e: any, n: number) => n + 1, getResult: (n: number) => n };
  class Describe extends ProcessWindowFunction<number, any, string, TimeWindow> {
    process(key: string, ctx: any, counts: Iterable<number>, out: any) {
      const w = ctx.window();
      for (const n of counts) out.collect([key, w.start, w.end, n, w.maxTimestamp()]);
    }
  }
  return await stamped().keyBy((e) => e[0]).window(SlidingEventTimeWindows.of(300, 100)).aggregate(count, new Describe()).executeAndCollect();`,
      p,
      EVENTS,
    );
    const expected = slidingCounts(EVENTS, 300, 100).map(([k, s, e, n]) => [k, s, e, n, e - 1]);
    expect(sorted(r.returned as unknown[])).toEqual(sorted(expected));
  });

  test("session windows merge: reduce with a ProcessWindowFunction", async () => {
    const r = await run(
      `return await stamped().map((e) => [e[0], 1]).keyBy((e: any) => e[0])
    .window(EventTimeSessionWindows.withGap(20))
    .reduce((a: any, b: any) => [a[0], a[1] + b[1]], (key: string, ctx: any, sums: Iterable<any>, out: any) => {
      for (const s of sums) out.collect([key, ctx.window().start, ctx.window().end, s[1]]);
    }).executeAndCollect();`,
      p,
      EVENTS,
    );
    expect(sorted(r.returned as unknown[])).toEqual(sorted(sessions(EVENTS, 20)));
  });

  test("apply with a WindowFunction sees key, window and all elements", async () => {
    const r = await run(
      `return await stamped().keyBy((e) => e[0]).window(TumblingEventTimeWindows.of(250, 50))
    .apply({ apply(key: string, w: any, input: Iterable<any>, out: any) { out.collect([key, w.start, [...input].length]); } }).executeAndCollect();`,
      p,
      EVENTS,
    );
    const counts = new Map<string, number>();
    for (const [k, ts] of EVENTS) {
      const id = `${k}|${floorDiv(ts - 50, 250) * 250 + 50}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const expected = [...counts].map(([id, n]) => [id.split("|")[0], Number(id.split("|")[1]), n]);
    expect(sorted(r.returned as unknown[])).toEqual(sorted(expected));
  });

  test("max and minBy over a field", async () => {
    const r = await run(
      `const keyed = () => stamped().map((e) => [e[0], e[1], -e[1]], Types.TUPLE(Types.STRING, Types.INT, Types.INT)).keyBy(0).window(TumblingEventTimeWindows.of(500));
  const max = await keyed().max(1).executeAndCollect();
  const minBy = await keyed().minBy(2).executeAndCollect();
  return [max, minBy];`,
      p,
      EVENTS,
    );
    const [max, minBy] = r.returned as [[string, number, number][], [string, number, number][]];
    const best = new Map<string, number>();
    for (const [k, ts] of EVENTS) {
      const id = `${k}|${floorDiv(ts, 500)}`;
      best.set(id, Math.max(best.get(id) ?? -Infinity, ts));
    }
    expect(sorted(max.map((t) => `${t[0]}|${t[1]}`))).toEqual(sorted([...best].map(([id, m]) => `${id.split("|")[0]}|${m}`)));
    expect(sorted(minBy.map((t) => [t[0], t[1], t[2]]))).toEqual(sorted([...best].map(([id, m]) => [id.split("|")[0], m, -m])));
  });

  test("count windows: tumbling countWindow(3) and sliding countWindow(3, 2)", async () => {
    const r = await run(
      `const ones = () => env.fromCollection(events).map((e) => [e[0], 1], Types.TUPLE(Types.STRING, Types.INT)).keyBy(0);
  return [await ones().countWindow(3).sum(1).executeAndCollect(), await ones().countWindow(3, 2).sum(1).executeAndCollect()];`,
      p,
      EVENTS,
    );
    const [tumbling, sliding] = r.returned as [[string, number][], [string, number][]];
    const perKey = new Map<string, number>();
    for (const [k] of EVENTS) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    const expTumbling: [string, number][] = [];
    const expSliding: [string, number][] = [];
    for (const [k, n] of perKey) {
      for (let i = 0; i < Math.floor(n / 3); i++) expTumbling.push([k, 3]);
      for (let seen = 2; seen <= n; seen += 2) expSliding.push([k, Math.min(3, seen)]);
    }
    expect(sorted(tumbling)).toEqual(sorted(expTumbling));
    expect(sorted(sliding)).toEqual(sorted(expSliding));
  });

  test("windowAll runs at parallelism 1 and sees every element", async () => {
    const r = await run(
      `class All extends ProcessAllWindowFunction<any, any, TimeWindow> {
    process(ctx: any, elements: Iterable<any>, out: any) { out.collect([ctx.window().start, [...elements].length, this.getRuntimeContext().getNumberOfParallelSubtasks()]); }
  }
  return await stamped().windowAll(TumblingEventTimeWindows.of(1000)).process(new All()).executeAndCollect();`,
      p,
      EVENTS,
    );
    const counts = new Map<number, number>();
    for (const [, ts] of EVENTS) counts.set(floorDiv(ts, 1000) * 1000, (counts.get(floorDiv(ts, 1000) * 1000) ?? 0) + 1);
    expect(sorted(r.returned as unknown[])).toEqual(sorted([...counts].map(([s, n]) => [s, n, 1])));
  });

  test("an evictor: TimeEvictor keeps the last 30 ms of each window", async () => {
    const r = await run(
      `return await stamped().keyBy((e) => e[0]).window(TumblingEventTimeWindows.of(200)).evictor(TimeEvictor.of(30))
    .process((key: string, ctx: any, els: Iterable<any>, out: any) => out.collect([key, ctx.window().start, [...els].map((e) => e[1]).sort((a, b) => a - b)]))
    .executeAndCollect();`,
      p,
      EVENTS,
    );
    const groups = new Map<string, number[]>();
    for (const [k, ts] of EVENTS) {
      const id = `${k}|${floorDiv(ts, 200) * 200}`;
      groups.set(id, [...(groups.get(id) ?? []), ts]);
    }
    const expected = [...groups].map(([id, tss]) => {
      const max = Math.max(...tss);
      return [id.split("|")[0], Number(id.split("|")[1]), tss.filter((t) => t > max - 30).sort((a, b) => a - b)];
    });
    expect(sorted(r.returned as unknown[])).toEqual(sorted(expected));
  });
});

describe("lateness end to end", () => {
  test("allowed lateness re-fires a window; later elements go to the late side output; results carry end - 1", async () => {
    // [key, ts, watermark after it]
    const script: [string, number, number][] = [
      ["a", 10, -1],
      ["a", 50, 99], // window [0,100) fires: 2
      ["a", 60, 120], // late but within lateness 50: re-fires: 3
      ["b", 120, 149], // [100,200) of b
      ["a", 70, 160], // wm 149 >= 99 + 50: too late -> side output
      ["a", 150, -1],
    ];
    const r = await run(
      `const late = new OutputTag<any>("late");
  const counted = env.addSource(new ScriptedSource(${JSON.stringify(script)})).setParallelism(1)
    .map((e: any) => [e[0], 1], Types.TUPLE(Types.STRING, Types.INT)).keyBy(0)
    .window(TumblingEventTimeWindows.of(100)).allowedLateness(Time.milliseconds(50)).sideOutputLateData(late).sum(1);
  const lateOnes = counted.getSideOutput(late).process(new WithTimestamp());
  return await counted.process(new WithTimestamp()).union(lateOnes.map((x: any) => ["late", x])).executeAndCollect();`,
      1,
      [],
    );
    expect(sorted(r.returned as unknown[])).toEqual(
      sorted([
        [["a", 2], 99],
        [["a", 3], 99],
        ["late", [["a", 1], 70]],
        [["a", 1], 199],
        [["b", 1], 199],
      ]),
    );
  });
});

test("MAX is the final watermark: global windows with a count trigger leave partial windows unfired", async () => {
  const r = await run(
    `return await env.fromCollection(events).keyBy((e) => e[0]).window(GlobalWindows.create()).trigger(CountTrigger.of(5))
    .process((k: string, _ctx: any, els: Iterable<any>, out: any) => out.collect([k, [...els].length]))
    .process(new WithTimestamp()).executeAndCollect();`,
    2,
    EVENTS,
  );
  const perKey = new Map<string, number>();
  for (const [k] of EVENTS) perKey.set(k, (perKey.get(k) ?? 0) + 1);
  const expected: unknown[] = [];
  for (const [k, n] of perKey) for (let c = 5; c <= n; c += 5) expected.push([[k, c], MAX]);
  expect(sorted(r.returned as unknown[])).toEqual(sorted(expected));
});
