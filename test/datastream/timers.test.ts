/** Timers end to end: KeyedProcessFunction and KeyedCoProcessFunction event- and processing-time timers, and the non-keyed refusal. */
import { describe, expect, test } from "bun:test";
import { PARALLELISMS, run, sorted } from "./support.ts";

type Ev = [string, number]; // [key, timestamp]
/** Keys repeat on the same timestamp now and then, so dedup of (key, ts+10) timers is exercised. */
const EVENTS: Ev[] = Array.from({ length: 90 }, (_, i): Ev[] => {
  const e: Ev = [`k${Math.floor(i / 2) % 5}`, Math.floor(i / 4) * 3 + (i % 2)];
  return i % 7 === 0 ? [e, [e[0], e[1]]] : [e];
}).flat();

/** The reference: per event count it and register a timer at ts+10; after each event the watermark is maxTs-5; all remaining timers fire at the end. */
function reference(events: Ev[]): [string, number, number][] {
  const counts = new Map<string, number>();
  const timers = new Map<string, [string, number]>();
  const out: [string, number, number][] = [];
  const fire = (wm: number) => {
    const due = [...timers.values()].filter(([, ts]) => ts <= wm).sort((a, b) => a[1] - b[1]);
    for (const [k, ts] of due) {
      timers.delete(`${k}|${ts}`);
      out.push([k, ts, counts.get(k)!]);
    }
  };
  let maxTs = -Infinity;
  for (const [k, ts] of events) {
    counts.set(k, (counts.get(k) ?? 0) + 1);
    timers.set(`${k}|${ts + 10}`, [k, ts + 10]);
    maxTs = Math.max(maxTs, ts);
    fire(maxTs - 5);
  }
  fire(Number.MAX_SAFE_INTEGER);
  return out;
}

const PRELUDE = `
class EventSource extends RichSourceFunction<any> {
  constructor(private readonly events: [string, number][]) { super(); }
  async run(ctx: any) {
    let maxTs = -Infinity;
    for (const [k, ts] of this.events) {
      const p = ctx.collectWithTimestamp([k, ts], ts);
      maxTs = Math.max(maxTs, ts);
      ctx.emitWatermark(new Watermark(maxTs - 5));
      if (p) await p;
    }
  }
  cancel() {}
}

/** Counts elements per key; each element sets an event-time timer at ts+10 that emits [key, timer, count]. */
class CountThenFire extends KeyedProcessFunction<string, any, any> {
  count: any;
  open() { this.count = this.getRuntimeContext().getState(new ValueStateDescriptor("count", Types.INT)); }
  processElement(v: any, ctx: any, out: any) {
    this.count.update((this.count.value() ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
  }
  onTimer(ts: number, ctx: any, out: any) {
    if (ctx.timestamp() !== ts || ctx.timeDomain() !== "EVENT_TIME") throw new Error("bad timer context " + ctx.timestamp() + " " + ctx.timeDomain());
    if (ctx.timerService().currentWatermark() < ts) throw new Error("fired before its watermark");
    out.collect([ctx.getCurrentKey(), ts, this.count.value()]);
  }
}

/** Pairs each record with the timestamp it carries. */
class WithTimestamp extends ProcessFunction<any, any> {
  processElement(v: any, ctx: any, out: any) { out.collect([v, ctx.timestamp()]); }
}
`;

