/** Differential tests of the DataSet drivers: each against a naive reference on seeded random data. */
import { describe, expect, test } from "bun:test";
import { Configuration } from "../../../core/config.ts";
import { InvalidProgramError, UserError } from "../../../core/errors.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { OperatorContext } from "../operator-context.ts";
import type { Output, StreamOperator } from "../stream-operator.ts";
import { AggregateOperator } from "./aggregate-operator.ts";
import { AllReduceOperator } from "./all-reduce-operator.ts";
import { compareValues } from "./compare-values.ts";
import { CountOperator } from "./count-operator.ts";
import { DistinctOperator } from "./distinct-operator.ts";
import { FirstNOperator } from "./first-n-operator.ts";
import { GroupCombineOperator } from "./group-combine-operator.ts";
import { GroupReduceOperator } from "./group-reduce-operator.ts";
import { GroupedReduceOperator } from "./grouped-reduce-operator.ts";
import { MapPartitionOperator } from "./map-partition-operator.ts";
import { MinMaxByOperator } from "./min-max-by-operator.ts";
import { SortPartitionOperator } from "./sort-partition-operator.ts";
import { VERIFY_EXTERNAL } from "../sort/sorter-memory.ts";
import { memoryOf } from "../operator-memory.ts";
import { Types } from "../../../types/types.ts";

// ---- harness: a collecting Output, a context stub, and runners for one subtask and for combine -> final.

class CollectingOutput implements Output<unknown> {
  readonly values: unknown[] = [];
  readonly watermarks: number[] = [];
  collect(value: unknown, timestamp: number): void {
    expect(timestamp).toBe(NO_TIMESTAMP);
    this.values.push(value);
  }
  collectSide(): void {
    throw new Error("no side outputs in batch drivers");
  }
  emitWatermark(timestamp: number): void {
    this.watermarks.push(timestamp);
  }
}

const context: OperatorContext = {
  operatorId: 1,
  operatorName: "under test",
  taskNameWithSubtask: "under test (1/1)",
  subtaskIndex: 0,
  parallelism: 1,
  maxParallelism: 128,
  config: new Configuration(),
  addAccumulator() {},
  getAccumulator: () => undefined,
  executeInMailbox: (action) => void action(),
  sendToClient() {},
};

/** The same, with every sorter forced to its fewest pages: sorts spill and merge in several passes. */
const spillingContext: OperatorContext = { ...context, config: new Configuration({ [VERIFY_EXTERNAL]: "true" }) };
let activeContext = context;

type Op = StreamOperator<any, any>;

/** Runs one subtask: setup, open, every record (with a timestamp the result must drop), endInput, close. */
async function run(op: Op, input: readonly unknown[]): Promise<unknown[]> {
  const out = new CollectingOutput();
  op.setup(activeContext, out);
  await op.open();
  for (let i = 0; i < input.length; i++) op.processElement(input[i], 1000 + i);
  op.processWatermark(42);
  await op.endInput();
  await op.close();
  expect(out.watermarks).toEqual([42]);
  return out.values;
}

/** A combiner on each of 3 contiguous input slices, their outputs (in order) into one final instance. */
async function runPlan(combiner: () => Op, final: Op, input: readonly unknown[]): Promise<unknown[]> {
  const partials: unknown[] = [];
  const step = Math.ceil(input.length / 3);
  for (let i = 0; i < 3; i++) partials.push(...(await run(combiner(), input.slice(i * step, (i + 1) * step))));
  return run(final, partials);
}

// ---- seeded data: tuples [key, a, b, s, id] and the same as rows.

type Rec = [string | null, number | null, bigint, string, number];
type Row = { key: string | null; a: number | null; b: bigint; s: string; id: number };

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(seed: number, n: number, keys: number, nullRate: number): Rec[] {
  const rnd = mulberry32(seed);
  const out: Rec[] = [];
  for (let id = 0; id < n; id++) {
    const key = rnd() < nullRate ? null : `k${Math.floor(rnd() * keys)}`;
    const a = rnd() < nullRate ? null : Math.floor(rnd() * 100) - 20;
    out.push([key, a, BigInt(Math.floor(rnd() * 1e6)) * 1_000_000_007n, String.fromCharCode(97 + Math.floor(rnd() * 5)), id]);
  }
  return out;
}

