/** Window join, window coGroup and interval join as whole jobs at p=1 and p=2: pairs, empty sides, result timestamps, rich functions. */
import { describe, expect, test } from "bun:test";
import { runJob } from "../support/run-job.ts";
import { parseLine, sorted } from "./support.ts";

const IMPORTS = `import {
  StreamExecutionEnvironment, Types, WatermarkStrategy, TumblingEventTimeWindows, SlidingEventTimeWindows,
  ProcessFunction, RichJoinFunction, RichCoGroupFunction, ProcessJoinFunction,
} from "flinkts";`;

/** Orders (user, amount, ts) and clicks (user, page, ts), each stream stamped by its ts. */
const INPUTS = `
  const stamped = WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner((e) => e[2]);
  const orders = env.fromElements(["ann", 10, 1000], ["bob", 20, 2000], ["ann", 30, 6000], ["cid", 40, 7000], ["ann", 50, 12000])
    .assignTimestampsAndWatermarks(stamped);
  const clicks = env.fromElements(["ann", "home", 500], ["ann", "cart", 4000], ["bob", "home", 8000], ["ann", "pay", 11000], ["dan", "home", 11500])
    .assignTimestampsAndWatermarks(stamped);
  /** Prints each value with the timestamp its record carries. */
  const withTimestamp = new (class extends ProcessFunction { processElement(v, ctx, out) { out.collect(v + "@" + ctx.timestamp()); } })();
`;

async function run(body: string, p: number): Promise<string[]> {
  const source = `${IMPORTS}
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  ${INPUTS}
  ${body}
  await env.execute("joins");
}`;
  const r = await runJob(source, { parallelism: p });
  expect(r.stderr).toBe("");
  // "tag> v" becomes "tag|v"; subtask prefixes go
  return sorted(r.lines.map(parseLine).map((l) => (l.tag ? `${l.tag}|${l.value}` : l.value)));
}

describe.each([1, 2])("stream joins at p=%i", (p) => {
  test("join: every pair of a key in the same tumbling window, stamped with the window's maxTimestamp", async () => {
    const out = await run(
      `orders.join(clicks).where((o) => o[0]).equalTo((c) => c[0]).window(TumblingEventTimeWindows.of(5000))
        .apply((o, c) => o[0] + ":" + o[1] + "/" + c[1], Types.STRING)
        .process(withTimestamp, Types.STRING).print();`,
      p,
    );
    // window [0,5000): ann 10 with home, cart; [5000,10000): bob 20? no (bob's order at 2000); [10000,15000): ann 50 with pay
    expect(out).toEqual(sorted(["ann:10/home@4999", "ann:10/cart@4999", "ann:50/pay@14999"]));
  });

  test("join with a rich function, a flat join and sliding windows: a pair joins once per shared window", async () => {
    const out = await run(
      `class Tag extends RichJoinFunction {
         open() { this.tag = "s" + this.getRuntimeContext().getNumberOfParallelSubtasks(); }
         join(o, c) { return this.tag + ":" + o[1] + "/" + c[1]; }
       }
       orders.join(clicks).where(0).equalTo(0).window(SlidingEventTimeWindows.of(4000, 2000)).apply(new Tag(), Types.STRING).print("rich");
       orders.join(clicks).where((o) => o[0]).equalTo((c) => c[0]).window(TumblingEventTimeWindows.of(5000))
         .apply((o, c, out) => { if (c[1] !== "home") out.collect(o[1] + ">" + c[1]); }, Types.STRING).print("flat");`,
      p,
    );
    // ann 10 @1000 and home @500 share [-2000,2000) and [0,4000); ann 30 @6000 and cart @4000 share [4000,8000);
    // ann 50 @12000 and pay @11000 share [10000,14000)
    const s = `rich|s${p}`;
    expect(out).toEqual(sorted([`${s}:10/home`, `${s}:10/home`, `${s}:30/cart`, `${s}:50/pay`, "flat|10>cart", "flat|50>pay"]));
  });

  test("coGroup: called per key and window with both sides, either may be empty", async () => {
    const out = await run(
      `class Summary extends RichCoGroupFunction {
         open() { this.opened = true; }
         coGroup(os, cs, out) {
           // sorted: at p=2 a key's clicks reach the window over two channels (the timestamp
           // assigner runs at p=2 after the p=1 fromElements), so their order is not fixed
           const amounts = [...os].map((o) => o[1]).sort((a, b) => a - b);
           const pages = [...cs].map((c) => c[1]).sort();
           const user = (os[0] ?? cs[0])[0];
           out.collect(user + " orders=" + amounts.join("+") + " clicks=" + pages.join("+") + " opened=" + this.opened);
         }
       }
       orders.coGroup(clicks).where((o) => o[0]).equalTo((c) => c[0]).window(TumblingEventTimeWindows.of(5000))
         .apply(new Summary(), Types.STRING).process(withTimestamp, Types.STRING).print();`,
      p,
    );
    expect(out).toEqual(
      sorted([
        "ann orders=10 clicks=cart+home opened=true@4999",
        "bob orders=20 clicks= opened=true@4999",
        "ann orders=30 clicks= opened=true@9999",
        "cid orders=40 clicks= opened=true@9999",
        "bob orders= clicks=home opened=true@9999",
        "ann orders=50 clicks=pay opened=true@14999",
        "dan orders= clicks=home opened=true@14999",
      ]),
    );
  });

  test("intervalJoin: clicks within [-1 s, +1 s] of an order, stamped with the later of the two", async () => {
    const out = await run(
      `class Near extends ProcessJoinFunction {
         processElement(o, c, ctx, out) { out.collect(o[0] + ":" + o[1] + "~" + c[1] + " " + ctx.getLeftTimestamp() + "/" + ctx.getRightTimestamp()); }
       }
       orders.keyBy((o) => o[0]).intervalJoin(clicks.keyBy((c) => c[0])).between(-1000, 1000)
         .process(new Near(), Types.STRING).process(withTimestamp, Types.STRING).print();
       orders.keyBy((o) => o[0]).intervalJoin(clicks.keyBy((c) => c[0])).between(-1000, 1000).lowerBoundExclusive().upperBoundExclusive()
         .process((o, c, ctx, out) => out.collect("excl " + o[1] + "~" + c[1]), Types.STRING).print();`,
      p,
    );
    // ann 10 @1000 ~ home @500 (inside); ann 50 @12000 ~ pay @11000 (on the lower bound: only inclusive)
    expect(out).toEqual(sorted(["ann:10~home 1000/500@1000", "ann:50~pay 12000/11000@12000", "excl 10~home"]));
  });
});