describe.each(PARALLELISMS)("timers at p=%i", (p) => {
  test("event-time timers fire by watermark, deduplicated, in order, and at the end of input", async () => {
    const r = await run(
      `const events = JSON.parse(args[0]);
  return await env.addSource(new EventSource(events)).setParallelism(1)
    .keyBy((e: any) => e[0]).process(new CountThenFire())
    .process(new WithTimestamp()).executeAndCollect();`,
      p,
      { prelude: PRELUDE, args: [JSON.stringify(EVENTS)] },
    );
    const got = r.returned as [[string, number, number], number][];
    for (const [v, ts] of got) expect(ts).toBe(v[1]);
    const ref = reference(EVENTS);
    expect(sorted(got.map(([v]) => v))).toEqual(sorted(ref));
    // per key, timers fire in timestamp order
    for (const k of new Set(EVENTS.map((e) => e[0]))) {
      const mine = got.filter(([v]) => v[0] === k).map(([v]) => v[1]);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  test("a processing-time timer 20 ms ahead fires, and deleted timers do not", async () => {
    const r = await run(
      `return await env.addSource(new SlowSource()).setParallelism(1)
    .keyBy((e: any) => e).process(new ProcTimer())
    .process(new WithTimestamp()).executeAndCollect();`,
      p,
      {
        prelude: `${PRELUDE}
class SlowSource extends RichSourceFunction<any> {
  async run(ctx: any) {
    for (const k of ["a", "b", "c"]) ctx.collect(k);
    await new Promise((r) => setTimeout(r, 300));
  }
  cancel() {}
}
class ProcTimer extends KeyedProcessFunction<string, any, any> {
  processElement(v: any, ctx: any, out: any) {
    const now = ctx.timerService().currentProcessingTime();
    ctx.timerService().registerProcessingTimeTimer(now + 20);
    if (v === "b") ctx.timerService().deleteProcessingTimeTimer(now + 20);
  }
  onTimer(ts: number, ctx: any, out: any) {
    out.collect([ctx.getCurrentKey(), ctx.timeDomain(), ctx.timestamp() === ts, ctx.timerService().currentProcessingTime() >= ts]);
  }
}`,
      },
    );
    expect(sorted(r.returned as unknown[])).toEqual([
      [["a", "PROCESSING_TIME", true, true], null],
      [["c", "PROCESSING_TIME", true, true], null],
    ]);
  });

  test("KeyedCoProcessFunction timers fire with the key of the side that set them", async () => {
    const r = await run(
      `const left = env.fromElements(["x", 1], ["y", 2]);
  const right = env.fromElements(["x", 10], ["z", 30]);
  return await left.connect(right).keyBy((e: any) => e[0], (e: any) => e[0]).process(new CoTimers()).executeAndCollect();`,
      p,
      {
        prelude: `${PRELUDE}
class CoTimers extends KeyedCoProcessFunction<string, any, any, any> {
  processElement1(v: any, ctx: any) { ctx.timerService().registerEventTimeTimer(100 + v[1]); }
  processElement2(v: any, ctx: any) { ctx.timerService().registerEventTimeTimer(100 + v[1]); }
  onTimer(ts: number, ctx: any, out: any) { out.collect([ctx.getCurrentKey(), ts, ctx.timeDomain()]); }
}`,
      },
    );
    expect(sorted(r.returned as unknown[])).toEqual(sorted([["x", 101, "EVENT_TIME"], ["y", 102, "EVENT_TIME"], ["x", 110, "EVENT_TIME"], ["z", 130, "EVENT_TIME"]]));
  });

  test.each(["process", "connect"])("registering a timer on a non-keyed stream (%s) fails with Flink's message", async (how) => {
    const body =
      how === "process"
        ? `await env.fromElements(1, 2, 3).process(new NoKeys()).executeAndCollect();`
        : `await env.fromElements(1).connect(env.fromElements(2)).process(new NoKeysCo()).executeAndCollect();`;
    const r = run(body, p, {
      prelude: `
class NoKeys extends ProcessFunction<any, any> {
  processElement(v: any, ctx: any) { ctx.timerService().registerEventTimeTimer(5); }
}
class NoKeysCo extends CoProcessFunction<any, any, any> {
  processElement1(v: any, ctx: any) { ctx.timerService().registerProcessingTimeTimer(5); }
  processElement2(v: any, ctx: any) {}
}`,
    });
    await expect(r).rejects.toThrow("Setting timers is only supported on a keyed streams.");
  });
});
