/**
 * Event time end to end: assignTimestampsAndWatermarks, periodic watermarks, the final MAX of a
 * bounded job, the minimum over input channels, and idle channels that do not hold it back.
 */
import { describe, expect, test } from "bun:test";
import { runJob } from "../support/run-job.ts";
import { PARALLELISMS, sorted } from "./support.ts";

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;

/** A job whose main() body is `body`; `WmSink` records "t:<timestamp>" per record and each watermark into the "log" accumulator. */
function run(body: string, p: number) {
  const source = `import {
  StreamExecutionEnvironment, Types, Watermark, WatermarkStrategy, Time, ProcessFunction,
  RichParallelSourceFunction, RichSinkFunction, ListAccumulator,
} from "flinkts";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
class WmSink extends RichSinkFunction<unknown> {
  log = new ListAccumulator<unknown>();
  open() { this.getRuntimeContext().addAccumulator("log", this.log); }
  invoke(_v: unknown, ctx: any) { this.log.add(["t", ctx.timestamp(), ctx.currentWatermark()]); }
  writeWatermark(w: Watermark) { this.log.add(["wm", w.timestamp]); }
}
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
${body}
}
`;
  return runJob(source, { parallelism: p });
}
type Entry = ["t", number | null, number] | ["wm", number];
const watermarks = (log: Entry[]) => log.filter((e) => e[0] === "wm").map((e) => e[1]);

describe.each(PARALLELISMS)("assignTimestampsAndWatermarks at p=%i", (p) => {
  test("records get the assigned timestamps; the bounded job ends with the MAX watermark", async () => {
    const r = await run(
      `const events = Array.from({ length: 50 }, (_, i) => ({ id: i, at: 1000 + ((i * 37) % 50) * 10 }));
  const stamped = env.fromCollection(events)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<{ id: number; at: number }>(Time.milliseconds(100)).withTimestampAssigner((e) => e.at));
  const seen = stamped.process(new (class extends ProcessFunction<any, any> {
    processElement(e: any, ctx: any, out: any) { out.collect([e.id, e.at, ctx.timestamp(), ctx.timerService().currentWatermark()]); }
  })());
  seen.addSink(new WmSink()).setParallelism(1);
  const res = await env.execute("stamps");
  return res.getAccumulatorResult("log");`,
      p,
    );
    const log = r.returned as Entry[];
    const records = log.filter((e) => e[0] === "t");
    expect(records.length).toBe(50);
    const wms = watermarks(log);
    expect(wms.at(-1)).toBe(MAX);
    for (let i = 1; i < wms.length; i++) expect(wms[i]!).toBeGreaterThan(wms[i - 1]!);
    const expected = Array.from({ length: 50 }, (_, i) => 1000 + ((i * 37) % 50) * 10).sort((a, b) => a - b);
    expect(records.map((e) => e[1] as number).sort((a, b) => a - b)).toEqual(expected);
  });

  test("the process function sees the assigned timestamp; watermarks trail the max timestamp by bound + 1", async () => {
    const r = await run(
      `env.getConfig().setAutoWatermarkInterval(10);
  class Paced extends RichParallelSourceFunction<number> {
    async run(ctx: any) {
      if (this.getRuntimeContext().getIndexOfThisSubtask() > 0) return;
      for (let i = 0; i < 40; i++) { ctx.collect(i); if (i % 10 === 9) await sleep(60); }
    }
    cancel() {}
  }
  return await env.addSource(new Paced())
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((i) => 5000 + i * 100))
    .process(new (class extends ProcessFunction<number, any> {
      processElement(i: number, ctx: any, out: any) { out.collect([i, ctx.timestamp(), ctx.timerService().currentWatermark()]); }
    })())
    .executeAndCollect();`,
      p,
    );
    const got = (r.returned as [number, number, number][]).sort((a, b) => a[0] - b[0]);
    expect(got.map((g) => [g[0], g[1]])).toEqual(Array.from({ length: 40 }, (_, i) => [i, 5000 + i * 100]));
    // a watermark seen with element i came from earlier elements: at most max earlier timestamp - 1
    for (const [i, , wm] of got) expect(wm === MIN || wm <= 5000 + (i - 1) * 100 - 1).toBe(true);
    // after the pauses, the periodic watermark (max - 1) has arrived
    expect(got[39]![2]).toBeGreaterThanOrEqual(5000 + 29 * 100 - 1);
    expect(got.some((g) => g[2] !== MIN && (g[2] - 5000 + 1) % 100 === 0)).toBe(true);
  });
});

