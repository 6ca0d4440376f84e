/** Sinks, what execute()/executeAsync() return, accumulators, and the errors a user sees. */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PARALLELISMS, parseLine, run, sorted } from "./support.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-ds-sinks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lines of a file, or of every file in a folder. */
function linesOf(path: string): string[] {
  const files = statSync(path).isDirectory() ? readdirSync(path).map((f) => join(path, f)) : [path];
  return files.flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => l.length > 0));
}

const SINKS = `
class Appender extends RichSinkFunction<number> {
  lines: string[] = [];
  constructor(readonly file: string) { super(); }
  open() { this.getRuntimeContext().addAccumulator("sink-records", new LongCounter()); }
  invoke(x: number) { this.lines.push(this.getRuntimeContext().getIndexOfThisSubtask() + ":" + x); this.getRuntimeContext().getAccumulator("sink-records").add(1); }
  close() { require("node:fs").appendFileSync(this.file, this.lines.map((l) => l + "\\n").join("")); }
}`;

describe.each(PARALLELISMS)("sinks at p=%i", (p) => {
  test("print and printToErr with and without a prefix", async () => {
    const r = await run(
      `const s = env.fromSequence(1, 30);
  s.print();
  s.map((x: number) => [x, "v" + x]).print("tup");
  s.filter((x: number) => x % 10 === 0).printToErr("err");
  s.filter((x: number) => x % 15 === 0).printToErr();
  await env.execute("printing");`,
      p,
    );
    const xs = Array.from({ length: 30 }, (_, i) => i + 1);
    const out = r.lines.map(parseLine);
    const errLines = r.stderr.split("\n").filter((l) => l.length > 0);
    const subtaskOk = (s: number | undefined) => (p === 1 ? s === undefined : s !== undefined && s >= 1 && s <= p);
    expect(out.every((l) => subtaskOk(l.subtask))).toBe(true);
    expect(sorted(out.filter((l) => l.tag === undefined).map((l) => Number(l.value)))).toEqual(xs);
    expect(sorted(out.filter((l) => l.tag === "tup").map((l) => l.value))).toEqual(sorted(xs.map((x) => `(${x},v${x})`)));
    expect(out.length).toBe(60);
    const err = errLines.map(parseLine);
    expect(err.every((l) => subtaskOk(l.subtask))).toBe(true);
    expect(sorted(err.filter((l) => l.tag === "err").map((l) => Number(l.value)))).toEqual([10, 20, 30]);
    expect(sorted(err.filter((l) => l.tag === undefined).map((l) => Number(l.value)))).toEqual([15, 30]);
    if (p === 1) expect(errLines).toContain("err> 10");
    else expect(errLines.some((l) => /^err:[12]> 10$/.test(l))).toBe(true);
  });

  test("addSink with a plain function and a RichSinkFunction; writeAsText and writeAsCsv layouts", async () => {
    const base = join(dir, `p${p}`);
    const r = await run(
      `const [base] = args;
  const fs = require("node:fs");
  const s = env.fromSequence(1, 200);
  s.addSink((x: number) => fs.appendFileSync(base + "-plain.txt", x + "\\n"));
  s.addSink({ invoke: (x: number) => { if (x % 50 === 0) fs.appendFileSync(base + "-object.txt", x + "\\n"); } });
  s.addSink(new Appender(base + "-rich.txt"));
  s.map((x: number) => ({ x, half: x / 2 })).writeAsText(base + "-text");
  s.map((x: number) => [x, "a,b" + x, x % 3 === 0 ? null : true], Types.TUPLE(Types.LONG, Types.STRING, Types.NULLABLE(Types.BOOLEAN))).writeAsCsv(base + "-csv");
  const res = await env.execute("sinks");
  return res.getAccumulatorResult("sink-records");`,
      p,
      { args: [base], prelude: SINKS },
    );
    const xs = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(r.returned).toBe(200);
    expect(sorted(linesOf(`${base}-plain.txt`).map(Number))).toEqual(xs);
    expect(sorted(linesOf(`${base}-object.txt`).map(Number))).toEqual([50, 100, 150, 200]);
    const rich = linesOf(`${base}-rich.txt`).map((l) => l.split(":").map(Number));
    expect(sorted(rich.map((t) => t[1]!))).toEqual(xs);
    expect(sorted([...new Set(rich.map((t) => t[0]!))])).toEqual(Array.from({ length: p }, (_, i) => i));
    for (const out of [`${base}-text`, `${base}-csv`]) {
      expect(statSync(out).isDirectory()).toBe(p > 1);
      if (p > 1) expect(readdirSync(out).sort()).toEqual(["1", "2"]);
    }
    expect(sorted(linesOf(`${base}-text`))).toEqual(sorted(xs.map((x) => JSON.stringify({ x, half: x / 2 }))));
    expect(sorted(linesOf(`${base}-csv`))).toEqual(sorted(xs.map((x) => `${x},"a,b${x}",${x % 3 === 0 ? "" : "true"}`)));
  });

  test("writeAsText refuses to overwrite unless asked, executeAndCollect(limit)", async () => {
    const out = join(dir, `exists-${p}`);
    const r = await run(
      `const [out] = args;
  env.fromElements("first").writeAsText(out);
  await env.execute("one");
  let refused = "";
  try {
    env.fromElements("second").writeAsText(out);
    await env.execute("two");
  } catch (e: any) { refused = e.message; }
  env.fromElements("third", "third").writeAsText(out, "OVERWRITE");
  await env.execute("three");
  const limited = await env.fromSequence(1, 1000).executeAndCollect(7);
  const named = await env.fromSequence(1, 5).executeAndCollect("named", 2);
  // one collecting subtask, as in Flink: a parallelism-1 pipeline arrives in order
  const xs = Array.from({ length: 3000 }, (_, i) => i);
  const ordered = await env.fromCollection(xs).map((x: number) => x * 2).setParallelism(1).executeAndCollect();
  return { refused, limited, named, ordered };`,
      p,
      { args: [out] },
    );
    const got = r.returned as { refused: string; limited: number[]; named: number[]; ordered: number[] };
    expect(got.ordered).toEqual(Array.from({ length: 3000 }, (_, i) => i * 2));
    expect(got.refused).toMatch(/already exists/);
    expect(linesOf(out)).toEqual(["third", "third"]);
    expect(got.limited.length).toBe(7);
    expect(new Set(got.limited).size).toBe(7);
    for (const x of got.limited) expect(x >= 1 && x <= 1000).toBe(true);
    expect(got.named.length).toBe(2);
  });
});