const toRow = (r: Rec): Row => ({ key: r[0], a: r[1], b: r[2], s: r[3], id: r[4] });

const DATASETS: { name: string; data: Rec[] }[] = [
  { name: "empty input", data: [] },
  { name: "one huge group", data: records(1, 20_000, 1, 0) },
  { name: "duplicate keys", data: records(2, 3_000, 7, 0) },
  { name: "many keys", data: records(3, 3_000, 2_000, 0) },
  { name: "null keys and fields", data: records(4, 2_000, 30, 0.25) },
];

// ---- naive references: grouping by a JSON form of the key, plain loops, the built-in stable sort.

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
const sorted = (values: unknown[]): string[] => values.map(canon).sort();

function groups<T>(data: readonly T[], key: ((v: T) => unknown) | null): T[][] {
  const byKey = new Map<string, T[]>();
  for (const v of data) {
    const k = key === null ? "" : canon(key(v));
    const g = byKey.get(k);
    if (g) g.push(v);
    else byKey.set(k, [v]);
  }
  return [...byKey.values()];
}

const naiveCmp = (x: unknown, y: unknown): number => (x == null ? (y == null ? 0 : -1) : y == null ? 1 : (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0);
const naiveSort = <T>(g: T[], f: (v: T) => unknown, desc = false): T[] => g.slice().sort((x, y) => naiveCmp(f(x), f(y)) * (desc ? -1 : 1));
const naiveAgg = (kind: "SUM" | "MIN" | "MAX", values: unknown[]): unknown => {
  const present = values.filter((v) => v != null) as any[];
  if (present.length === 0) return null;
  if (kind === "SUM") return present.reduce((x, y) => x + y);
  return present.reduce((x, y) => (kind === "MIN" ? (naiveCmp(y, x) < 0 ? y : x) : naiveCmp(y, x) > 0 ? y : x));
};
const naiveBest = <T>(g: T[], fields: ((v: T) => unknown)[], sign: number): T =>
  g.reduce((best, v) => {
    for (const f of fields) {
      const c = naiveCmp(f(v), f(best));
      if (c !== 0) return c * sign > 0 ? v : best;
    }
    return best;
  });

const key0 = (r: Rec) => r[0];
const sumA = (x: Rec, y: Rec): Rec => [x[0], (x[1] ?? 0) + (y[1] ?? 0), x[2] + y[2], x[3] < y[3] ? x[3] : y[3], Math.min(x[4], y[4])];
const ids = (g: Rec[]) => g.map((r) => r[4]);
const aggTuple = (g: Rec[]): Rec => {
  const last = g[g.length - 1]!.slice() as Rec;
  last[1] = naiveAgg("SUM", g.map((r) => r[1])) as number | null;
  last[2] = naiveAgg("MAX", g.map((r) => r[2])) as bigint;
  last[3] = naiveAgg("MIN", g.map((r) => r[3])) as string;
  return last;
};
const project = (v: unknown) => (v as Rec).slice(0, 3);

// ---- the table: each operator (or combine -> final plan) with its reference; `ordered` compares emission order too.

interface Case {
  name: string;
  run(data: Rec[]): Promise<unknown[]>;
  reference(data: Rec[]): unknown[];
  /** Compare emission order too (sort-based operators emit groups in key order, so grouped cases compare sets). */
  ordered?: boolean;
  /** Runs on an external sorter or falls back to one: run again with sorts forced to spill. */
  sorts?: boolean;
}

const REC_TYPE = Types.TUPLE(Types.NULLABLE(Types.STRING), Types.NULLABLE(Types.INT), Types.BIGINT, Types.STRING, Types.INT);

const CASES: Case[] = [
  {
    name: "mapPartition counts and sums",
    run: (d) => run(new MapPartitionOperator<Rec, number[]>((vs, out) => { let n = 0, s = 0; for (const v of vs) { n++; s += v[1] ?? 0; } out.collect([n, s]); }), d),
    reference: (d) => [[d.length, d.reduce((s, r) => s + (r[1] ?? 0), 0)]],
  },
  { name: "reduce (all)", run: (d) => run(new AllReduceOperator(sumA), d), reference: (d) => (d.length ? [d.reduce(sumA)] : []) },
  {
    name: "reduce (all): combine -> final",
    run: (d) => runPlan(() => new AllReduceOperator(sumA, true), new AllReduceOperator(sumA), d),
    reference: (d) => (d.length ? [d.reduce(sumA)] : []),
  },
  { name: "grouped reduce", sorts: true, run: (d) => run(new GroupedReduceOperator(key0, sumA), d), reference: (d) => groups(d, key0).map((g) => g.reduce(sumA)) },
  {
    name: "grouped reduce: combiner flushing past 5 entries -> final",
    run: (d) => runPlan(() => new GroupedReduceOperator(key0, sumA, { combine: true, maxEntries: 5 }), new GroupedReduceOperator(key0, sumA), d),
    reference: (d) => groups(d, key0).map((g) => g.reduce(sumA)),
  },
  {
    name: "grouped reduce on a composite key",
    sorts: true,
    run: (d) => run(new GroupedReduceOperator((r: Rec) => [r[0], r[3]], sumA), d),
    reference: (d) => groups(d, (r) => [r[0], r[3]]).map((g) => g.reduce(sumA)),
  },
  {
    name: "reduceGroup by key sees the group in arrival order",
    sorts: true,
    run: (d) => run(new GroupReduceOperator<Rec, unknown>(key0, (vs, out) => out.collect([vs[0]![0], ids(vs)])), d),
    reference: (d) => groups(d, key0).map((g) => [g[0]![0], ids(g)]),
  },
  {
    name: "reduceGroup (all) sorted by a asc, s desc",
    sorts: true,
    run: (d) => run(new GroupReduceOperator<Rec, unknown>(null, (vs, out) => out.collect(ids(vs)), [{ selector: (r) => r[1], order: "ASCENDING" }, { selector: (r) => r[3], order: "DESCENDING" }]), d),
    reference: (d) => (d.length ? [ids(naiveSort(naiveSort(d, (r) => r[3], true), (r) => r[1]))] : []),
  },
  {
    name: "reduceGroup by key with the records' type, sorted by s desc",
    sorts: true,
    run: (d) => run(new GroupReduceOperator<Rec, unknown>(key0, (vs, out) => out.collect([vs[0]![0], ids(vs)]), [{ selector: (r) => r[3], order: "DESCENDING", type: Types.STRING }], undefined, { inputType: REC_TYPE, keyType: Types.NULLABLE(Types.STRING) }), d),
    reference: (d) => groups(d, key0).map((g) => [g[0]![0], ids(naiveSort(g, (r) => r[3], true))]),
  },
  {
    name: "combineGroup holding at most 7 records -> reduceGroup",
    sorts: true,
    run: (d) =>
      runPlan(
        () => new GroupCombineOperator<Rec, unknown>(key0, (vs, out) => out.collect([vs[0]![0], vs.length]), undefined, 7),
        new GroupReduceOperator<[string | null, number], unknown>((p) => p[0], (vs, out) => out.collect([vs[0]![0], vs.reduce((s, p) => s + p[1], 0)])),
        d,
      ),
    reference: (d) => groups(d, key0).map((g) => [g[0]![0], g.length]),
  },
  {
    name: "aggregate SUM 1, MAX 2, MIN 3 by key (tuples, last record for the rest)",
    sorts: true,
    run: (d) => run(new AggregateOperator(key0, [{ agg: "SUM", field: 1 }, { agg: "MAX", field: 2 }, { agg: "MIN", field: 3 }]), d),
    reference: (d) => groups(d, key0).map(aggTuple),
  },
  {
    name: "aggregate SUM b (bigint), MIN a over all rows",
    run: (d) => run(new AggregateOperator<Row>(null, [{ agg: "SUM", field: "b" }, { agg: "MIN", field: "a" }]), d.map(toRow)),
    reference: (d) => groups(d.map(toRow), null).map((g) => ({ ...g[g.length - 1]!, b: naiveAgg("SUM", g.map((r) => r.b)), a: naiveAgg("MIN", g.map((r) => r.a)) })),
  },
  {
    name: "aggregate: combiner flushing past 3 groups -> final",
    run: async (d) => (await runPlan(() => new AggregateOperator(key0, [{ agg: "SUM", field: 1 }, { agg: "MAX", field: 2 }], { combine: true, maxEntries: 3 }), new AggregateOperator(key0, [{ agg: "SUM", field: 1 }, { agg: "MAX", field: 2 }]), d)).map(project),
    reference: (d) => groups(d, key0).map((g) => project(aggTuple(g))),
  },
  {
    name: "minBy (1, 3) by key, first wins on ties",
    run: (d) => run(new MinMaxByOperator(key0, [1, 3], "MIN"), d),
    reference: (d) => groups(d, key0).map((g) => naiveBest(g, [(r) => r[1], (r) => r[3]], -1)),
  },
  {
    name: "maxBy a by key on rows",
    run: (d) => run(new MinMaxByOperator((r: Row) => r.key, ["a"], "MAX"), d.map(toRow)),
    reference: (d) => groups(d.map(toRow), (r) => r.key).map((g) => naiveBest(g, [(r) => r.a], 1)),
  },
  {
    name: "maxBy (3) by key: combiner flushing past 2 -> final",
    run: (d) => runPlan(() => new MinMaxByOperator(key0, [3], "MAX", { combine: true, maxEntries: 2 }), new MinMaxByOperator(key0, [3], "MAX"), d),
    reference: (d) => groups(d, key0).map((g) => naiveBest(g, [(r) => r[3]], 1)),
  },
  { name: "distinct by key", sorts: true, run: (d) => run(new DistinctOperator(key0), d), reference: (d) => groups(d, key0).map((g) => g[0]) },
  {
    name: "distinct by key: combiner -> final",
    sorts: true,
    run: (d) => runPlan(() => new DistinctOperator(key0, true), new DistinctOperator(key0), d),
    reference: (d) => groups(d, key0).map((g) => g[0]),
  },
  {
    name: "distinct on (a, s)",
    sorts: true,
    run: (d) => run(new DistinctOperator((r: Rec) => [r[1], r[3]]), d),
    reference: (d) => groups(d, (r) => [r[1], r[3]]).map((g) => g[0]),
  },
  {
    name: "first(3) by key, pipelined",
    ordered: true,
    run: (d) => run(new FirstNOperator(3, key0), d),
    reference: (d) => { const c = new Map<unknown, number>(); return d.filter((r) => { const n = c.get(r[0]) ?? 0; c.set(r[0], n + 1); return n < 3; }); },
  },
  { name: "first(10) overall", ordered: true, run: (d) => run(new FirstNOperator(10, null), d), reference: (d) => d.slice(0, 10) },
  {
    name: "first(4) by key sorted by a desc",
    sorts: true,
    run: (d) => run(new FirstNOperator(4, key0, [{ selector: (r: Rec) => r[1], order: "DESCENDING" }]), d),
    reference: (d) => groups(d, key0).flatMap((g) => naiveSort(g, (r) => r[1], true).slice(0, 4)),
  },
  {
    name: "first(1500) overall sorted by s asc",
    ordered: true,
    sorts: true,
    run: (d) => run(new FirstNOperator(1500, null, [{ selector: (r: Rec) => r[3], order: "ASCENDING" }]), d),
    reference: (d) => naiveSort(d, (r) => r[3]).slice(0, 1500),
  },
  { name: "count", run: (d) => run(new CountOperator(), d), reference: (d) => [d.length] },
  {
    name: "sortPartition by key asc, a desc (stable)",
    ordered: true,
    sorts: true,
    run: (d) => run(new SortPartitionOperator([{ selector: (r: Rec) => r[0], order: "ASCENDING" }, { selector: (r: Rec) => r[1], order: "DESCENDING" }]), d),
    reference: (d) => d.slice().sort((x, y) => compareValues(x[0], y[0]) || compareValues(y[1], x[1]) || (x[0] === undefined ? 1 : 0) - (y[0] === undefined ? 1 : 0) || x[4] - y[4]),
  },
  {
    name: "sortPartition by s desc, typed",
    ordered: true,
    sorts: true,
    run: (d) => run(new SortPartitionOperator([{ selector: (r: Rec) => r[3], order: "DESCENDING", type: Types.STRING }], { inputType: REC_TYPE }), d),
    reference: (d) => d.slice().sort((x, y) => compareValues(y[3], x[3]) || x[4] - y[4]),
  },
];

describe("batch drivers against naive references", () => {
  for (const c of CASES) {
    for (const ds of DATASETS) {
      for (const spill of c.sorts ? [false, true] : [false]) {
        test(`${c.name} — ${ds.name}${spill ? " — sorts forced to spill" : ""}`, async () => {
          activeContext = spill ? spillingContext : context;
          try {
            const actual = await c.run(ds.data);
            const expected = c.reference(ds.data);
            if (c.ordered) expect(actual.map(canon)).toEqual(expected.map(canon));
            else expect(sorted(actual)).toEqual(sorted(expected));
          } finally {
            activeContext = context;
          }
        });
      }
    }
  }
});

describe("batch driver details", () => {
  test("with sorts forced to spill, sorting operators spill and leave no files behind", async () => {
    const io = memoryOf(spillingContext).io;
    const before = io.spilledBytes;
    activeContext = spillingContext;
    try {
      await run(new SortPartitionOperator([{ selector: key0, order: "ASCENDING" }]), DATASETS[1]!.data);
      await run(new GroupedReduceOperator(key0, sumA), DATASETS[3]!.data);
    } finally {
      activeContext = context;
    }
    expect(io.spilledBytes - before).toBeGreaterThan(100_000);
    expect(io.bytesOnDisk()).toBe(0);
  });

  test("a combiner emits and clears once it holds more than maxEntries keys", async () => {
    const out = new CollectingOutput();
    const op: Op = new GroupedReduceOperator<number>((v) => v, (a) => a, { combine: true, maxEntries: 5 });
    op.setup(context, out);
    await op.open();
    for (let v = 0; v < 5; v++) op.processElement(v, 0);
    expect(out.values).toEqual([]);
    op.processElement(5, 0);
    // the table hands groups on in hash order
    expect([...out.values].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    op.processElement(0, 0);
    await op.endInput();
    await op.close();
    expect(out.values.slice(6)).toEqual([0]);
  });

  test("mapPartition is called once, with an empty iterable, on empty input", async () => {
    const calls: unknown[][] = [];
    await run(new MapPartitionOperator((vs) => void calls.push([...vs])), []);
    expect(calls).toEqual([[]]);
  });

  test.each([
    ["SUM over a string field", () => run(new AggregateOperator(null, [{ agg: "SUM", field: 0 }]), [["x"]]), UserError],
    ["first(0)", () => new FirstNOperator(0, null), InvalidProgramError],
    ["minBy with no fields", () => new MinMaxByOperator(null, [], "MIN"), InvalidProgramError],
    ["combiner with maxEntries 0", () => new GroupedReduceOperator((v) => v, (a) => a, { combine: true, maxEntries: 0 }), InvalidProgramError],
  ] as const)("%s is rejected", async (_name, make, kind) => {
    let error: unknown;
    try {
      await make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(kind);
  });

  test("SUM mixes integer numbers into bigint sums", async () => {
    expect(await run(new AggregateOperator(null, [{ agg: "SUM", field: 0 }]), [[1n], [2], [null], [3n]])).toEqual([[6n]]);
  });

  test.each([
    [null, 0, -1], [0, null, 1], [1, 2n, -1], [3n, 2, 1], [NaN, 1e308, 1], ["B", "a", -1], [false, true, -1],
    [[1, "a"], [1, "b"], -1], [[1], [1, 0], -1], [{ x: 1, y: 2 }, { x: 1, y: 1 }, 1], [new Date(5), new Date(4), 1], [1, "1", -1], [-0, 0, 0],
  ] as const)("compareValues(%p, %p) has the sign of %p", (a, b, sign) => {
    expect(Math.sign(compareValues(a, b))).toBe(sign);
    expect(Math.sign(compareValues(b, a))).toBe(-sign || 0);
  });

  /** A rich function stand-in: records the lifecycle calls an operator makes on it. */
  const lifecycle = () => {
    const calls: string[] = [];
    return {
      calls,
      target: {
        setRuntimeContext: (rc: { getIndexOfThisSubtask(): number }) => void calls.push(`context ${rc.getIndexOfThisSubtask()}`),
        open: () => void calls.push("open"),
        close: () => void calls.push("close"),
      },
    };
  };

  test.each([
    ["mapPartition", (l: any) => new MapPartitionOperator(() => {}, l)],
    ["reduce (all)", (l: any) => new AllReduceOperator(sumA, true, l)],
    ["grouped reduce", (l: any) => new GroupedReduceOperator(key0, sumA, false, l)],
    ["reduceGroup", (l: any) => new GroupReduceOperator(key0, () => {}, undefined, l)],
    ["combineGroup", (l: any) => new GroupCombineOperator(key0, () => {}, undefined, 10, l)],
  ] as const)("%s drives its rich function: context and open before records, close after", async (_name, make) => {
    const { calls, target } = lifecycle();
    await run(make(target), records(5, 20, 3, 0));
    expect(calls).toEqual(["context 0", "open", "close"]);
  });

  test.each([
    [new GroupReduceOperator(key0, () => {}), "GroupReduce (sort) by key", "finalize"],
    [new GroupReduceOperator(null, () => {}, [{ selector: key0, order: "DESCENDING" }]), "GroupReduce (all), sorted (desc)", "finalize"],
    [new GroupCombineOperator(key0, () => {}), "GroupCombine (sort) by key", "combine"],
    [new AggregateOperator(null, [{ agg: "SUM", field: 1 }], true), "Combine (SUM of 1)", "combine"],
    [new AggregateOperator(key0, [{ agg: "SUM", field: 1 }, { agg: "MIN", field: 2 }]), "Aggregate (SUM of 1, MIN of 2) by key", "finalize"],
    [new GroupedReduceOperator(key0, sumA, true), "Combine (hash reduce) by key", "combine"],
    [new AllReduceOperator(sumA), "Reduce (all)", "finalize"],
    [new MinMaxByOperator(key0, [1, 2], "MAX"), "MaxBy (1, 2) by key", "finalize"],
    [new DistinctOperator(key0), "Distinct by key", "finalize"],
    [new DistinctOperator(key0, true), "Combine (Distinct) by key", "combine"],
    [new SortPartitionOperator([{ selector: key0, order: "ASCENDING" }, { selector: key0, order: "DESCENDING" }]), "SortPartition (asc, desc)", "finalize"],
    [new FirstNOperator(2, key0), "First (2) by key", "consume"],
    [new MapPartitionOperator(() => {}), "MapPartition", "finalize"],
    [new CountOperator(), "Count", "combine"],
  ] as const)("%#: describe() and role", (op, text, role) => {
    expect(op.describe()).toBe(text);
    expect(op.role).toBe(role);
  });
});
