/**
 * The bytes a job spilled reach the user: `flinkts run` sums them over the job's slots and prints
 * them in its summary, the same figure JobExecutionResult.getSpilledBytes() gives, and the bench
 * parser (test/bench/measure.ts spilledBytes) reads them back. A sort larger than tiny managed
 * memory spills; with the default memory nothing does. `taskmanager.memory.verify-external`
 * makes every sort, join, coGroup and cross spill what fits the default memory, and changes no
 * result.
 */
import { describe, expect, test } from "bun:test";
import { spilledBytes } from "../bench/measure.ts";
import { ROOT } from "../support/cli.ts";
import { writeJob } from "./dataset-job.ts";
import { runCases, sorted, writeCasesJob, type CasesRun, type JobCase, type Variant } from "./binary-cases.ts";

/** Two executions: a sort of ~1 MB of strings, then a tiny count that never spills. */
const JOB = writeJob(`import { ExecutionEnvironment, Order, Types } from "flinkts";
export default async function main(args: string[]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const lines = env.generateSequence(1, Number(args[0])).map((i: number) => "line-" + ((i * 7919) % 100003), Types.STRING);
  const sorted = await lines.sortPartition("*", Order.ASCENDING).count();
  const first = env.getLastJobExecutionResult()!.getSpilledBytes();
  await env.fromElements(1, 2, 3).count();
  const second = env.getLastJobExecutionResult()!.getSpilledBytes();
  console.log("sorted=" + sorted + " spilled=" + first + "," + second);
}`);

async function run(records: number, options: string[]): Promise<{ stdout: string; sorted: number; first: number; second: number }> {
  const proc = Bun.spawn([process.execPath, "cli.ts", "run", "-p", "2", ...options, JOB, String(records)], { cwd: ROOT, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  const m = /sorted=(\d+) spilled=(\d+),(\d+)/.exec(stdout);
  if (!m) throw new Error(`the job printed no result:\n${stdout}`);
  return { stdout, sorted: Number(m[1]), first: Number(m[2]), second: Number(m[3]) };
}

describe("bytes spilled", () => {
  test("a sort larger than tiny managed memory spills, and the summary says how much", async () => {
    const r = await run(100_000, ["--managed-memory", "1mb"]);
    expect(r.sorted).toBe(100_000);
    // every sorted byte goes to disk at least once: more than the records' ~1.1 MB of text
    expect(r.first).toBeGreaterThan(1_000_000);
    expect(r.second).toBe(0);
    const summaries = r.stdout.split("\n").filter((l) => / FINISHED in /.test(l));
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toEndWith(`, ${r.first} bytes spilled (${(r.first / 1048576).toFixed(1)} MiB)`);
    expect(summaries[1]).toEndWith(" records received by tasks");
    expect(spilledBytes(r.stdout)).toBe(r.first);
  }, 60_000);

  test("with the default managed memory nothing spills, and the summary says nothing of it", async () => {
    const r = await run(100_000, []);
    expect(r.sorted).toBe(100_000);
    expect([r.first, r.second]).toEqual([0, 0]);
    expect(r.stdout).not.toContain("spilled (");
    expect(spilledBytes(r.stdout)).toBe(0);
  }, 60_000);

  test("the parser refuses output without a job summary", () => {
    expect(() => spilledBytes("netRuntime=12\n")).toThrow(/no job summary/);
  });
});

/** Inputs that fit the default memory but not an operator's minimum of pages (p=1: one subtask holds all). */
const MEDIUM: Variant = { name: "medium", parallelism: 1, memory: "ample", size1: 12000, hot: 50, size2: 9000, keys: 3600, seed: 5 };

const FORCED_CASES: JobCase[] = [
  ...["REPARTITION_HASH_FIRST", "REPARTITION_HASH_SECOND", "BROADCAST_HASH_FIRST", "REPARTITION_SORT_MERGE"].map((hint) => ({
    name: `join ${hint}`,
    job: `digest(left.join(right, JoinHint.${hint}).where(0).equalTo(0).with((l, r) => [l[2], r[2]]))`,
  })),
  { name: "left outer join, hash", job: `digest(left.leftOuterJoin(right, JoinHint.REPARTITION_HASH_SECOND).where(0).equalTo(0).with((l, r) => [id(l), id(r)]))` },
  { name: "full outer join, sort-merge", job: `digest(left.fullOuterJoin(right, JoinHint.REPARTITION_SORT_MERGE).where(0).equalTo(0).with((l, r) => [id(l), id(r)]))` },
  { name: "coGroup", job: `left.coGroup(right).where(0).equalTo(0).with((xs, ys, out) => { let k, n = 0; for (const x of xs) { k = x[0]; n++; } for (const y of ys) { k = y[0]; n += 1000; } out.collect([k, n]); })` },
  { name: "cross, block side larger than the minimum", job: `digest(left.filter((r) => r[2] < 8000).crossWithHuge(right.filter((r) => r[2] < 4)).with((a, b) => [a[2], b[2]]))` },
  { name: "groupBy.reduceGroup", job: `left.groupBy(0).reduceGroup((rows, out) => { let k, n = 0; for (const r of rows) { k = r[0]; n++; } out.collect([k, n]); })` },
];

describe("taskmanager.memory.verify-external", () => {
  const file = writeCasesJob(FORCED_CASES);
  let runs: Promise<[CasesRun, CasesRun]> | undefined;
  // one after the other: jobs run in this process share its execution context
  const both = () => (runs ??= runCases(file, MEDIUM).then(async (ample) => [ample, await runCases(file, { ...MEDIUM, forced: true })]));
  test.each(FORCED_CASES.map((c) => [c.name] as const))("forces %s to spill, with the same result", async (name) => {
    const [ample, forced] = await both();
    expect(ample.spilled[name]).toBe(0);
    expect(forced.spilled[name]).toBeGreaterThan(0);
    expect(sorted(forced.results[name]!)).toEqual(sorted(ample.results[name]!));
    expect(ample.results[name]!.length).toBeGreaterThan(0);
  }, 60_000);
});
