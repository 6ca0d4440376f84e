/** The runtime model seen from outside: real threads per slot, bounded memory under backpressure. */
import { expect, test } from "bun:test";
import { runJob, writeJob } from "./support/run-job.ts";
import { ROOT } from "./support/cli.ts";

test("subtasks of different slots run on different threads", async () => {
  const r = await runJob(
    `import { StreamExecutionEnvironment, RichMapFunction } from "flinkts";
import { threadId } from "node:worker_threads";
class WhereAmI extends RichMapFunction<number, string> {
  map(x: number): string { return this.getRuntimeContext().getIndexOfThisSubtask() + ":" + threadId; }
}
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const seen = await env.fromSequence(1, 1000).map(new WhereAmI()).executeAndCollect();
  return [...new Set(seen)].sort();
}`,
    { parallelism: 2 },
  );
  const pairs = r.returned as string[];
  expect(pairs.length).toBe(2);
  const [a, b] = pairs.map((p) => p.split(":"));
  expect(a![0]).toBe("0");
  expect(b![0]).toBe("1");
  expect(a![1]).not.toBe(b![1]);
  expect(Number(a![1])).toBeGreaterThan(0); // a worker thread, not the client's main thread
});

/** Peak RSS of a child process, sampled from /proc while it runs. */
async function sampleRss(cmd: string[]): Promise<{ code: number; samples: number[]; stdout: string }> {
  const proc = Bun.spawn(cmd, { cwd: ROOT, stdout: "pipe", stderr: "inherit", env: { ...process.env, NO_COLOR: "1" } });
  const samples: number[] = [];
  const timer = setInterval(async () => {
    const status = await Bun.file(`/proc/${proc.pid}/status`).text().catch(() => "");
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m) samples.push(Number(m[1]) * 1024);
  }, 50);
  const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  clearInterval(timer);
  return { code, samples, stdout };
}

test("a slow sink slows the source: peak memory does not grow with the records (1M vs 10M)", async () => {
  const job = writeJob(`import { StreamExecutionEnvironment, Types } from "flinkts";
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  let n = 0;
  env.fromSequence(1, Number(args[0]))
    .map((x: number) => [x, "payload-" + (x % 1000)], Types.TUPLE(Types.LONG, Types.STRING))
    .rebalance()
    .addSink(() => { if (++n % 5_000 === 0) Bun.sleepSync(1); })
    // one sink subtask in slot 0: the source subtask in slot 1 is held back only by credits
    .setParallelism(1);
  await env.execute("slow sink");
}`);
  const peak = async (records: number) => {
    const r = await sampleRss([process.execPath, "cli.ts", "run", "-p", "2", job, String(records)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${records} records from sources`);
    return Math.max(...r.samples);
  };
  const small = await peak(1_000_000);
  const large = await peak(10_000_000);
  // without flow control the 9M extra records queue up (measured: +100 MB); with it nothing does
  expect(large - small).toBeLessThan(40 * 1024 * 1024);
}, 120_000);

test("an error thrown outside any task (a user timer) crashes its slot and fails the job", async () => {
  const run = runJob(
    `import { StreamExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  // a source that would run for 10 s: the timer's throw must end the job long before
  env.addSource({ running: true, async run(ctx: any) { for (let i = 0; this.running && i < 1000; i++) { await ctx.collect(i); await Bun.sleep(10); } }, cancel() { this.running = false; } })
    .map((x: number) => { if (x === 5) setTimeout(() => { throw new Error("async boom"); }, 1); return x; })
    .addSink(() => {});
  await env.execute("crashy");
}`,
    { parallelism: 2 },
  );
  await expect(run).rejects.toThrow(/failed: slot \d crashed: async boom$/);
  // nothing is left behind: the next job in this process runs normally
  const after = await runJob(
    `import { StreamExecutionEnvironment } from "flinkts";
export default async function main() {
  return (await StreamExecutionEnvironment.getExecutionEnvironment().fromSequence(1, 5).executeAndCollect()).length;
}`,
    { parallelism: 2 },
  );
  expect(after.returned).toBe(5);
});

test("hash partitioning assigns key groups by the consumer's max parallelism", async () => {
  const r = await runJob(
    `import { StreamExecutionEnvironment, Types } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setMaxParallelism(128);
  const counts = await env.fromSequence(1, 3000)
    .map((x: number) => ["k" + (x % 37), 1], Types.TUPLE(Types.STRING, Types.INT))
    .keyBy(0)
    .sum(1)
    .setMaxParallelism(16)
    .executeAndCollect();
  const last = new Map<string, number>();
  for (const [k, n] of counts as [string, number][]) last.set(k, Math.max(last.get(k) ?? 0, n));
  return [...last.entries()].sort();
}`,
    { parallelism: 2 },
  );
  const expected = new Map<string, number>();
  for (let x = 1; x <= 3000; x++) expected.set("k" + (x % 37), (expected.get("k" + (x % 37)) ?? 0) + 1);
  expect(r.returned).toEqual([...expected.entries()].sort());
});

test("a record of a source that then waits reaches the sink at the buffer timeout", async () => {
  const r = await runJob(
    `import { StreamExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setBufferTimeout(50);
  // one record, then silence until cancelled: only the buffer timeout can ship it (the buffer is far from full)
  const source = { running: true, async run(ctx: any) { ctx.collect("only one"); while (this.running) await Bun.sleep(10); }, cancel() { this.running = false; } };
  return await env.addSource(source).rebalance().map((s: string) => s.toUpperCase()).setParallelism(2).executeAndCollect(1);
}`,
    { parallelism: 2 },
  );
  expect(r.returned).toEqual(["ONLY ONE"]);
}, 20_000);
