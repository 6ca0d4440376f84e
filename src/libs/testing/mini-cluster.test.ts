/** MiniClusterWithClientResource runs whole jobs in the test process; a job file outside the repo resolves "flinkts/testing". */
import { describe, expect, test } from "bun:test";
import { MiniClusterWithClientResource } from "./index.ts";

describe("MiniClusterWithClientResource", () => {
  const cluster = new MiniClusterWithClientResource({ numberSlotsPerTaskManager: 2, parallelism: 2 });

  test('a job importing "flinkts/testing" (through the module plugin) runs a harness in main()', async () => {
    const r = await cluster.runJobSource(`
import { KeyedProcessFunction } from "flinkts";
import { KeyedOneInputStreamOperatorTestHarness } from "flinkts/testing";

class Echo extends KeyedProcessFunction<string, string, string> {
  processElement(v: string, ctx: any) { ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 1); }
  onTimer(ts: number, ctx: any, out: any) { out.collect(ctx.getCurrentKey() + "@" + ts); }
}

export default async function main() {
  const h = new KeyedOneInputStreamOperatorTestHarness(new Echo(), (v: string) => v);
  await h.open();
  h.processElement("b", 2);
  h.processElement("a", 1);
  h.processWatermark(10);
  return h.getOutput();
}
`);
    expect(r.returned).toEqual([{ value: "a@2", timestamp: 2 }, { value: "b@3", timestamp: 3 }, { watermark: 10 }]);
  });

  test("a keyed job with event-time timers runs at parallelism 2 and prints its result", async () => {
    const r = await cluster.runJobSource(`
import { StreamExecutionEnvironment, KeyedProcessFunction, WatermarkStrategy } from "flinkts";

class FireAt extends KeyedProcessFunction<string, [string, number], string> {
  processElement(v: [string, number], ctx: any) { ctx.timerService().registerEventTimeTimer(v[1] + 100); }
  onTimer(ts: number, ctx: any, out: any) { out.collect(ctx.getCurrentKey() + "@" + ts); }
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const events: [string, number][] = [["a", 1], ["b", 2], ["a", 1], ["c", 5]];
  env.fromElements(...events)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<[string, number]>().withTimestampAssigner((e) => e[1]))
    .keyBy((e) => e[0])
    .process(new FireAt())
    .print();
  await env.execute("timers " + args[0]);
}
`, ["x"]);
    expect(r.stderr).toBe("");
    expect(r.lines.map((l) => l.replace(/^\d+> /, "")).sort()).toEqual(["a@101", "b@102", "c@105"]);
  });
});
