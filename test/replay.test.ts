/**
 * User code reaches the slots by replaying main(): later executions see earlier results, and
 * values that differ between runs are the client's everywhere.
 */
import { expect, test } from "bun:test";
import { runJob } from "./support/run-job.ts";

test("a second execution captures the first's result and the client's random values, at p=2", async () => {
  const r = await runJob(
    `import { StreamExecutionEnvironment, RichMapFunction } from "flinkts";
class Tag extends RichMapFunction<number, string> {
  constructor(private readonly n: number, private readonly salt: number, private readonly stamp: number, private readonly id: string) { super(); }
  map(x: number): string {
    return [this.getRuntimeContext().getIndexOfThisSubtask(), x / this.n, this.salt, this.stamp, this.id].join("|");
  }
}
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const firstRun = await env.fromSequence(1, 40).filter((x: number) => x % 2 === 0).executeAndCollect();
  const n = firstRun.length;
  const salt = Math.random();
  const stamp = Date.now();
  const id = crypto.randomUUID();
  env.fromSequence(1, 20).rebalance().map(new Tag(n, salt, stamp, id)).print();
  await env.execute("second");
  return { n, salt, stamp, id };
}`,
    { parallelism: 2 },
  );
  const { n, salt, stamp, id } = r.returned as { n: number; salt: number; stamp: number; id: string };
  expect(n).toBe(20);
  const rows = r.lines.map((l) => l.replace(/^\d> /, "").split("|"));
  expect(rows.length).toBe(20);
  expect(new Set(rows.map((x) => x[0])).size).toBe(2); // both subtasks ran the map
  for (const [, ratio, s, t, u] of rows) {
    expect(Number(ratio)).toBeGreaterThan(0);
    expect(Number(s)).toBe(salt);
    expect(Number(t)).toBe(stamp);
    expect(u).toBe(id);
  }
  expect(rows.map((x) => Number(x[1]) * 20).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
});

test("a graph that differs when replayed is refused, naming the operator", async () => {
  const run = runJob(
    `import { StreamExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const s = env.fromSequence(1, 10);
  // reads the thread it runs in: the client and the slots disagree
  const inWorker = typeof (globalThis as any).postMessage === "function" && typeof (globalThis as any).document === "undefined" && !Bun.isMainThread;
  (inWorker ? s.map((x: number) => x).name("OnlyInSlots") : s.filter(() => true).name("OnlyInClient")).print();
  await env.execute("unstable");
}`,
    { parallelism: 1 },
  );
  await expect(run).rejects.toThrow(/the job graph built when main\(\) was replayed differs from the client's: .*OnlyInClient/);
});

test("DataSet: a second execution captures await ds.count() and a random salt in a closure, at p=2", async () => {
  const r = await runJob(
    `import { ExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const n = await env.generateSequence(1, 40).filter((x: number) => x % 2 === 0).count();
  const salt = Math.random();
  const rows = await env.generateSequence(1, 20).rebalance().map((x: number) => [x / n, salt]).collect();
  return { n, salt, rows };
}`,
    { parallelism: 2 },
  );
  const { n, salt, rows } = r.returned as { n: number; salt: number; rows: [number, number][] };
  expect(n).toBe(20);
  expect(rows.map(([ratio]) => ratio * 20).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(new Set(rows.map(([, s]) => s))).toEqual(new Set([salt]));
});
