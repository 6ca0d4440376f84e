/**
 * Every DataSet operation, end to end through runJob, against a naive in-JS computation on
 * seeded records: at parallelism 1 and 2, empty and one-record inputs, skewed keys, BATCH
 * (blocking) execution mode, without type information (generic serializers), and with sorts
 * forced to spill (verify-external). Each case's JobExecutionResult.getSpilledBytes() is checked
 * too: 0 with default memory, above 0 for every full sort when spilling is forced.
 */
import { describe, expect, test } from "bun:test";
import { canonical, groupsOf, MAKE_RECORD_SOURCE, records, resultOf, runCapturingClient, writeJob, type Rec } from "./dataset-job.ts";

interface Variant {
  name: string;
  size: number;
  keys: number;
  seed: number;
  parallelism: number;
  typed: boolean;
  mode: "PIPELINED" | "BATCH";
  /** Extra configuration, e.g. sorts forced to spill. */
  config?: Record<string, string>;
}

const FORCE_SPILLING = { "taskmanager.memory.verify-external": "true" };

interface Case {
  name: string;
  /** An expression over `ds` whose result the job collects; or, with `stmt`, statements that set `out[name]`. */
  job: string;
  stmt?: boolean;
  /** The expected result, computed naively; compared in canonical order (or as is with `ordered`). */
  expected?: (data: Rec[], v: Variant) => unknown[];
  ordered?: boolean;
  /** Applied to each engine result first: drops what Flink leaves unspecified (e.g. non-aggregated fields). */
  project?: (r: any) => unknown;
  /** Checks a result that is not fully determined, instead of `expected`. */
  check?: (actual: any[], data: Rec[], v: Variant) => void;
  /** Sorts every record (no combiner shrinks the input first), so it spills when sorts are forced to. */
  sorts?: boolean;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const min = (xs: readonly number[]) => xs.reduce((m, x) => (x < m ? x : m));
const max = (xs: readonly number[]) => xs.reduce((m, x) => (x > m ? x : m));
const perKey = <O>(data: Rec[], f: (k: string, g: Rec[]) => O) => [...groupsOf(data, (r) => r[0])].map(([k, g]) => f(k, g));
const byValueThenId = (a: Rec, b: Rec) => a[1] - b[1] || a[2] - b[2];
const ifAny = <O>(data: Rec[], f: () => O): O[] => (data.length ? [f()] : []);
/** The parallelism `ds` runs at: generated data at the job's, an empty collection at 1. */
const inputParallelism = (v: Variant) => (v.size === 0 ? 1 : v.parallelism);

function expectSubsetOf(actual: Rec[], data: Rec[]): void {
  for (const r of actual) expect(r).toEqual(data[r[2]]!);
  expect(new Set(actual.map((r) => r[2])).size).toBe(actual.length);
}

const CASES: Case[] = [
  // ---- record at a time
  { name: "map", job: `ds.map((t) => [t[0], t[1] * 2, t[2]], ty(T3))`, expected: (d) => d.map((r) => [r[0], r[1] * 2, r[2]]) },
  {
    name: "flatMap",
    job: `ds.flatMap((t, out) => { for (let i = 0; i < t[2] % 3; i++) out.collect(t[2] * 10 + i); }, ty(Types.INT))`,
    expected: (d) => d.flatMap((r) => Array.from({ length: r[2] % 3 }, (_, i) => r[2] * 10 + i)),
  },
  { name: "filter", job: `ds.filter((t) => t[1] % 2 === 0)`, expected: (d) => d.filter((r) => r[1] % 2 === 0) },
  {
    name: "mapPartition, once per subtask",
    job: `ds.mapPartition((vs, out) => { let n = 0, s = 0; for (const v of vs) { n++; s += v[1]; } out.collect([n, s, 1]); }).reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]])`,
    expected: (d, v) => [[d.length, sum(d.map((r) => r[1])), v.parallelism]],
  },
  { name: "rebalance", job: `ds.rebalance().map((t) => t[2], ty(Types.INT))`, expected: (d) => d.map((r) => r[2]) },
  {
    name: "union",
    job: `ds.union(ds.map((t) => [t[0], 100 - t[1], t[2] + 1000000], ty(T3)))`,
    expected: (d) => [...d, ...d.map((r) => [r[0], 100 - r[1], r[2] + 1000000])],
  },

  // ---- the whole data set
  {
    name: "reduce",
    job: `ds.reduce((a, b) => [a[0] < b[0] ? a[0] : b[0], a[1] + b[1], Math.max(a[2], b[2])])`,
    expected: (d) => ifAny(d, () => [d.map((r) => r[0]).sort()[0], sum(d.map((r) => r[1])), max(d.map((r) => r[2]))]),
  },
  {
    name: "reduceGroup",
    sorts: true,
    job: `ds.reduceGroup((vs, out) => { let n = 0, s = 0; for (const v of vs) { n++; s += v[1]; } out.collect([n, s]); })`,
    expected: (d) => ifAny(d, () => [d.length, sum(d.map((r) => r[1]))]),
  },
  {
    name: "combineGroup then sum",
    job: `ds.combineGroup((vs, out) => { let s = 0; for (const v of vs) s += v[1]; out.collect(["all", s]); }, ty(PAIR)).groupBy(0).sum(1)`,
    expected: (d) => ifAny(d, () => ["all", sum(d.map((r) => r[1]))]),
  },
  {
    name: "aggregate MIN.and(SUM).and(MAX)",
    job: `ds.aggregate(Aggregations.MIN, 0).and(Aggregations.SUM, 1).and(Aggregations.MAX, 2)`,
    expected: (d) => ifAny(d, () => [d.map((r) => r[0]).sort()[0], sum(d.map((r) => r[1])), max(d.map((r) => r[2]))]),
  },
  { name: "sum", job: `ds.sum(1)`, project: (r) => r[1], expected: (d) => ifAny(d, () => sum(d.map((r) => r[1]))) },
  { name: "min", job: `ds.min(1)`, project: (r) => r[1], expected: (d) => ifAny(d, () => min(d.map((r) => r[1]))) },
  { name: "max", job: `ds.max(2)`, project: (r) => r[2], expected: (d) => ifAny(d, () => max(d.map((r) => r[2]))) },
  { name: "minBy", job: `ds.minBy(1, 2)`, expected: (d) => ifAny(d, () => [...d].sort(byValueThenId)[0]) },
  { name: "maxBy", job: `ds.maxBy(1)`, project: (r) => r[1], expected: (d) => ifAny(d, () => max(d.map((r) => r[1]))) },
  { name: "distinct()", job: `ds.map((t) => [t[0], t[1] & 3], ty(PAIR)).distinct()`, expected: (d) => [...new Set(d.map((r) => JSON.stringify([r[0], r[1] & 3])))].map((s) => JSON.parse(s)) },
  { name: "distinct(0)", job: `ds.distinct(0)`, project: (r) => r[0], expected: (d) => [...new Set(d.map((r) => r[0]))] },
  { name: "distinct(selector)", job: `ds.distinct((t) => t[1] & 7)`, project: (r) => r[1] & 7, expected: (d) => [...new Set(d.map((r) => r[1] & 7))] },
  {
    name: "first(7)",
    job: `ds.first(7)`,
    check: (a, d) => {
      expect(a.length).toBe(Math.min(7, d.length));
      expectSubsetOf(a, d);
    },
  },

  // ---- grouped
  {
    name: "groupBy.reduce",
    job: `ds.groupBy(0).reduce((a, b) => [a[0], a[1] + b[1], Math.max(a[2], b[2])])`,
    expected: (d) => perKey(d, (k, g) => [k, sum(g.map((r) => r[1])), max(g.map((r) => r[2]))]),
  },
  {
    name: "groupBy.reduceGroup",
    sorts: true,
    job: `ds.groupBy(0).reduceGroup((vs, out) => { let k, n = 0, s = 0; for (const v of vs) { k = v[0]; n++; s += v[1]; } out.collect([k, n, s]); })`,
    expected: (d) => perKey(d, (k, g) => [k, g.length, sum(g.map((r) => r[1]))]),
  },
  {
    name: "groupBy.combineGroup then sum",
    job: `ds.groupBy(0).combineGroup((vs, out) => { let k, n = 0; for (const v of vs) { k = v[0]; n++; } out.collect([k, n]); }, ty(PAIR)).groupBy(0).sum(1)`,
    expected: (d) => perKey(d, (k, g) => [k, g.length]),
  },
  { name: "groupBy.sum", job: `ds.groupBy(0).sum(1)`, project: (r) => [r[0], r[1]], expected: (d) => perKey(d, (k, g) => [k, sum(g.map((r) => r[1]))]) },
  { name: "groupBy.min", job: `ds.groupBy(0).min(1)`, project: (r) => [r[0], r[1]], expected: (d) => perKey(d, (k, g) => [k, min(g.map((r) => r[1]))]) },
  { name: "groupBy.max", job: `ds.groupBy(0).max(1)`, project: (r) => [r[0], r[1]], expected: (d) => perKey(d, (k, g) => [k, max(g.map((r) => r[1]))]) },
  {
    name: "groupBy.aggregate.and",
    job: `ds.groupBy(0).aggregate(Aggregations.MIN, 1).and(Aggregations.MAX, 2)`,
    expected: (d) => perKey(d, (k, g) => [k, min(g.map((r) => r[1])), max(g.map((r) => r[2]))]),
  },
  { name: "groupBy.minBy", job: `ds.groupBy(0).minBy(1, 2)`, expected: (d) => perKey(d, (_, g) => [...g].sort(byValueThenId)[0]) },
  { name: "groupBy.maxBy", job: `ds.groupBy(0).maxBy(1, 2)`, expected: (d) => perKey(d, (_, g) => [...g].sort(byValueThenId).at(-1)) },
  {
    name: "groupBy.first(2)",
    job: `ds.groupBy(0).first(2)`,
    check: (a, d) => {
      expectSubsetOf(a, d);
      const got = groupsOf(a as Rec[], (r) => r[0]);
      for (const [k, g] of groupsOf(d, (r) => r[0])) expect([k, got.get(k)?.length]).toEqual([k, Math.min(2, g.length)]);
      expect(got.size).toBe(groupsOf(d, (r) => r[0]).size);
    },
  },
  {
    name: "sortGroup.sortGroup.first(2)",
    sorts: true,
    job: `ds.groupBy(0).sortGroup(1, Order.ASCENDING).sortGroup(2, Order.DESCENDING).first(2)`,
    expected: (d) => perKey(d, (_, g) => [...g].sort((a, b) => a[1] - b[1] || b[2] - a[2]).slice(0, 2)).flat(),
  },
  {
    name: "sortGroup.reduceGroup",
    sorts: true,
    job: `ds.groupBy(0).sortGroup(1, Order.DESCENDING).sortGroup(2, Order.ASCENDING).reduceGroup((vs, out) => { let k; const ids = []; for (const v of vs) { k = v[0]; ids.push(v[2]); } out.collect([k, ids.join(" ")]); })`,
    expected: (d) => perKey(d, (k, g) => [k, [...g].sort((a, b) => b[1] - a[1] || a[2] - b[2]).map((r) => r[2]).join(" ")]),
  },
  {
    name: "sortPartition(1 asc).sortPartition(2 desc): each partition in order",
    sorts: true,
    job: `ds.sortPartition(1, Order.ASCENDING).sortPartition(2, Order.DESCENDING).mapPartition((vs, out) => out.collect([...vs].map((v) => v[2]).join(" ")), ty(Types.STRING))`,
    check: (a, d) => {
      const parts = (a as string[]).map((s) => (s ? s.split(" ").map(Number) : []));
      for (const ids of parts) expect(ids).toEqual(ids.slice().sort((x, y) => d[x]![1] - d[y]![1] || y - x));
      expect(parts.flat().sort((x, y) => x - y)).toEqual(d.map((r) => r[2]));
    },
  },
  {
    name: "sortPartition of strings by themselves, descending",
    sorts: true,
    job: `ds.map((t) => t[0] + "/" + t[2], ty(Types.STRING)).sortPartition("*", Order.DESCENDING).mapPartition((vs, out) => out.collect([...vs].join(" ")), ty(Types.STRING))`,
    check: (a, d) => {
      const parts = (a as string[]).map((s) => (s ? s.split(" ") : []));
      for (const p of parts) expect(p).toEqual(p.slice().sort().reverse());
      expect(parts.flat().sort()).toEqual(d.map((r) => r[0] + "/" + r[2]).sort());
    },
  },
  {
    name: "sortGroup.combineGroup then min",
    job: `ds.groupBy(0).sortGroup(1, Order.ASCENDING).combineGroup((vs, out) => { for (const v of vs) { out.collect(v); return; } }, ty(T3)).groupBy(0).min(1)`,
    project: (r) => [r[0], r[1]],
    expected: (d) => perKey(d, (k, g) => [k, min(g.map((r) => r[1]))]),
  },
  {
    name: "groupBy(row field name).sum(name)",
    job: `ds.map((t) => ({ word: t[0], n: t[1] }), ty(Types.ROW({ word: Types.STRING, n: Types.INT }))).groupBy("word").sum("n")`,
    project: (r) => [r.word, r.n],
    expected: (d) => perKey(d, (k, g) => [k, sum(g.map((r) => r[1]))]),
  },
  {
    name: "groupBy(key selector)",
    sorts: true,
    job: `ds.groupBy((t) => ((t[1] % 5) + 5) % 5).reduceGroup((vs, out) => { let k, n = 0; for (const v of vs) { k = ((v[1] % 5) + 5) % 5; n++; } out.collect([k, n]); })`,
    expected: (d) => [...groupsOf(d, (r) => ((r[1] % 5) + 5) % 5)].map(([k, g]) => [k, g.length]),
  },
  {
    name: "groupBy([0, 1])",
    sorts: true,
    job: `ds.map((t) => [t[0], t[1] & 3, t[2]], ty(T3)).groupBy([0, 1]).reduceGroup((vs, out) => { let a, b, n = 0; for (const v of vs) { a = v[0]; b = v[1]; n++; } out.collect([a, b, n]); })`,
    expected: (d) => [...groupsOf(d, (r) => `${r[0]}|${r[1] & 3}`)].map(([, g]) => [g[0]![0], g[0]![1] & 3, g.length]),
  },
  { name: "union then groupBy.sum", job: `ds.union(ds).groupBy(0).sum(1)`, project: (r) => [r[0], r[1]], expected: (d) => perKey(d, (k, g) => [k, 2 * sum(g.map((r) => r[1]))]) },
  {
    name: "partitionByHash",
    job: `ds.partitionByHash(0).mapPartition((vs, out) => { const keys = new Set(); for (const v of vs) keys.add(v[0]); out.collect([...keys].sort().join(" ")); })`,
    check: (a, d, v) => {
      expect(a.length).toBe(v.parallelism);
      const seen = (a as string[]).flatMap((s) => (s ? s.split(" ") : []));
      expect(seen.sort()).toEqual([...new Set(d.map((r) => r[0]))].sort());
    },
  },

  // ---- eager sinks and several executions
  { name: "count", stmt: true, ordered: true, job: `out[NAME] = [await ds.count(), await ds.filter((t) => t[1] > 0).count()];`, expected: (d) => [d.length, d.filter((r) => r[1] > 0).length] },
  { name: "collect keeps order at parallelism 1", stmt: true, job: `out[NAME] = env.getParallelism() === 1 ? await ds.collect() : DATA;`, ordered: true, expected: (d) => d },
  {
    name: "a later execution uses an earlier result",
    stmt: true,
    job: `{ const n = await ds.count(); out[NAME] = await ds.map((t) => t[1] / n, ty(Types.DOUBLE)).collect(); }`,
    expected: (d) => d.map((r) => r[1] / d.length),
  },

  // ---- rich functions
  {
    name: "RichMapPartitionFunction: runtime context and accumulator",
    stmt: true,
    job: `{ const parts = await ds.mapPartition(new SubtaskCounts()).collect(); out[NAME] = [...parts, env.getLastJobExecutionResult().getAccumulatorResult("records")]; }`,
    check: (a, d, v) => {
      const acc = a.pop();
      expect(acc).toBe(d.length);
      expect(a.map((p) => p[0]).sort()).toEqual(Array.from({ length: v.parallelism }, (_, i) => i));
      expect(a.every((p) => p[1] === v.parallelism)).toBe(true);
      expect(sum(a.map((p) => p[2]))).toBe(d.length);
    },
  },
  {
    name: "RichReduceFunction: combiner and final own their instances",
    stmt: true,
    ordered: true,
    job: `{ const r = await ds.groupBy(0).reduce(new OpenCountingSum()).collect(); out[NAME] = [r.length, env.getLastJobExecutionResult().getAccumulatorResult("opens")]; }`,
    // no combiner when the shuffle would move nothing (input and reduce both at parallelism 1)
    expected: (d, v) => [new Set(d.map((r) => r[0])).size, (inputParallelism(v) === 1 && v.parallelism === 1 ? 0 : inputParallelism(v)) + v.parallelism],
  },
  {
    name: "RichGroupReduceFunction: per-group subtask",
    sorts: true,
    job: `ds.groupBy(0).reduceGroup(new KeyedGroupSize())`,
    project: (r) => [r[0], r[1], r[2] < r[3], r[3]],
    expected: (d, v) => perKey(d, (k, g) => [k, g.length, true, v.parallelism]),
  },
  {
    name: "RichGroupCombineFunction: runtime context",
    job: `ds.groupBy(0).combineGroup(new ScaledCounts(), ty(PAIR)).groupBy(0).sum(1)`,
    expected: (d, v) => perKey(d, (k, g) => [k, g.length * v.parallelism]),
  },
];

const JOB = `
import { ExecutionEnvironment, Types, Aggregations, Order, RichMapPartitionFunction, RichReduceFunction, RichGroupReduceFunction, RichGroupCombineFunction, IntCounter } from "flinkts";

${MAKE_RECORD_SOURCE}

class SubtaskCounts extends RichMapPartitionFunction {
  counter = new IntCounter();
  open() { this.getRuntimeContext().addAccumulator("records", this.counter); }
  mapPartition(values, out) {
    let n = 0;
    for (const v of values) { n++; this.counter.add(1); }
    const ctx = this.getRuntimeContext();
    out.collect([ctx.getIndexOfThisSubtask(), ctx.getNumberOfParallelSubtasks(), n]);
  }
}

class OpenCountingSum extends RichReduceFunction {
  opens = new IntCounter();
  open() { this.opens.add(1); this.getRuntimeContext().addAccumulator("opens", this.opens); }
  reduce(a, b) { return [a[0], a[1] + b[1], a[2]]; }
}

class KeyedGroupSize extends RichGroupReduceFunction {
  reduce(values, out) {
    let k, n = 0;
    for (const v of values) { k = v[0]; n++; }
    const ctx = this.getRuntimeContext();
    out.collect([k, n, ctx.getIndexOfThisSubtask(), ctx.getNumberOfParallelSubtasks()]);
  }
}

class ScaledCounts extends RichGroupCombineFunction {
  combine(values, out) {
    let k, n = 0;
    for (const v of values) { k = v[0]; n++; }
    out.collect([k, n * this.getRuntimeContext().getNumberOfParallelSubtasks()]);
  }
}

export default async function main(args) {
  const [size, keys, seed] = args.slice(0, 3).map(Number);
  const typed = args[3] === "typed";
  const env = ExecutionEnvironment.getExecutionEnvironment();
  env.getConfig().setExecutionMode(args[4]);
  const ty = (t) => (typed ? t : undefined);
  const T3 = Types.TUPLE(Types.STRING, Types.INT, Types.INT);
  const PAIR = Types.TUPLE(Types.STRING, Types.INT);
  const ds = size === 0 ? env.fromCollection([], ty(T3)) : env.generateSequence(0, size - 1).map((i) => makeRecord(i, keys, seed), ty(T3));
  const DATA = Array.from({ length: size }, (_, i) => makeRecord(i, keys, seed));
  const out = {};
  const spilled = {};
${CASES.map((c) => `  ${c.stmt ? c.job.replaceAll("NAME", JSON.stringify(c.name)) : `out[${JSON.stringify(c.name)}] = await (${c.job}).collect();`}
  spilled[${JSON.stringify(c.name)}] = env.getLastJobExecutionResult().getSpilledBytes();`).join("\n")}
  process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");
  process.stdout.write("SPILLED " + JSON.stringify(spilled) + "\\n");
}
`;

const VARIANTS: Variant[] = [
  { name: "empty, p=1", size: 0, keys: 1, seed: 1, parallelism: 1, typed: true, mode: "PIPELINED" },
  { name: "empty, p=2", size: 0, keys: 1, seed: 1, parallelism: 2, typed: true, mode: "PIPELINED" },
  { name: "one record, p=2", size: 1, keys: 5, seed: 3, parallelism: 2, typed: true, mode: "PIPELINED" },
  { name: "random, p=1", size: 3000, keys: 40, seed: 7, parallelism: 1, typed: true, mode: "PIPELINED" },
  { name: "random, p=2", size: 3000, keys: 40, seed: 7, parallelism: 2, typed: true, mode: "PIPELINED" },
  { name: "skewed keys, p=2", size: 2000, keys: 3, seed: 11, parallelism: 2, typed: true, mode: "PIPELINED" },
  { name: "random, p=2, BATCH execution mode", size: 3000, keys: 40, seed: 7, parallelism: 2, typed: true, mode: "BATCH" },
  { name: "random, p=2, no type information", size: 3000, keys: 40, seed: 7, parallelism: 2, typed: false, mode: "PIPELINED" },
  { name: "random, p=2, sorts forced to spill", size: 6000, keys: 40, seed: 7, parallelism: 2, typed: true, mode: "PIPELINED", config: FORCE_SPILLING },
  { name: "skewed keys, p=1, untyped, sorts forced to spill", size: 6000, keys: 3, seed: 5, parallelism: 1, typed: false, mode: "PIPELINED", config: FORCE_SPILLING },
];

const jobFile = writeJob(JOB);

describe.each(VARIANTS)("DataSet operators ($name)", (variant) => {
  let results: Promise<{ all: Record<string, any[]>; spilled: Record<string, number> }> | undefined;
  const resultsOnce = () =>
    (results ??= runCapturingClient(jobFile, {
      parallelism: variant.parallelism,
      args: [String(variant.size), String(variant.keys), String(variant.seed), variant.typed ? "typed" : "generic", variant.mode],
      config: variant.config,
    }).then((run) => ({ all: resultOf(run), spilled: JSON.parse(run.clientLines.find((l) => l.startsWith("SPILLED "))!.slice("SPILLED ".length)) })));
  const data = records(variant.size, variant.keys, variant.seed);
  const forced = variant.config === FORCE_SPILLING;

  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { all, spilled } = await resultsOnce();
    expect(Object.keys(all)).toContain(c.name);
    // default managed memory holds every input here; forced spilling must spill every full sort
    if (!forced) expect(spilled[c.name]).toBe(0);
    else if (c.sorts) expect(spilled[c.name]).toBeGreaterThan(0);
    let actual = all[c.name]!;
    if (c.project) actual = actual.map(c.project);
    if (c.check) return c.check(actual, data, variant);
    const expected = c.expected!(data, variant);
    if (c.ordered) expect(actual).toEqual(expected);
    else expect(canonical(actual)).toEqual(canonical(expected));
  });
});