const ACCUMULATING = `
class Count extends RichMapFunction<number, number> {
  ints = new IntCounter(); longs = new LongCounter(); hist = new Histogram(); list = new ListAccumulator<string>();
  open() {
    const rc = this.getRuntimeContext();
    rc.addAccumulator("ints", this.ints);
    rc.addAccumulator("longs", this.longs);
    rc.addAccumulator("hist", this.hist);
    rc.addAccumulator("list", this.list);
  }
  map(x: number) {
    this.ints.add(1);
    this.longs.add(x * 1000000);
    this.hist.add(x % 4);
    if (x % 25 === 0) this.list.add("s" + this.getRuntimeContext().getIndexOfThisSubtask() + ":" + x);
    return x;
  }
}`;

describe.each(PARALLELISMS)("results at p=%i", (p) => {
  test("execute() and executeAsync() give a JobExecutionResult with runtime and merged accumulators", async () => {
    const r = await run(
      `env.fromSequence(1, 100).rebalance().map(new Count()).addSink(() => {});
  const res = await env.execute("accumulate");
  env.fromSequence(1, 40).rebalance().map(new Count()).addSink(() => {});
  const client = await env.executeAsync("async");
  const asyncId = client.getJobID();
  const res2 = await client.getJobExecutionResult();
  const pick = (x: any) => ({ id: x.getJobID(), runtime: x.getNetRuntime(), ints: x.getAccumulatorResult("ints"), longs: x.getAccumulatorResult("longs"),
    hist: [...x.getAccumulatorResult("hist")].sort((a: any, b: any) => a[0] - b[0]), list: [...x.getAccumulatorResult("list")].sort() });
  return { sync: pick(res), async: pick(res2), asyncId };`,
      p,
      { prelude: ACCUMULATING },
    );
    const got = r.returned as Record<"sync" | "async", { id: string; runtime: number; ints: number; longs: number; hist: [number, number][]; list: string[] }> & { asyncId: string };
    for (const [which, n] of [["sync", 100], ["async", 40]] as const) {
      const res = got[which];
      const xs = Array.from({ length: n }, (_, i) => i + 1);
      expect(res.id).toMatch(/^[0-9a-f]{32}$/);
      expect(res.runtime).toBeGreaterThanOrEqual(0);
      expect(res.ints).toBe(n);
      expect(res.longs).toBe(xs.reduce((a, x) => a + x * 1000000, 0));
      expect(res.hist).toEqual([0, 1, 2, 3].map((b) => [b, xs.filter((x) => x % 4 === b).length]));
      expect(sorted(res.list.map((s) => Number(s.split(":")[1])))).toEqual(xs.filter((x) => x % 25 === 0));
      if (p > 1 && n === 100) expect(new Set(res.list.map((s) => s.split(":")[0])).size).toBe(2); // 25th and 50th of each source subtask go to different map subtasks
    }
    expect(got.async.id).toBe(got.asyncId);
    expect(got.async.id).not.toBe(got.sync.id);
  });

  test("a job started with executeAsync can be cancelled, and later executions still run", async () => {
    const r = await run(
      `env.fromSource(new DataGeneratorSource((i: number) => i, Infinity), undefined, "endless").addSink(() => {});
  const client = await env.executeAsync("endless");
  await new Promise((resolve) => setTimeout(resolve, 150));
  const before = await client.getJobStatus();
  await client.cancel();
  const after = await client.getJobStatus();
  let failure = "";
  try { await client.getJobExecutionResult(); } catch (e: any) { failure = e.message; }
  const next = await env.fromSequence(1, 10).map((x: number) => x * x).executeAndCollect();
  return { before, after, failure, next };`,
      p,
    );
    const got = r.returned as { before: string; after: string; failure: string; next: number[] };
    expect(got).toEqual({ before: "RUNNING", after: "CANCELED", failure: expect.stringMatching(/'endless' .* was cancelled/), next: expect.any(Array) });
    expect(sorted(got.next)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) ** 2));
  });
});