describe("watermarks over several input channels", () => {
  test("the watermark is the minimum over the channels", async () => {
    const r = await run(
      `class TwoSpeeds extends RichParallelSourceFunction<number> {
    async run(ctx: any) {
      const me = this.getRuntimeContext().getIndexOfThisSubtask();
      if (me === 0) {
        for (let i = 0; i < 20; i++) { ctx.collectWithTimestamp(i, 100000 + i); ctx.emitWatermark(new Watermark(100000 + i)); }
        return;
      }
      await sleep(150);
      for (let i = 0; i < 20; i++) { ctx.collectWithTimestamp(i, i * 10); ctx.emitWatermark(new Watermark(i * 10)); if (i % 5 === 4) await sleep(20); }
      await sleep(150); // ends last: channel 0 ends first and stops holding nothing back
    }
    cancel() {}
  }
  env.addSource(new TwoSpeeds()).addSink(new WmSink()).setParallelism(1);
  return (await env.execute("min")).getAccumulatorResult("log");`,
      2,
    );
    const wms = watermarks(r.returned as Entry[]);
    expect(wms.at(-1)).toBe(MAX);
    const before = wms.slice(0, -1);
    expect(before.length).toBeGreaterThan(0);
    for (const w of before) expect(w).toBeLessThanOrEqual(190); // never one of channel 0's (>= 100000)
  });

  test("a source subtask that marks itself idle does not hold back the watermark", async () => {
    const r = await run(
      `class OneIdle extends RichParallelSourceFunction<number> {
    async run(ctx: any) {
      if (this.getRuntimeContext().getIndexOfThisSubtask() === 1) {
        ctx.markAsTemporarilyIdle(); // no data for this subtask
        await sleep(800);
        return;
      }
      await sleep(100);
      for (let i = 0; i < 30; i++) { ctx.collectWithTimestamp(i, i * 10); ctx.emitWatermark(new Watermark(i * 10)); if (i % 10 === 9) await sleep(30); }
    }
    cancel() {}
  }
  env.addSource(new OneIdle()).addSink(new WmSink()).setParallelism(1);
  return (await env.execute("idle")).getAccumulatorResult("log");`,
      2,
    );
    const log = r.returned as Entry[];
    const wms = watermarks(log);
    // all of subtask 0's watermarks pass (the first ones may be merged if subtask 1 started late)
    expect(wms.at(-1)).toBe(MAX);
    expect(wms.at(-2)).toBe(290);
    for (const w of wms.slice(0, -1)) expect(w % 10).toBe(0);
    // records saw the watermark of the records before them, long before subtask 1 ended
    const seen = log.filter((e) => e[0] === "t").map((e) => e[2]);
    expect(seen.at(-1)).toBe(280);
  });

  test("withIdleness: a subtask whose records stop is marked idle and stops holding back the watermark", async () => {
    const r = await run(
      `env.getConfig().setAutoWatermarkInterval(10);
  class Stalls extends RichParallelSourceFunction<number> {
    async run(ctx: any) {
      if (this.getRuntimeContext().getIndexOfThisSubtask() === 1) {
        ctx.collect(5); // then nothing for a long time
        await sleep(1000);
        return;
      }
      for (let i = 0; i < 30; i++) { ctx.collect(1000 + i * 10); if (i % 10 === 9) await sleep(120); }
    }
    cancel() {}
  }
  env.addSource(new Stalls())
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((x) => x).withIdleness(50))
    .addSink(new WmSink()).setParallelism(1);
  return (await env.execute("withIdleness")).getAccumulatorResult("log");`,
      2,
    );
    const wms = watermarks(r.returned as Entry[]);
    expect(wms.at(-1)).toBe(MAX);
    // without idleness subtask 1 would hold the watermark at 4 until it ends
    expect(wms.some((w) => w > 1000 && w < MAX)).toBe(true);
  });
});