describe("errors a user can act on", () => {
  test.each(PARALLELISMS)("a throwing function fails execute() naming the operator and its subtask, at p=%i", async (p) => {
    const r = run(
      `env.fromSequence(1, 100).rebalance().map((x: number) => { if (x === 42) throw new Error("cannot take " + x); return x; }).name("Picky").print();
  await env.execute("throws");`,
      p,
    );
    await expect(r).rejects.toThrow(new RegExp(`Picky \\([12]/${p}\\) failed: cannot take 42`));
  });

  test("keyed state on a non-keyed stream names the state", async () => {
    const r = run(
      `class S extends RichMapFunction<number, number> {
    open() { this.getRuntimeContext().getState(new ValueStateDescriptor("lastSeen", Types.INT)); }
    map(x: number) { return x; }
  }
  env.fromSequence(1, 3).map(new S()).name("Unkeyed").print();
  await env.execute("state");`,
      2,
    );
    await expect(r).rejects.toThrow(/Unkeyed \([12]\/2\).*keyed state 'lastSeen' can only be used on a keyed stream/);
  });

  test("BATCH mode refuses an unbounded source before running; the next execute() starts clean", async () => {
    const r = await run(
      `env.setRuntimeMode("BATCH");
  let refused = "";
  try {
    env.socketTextStream("127.0.0.1", 9).print();
    await env.execute("batch socket");
  } catch (e: any) { refused = e.constructor.name + ": " + e.message; }
  const next = await env.fromElements(["a", 1], ["a", 2], ["b", 3]).keyBy(0).sum(1).executeAndCollect();
  return { refused, next };`,
      2,
    );
    const got = r.returned as { refused: string; next: unknown[] };
    expect(got.refused).toMatch(/^InvalidProgramError: source 'Socket Stream' is unbounded.*BATCH/);
    expect(sorted(got.next)).toEqual([["a", 3], ["b", 3]]);
  });

  test("forward() between different parallelisms is refused, naming both operators", async () => {
    const r = run(
      `env.fromSequence(1, 10).setParallelism(2).name("Left").forward().map((x: number) => x).setParallelism(3).name("Right").print();
  await env.execute("forward");`,
      1,
    );
    await expect(r).rejects.toThrow(/forward.*'Left' \(2\) -> 'Right' \(3\)/);
  });
});
