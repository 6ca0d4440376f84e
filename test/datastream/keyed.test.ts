/** keyBy in every form, rolling aggregations in STREAMING and BATCH mode, process functions and keyed state. */
import { describe, expect, test } from "bun:test";
import { PARALLELISMS, run, sorted } from "./support.ts";

type Rec = [string, number, number]; // [key, value, sequence number]
/** Records with ties in the value field, so "first on ties" is observable. */
const RECORDS: Rec[] = Array.from({ length: 120 }, (_, i) => [`k${(i * 7) % 5}`, ((i * 37) % 11) - 3, i]);

/** The reference: Flink's rolling aggregation over one key's records, in order. */
function rolling(kind: string, recs: Rec[], field: 1): Rec[] {
  const out: Rec[] = [];
  const acc = new Map<string, Rec>();
  for (const r of recs) {
    const a = acc.get(r[0]);
    let next: Rec;
    if (!a) next = r;
    else if (kind === "sum") next = [a[0], a[1] + r[1], a[2]];
    else if (kind === "min") next = r[field] < a[field] ? [a[0], r[1], a[2]] : a;
    else if (kind === "max") next = r[field] > a[field] ? [a[0], r[1], a[2]] : a;
    else if (kind === "minBy") next = r[field] < a[field] ? r : a;
    else next = r[field] > a[field] ? r : a;
    acc.set(r[0], next);
    out.push(next);
  }
  return out;
}
const finals = (rs: Rec[]) => [...new Map(rs.map((r) => [r[0], r])).values()];

const KINDS = ["sum", "min", "max", "minBy", "maxBy"] as const;

describe.each(PARALLELISMS)("aggregations at p=%i", (p) => {
  test.each(["STREAMING", "BATCH"])("reduce, sum, min, max, minBy, maxBy in %s mode", async (mode) => {
    const r = await run(
      `env.setRuntimeMode(${JSON.stringify(mode)});
  const recs = JSON.parse(args[0]);
  const out: Record<string, unknown> = {};
  const src = () => env.fromCollection(recs, Types.TUPLE(Types.STRING, Types.INT, Types.INT));
  for (const k of ${JSON.stringify(KINDS)}) out[k] = await (src().keyBy(0) as any)[k](1).executeAndCollect();
  out.reduce = await src().keyBy((t: any) => t[0]).reduce((a: any, b: any) => [a[0], a[1] + b[1], Math.max(a[2], b[2])]).executeAndCollect();
  return out;`,
      p,
      { args: [JSON.stringify(RECORDS)] },
    );
    const got = r.returned as Record<string, Rec[]>;
    for (const kind of KINDS) {
      const ref = rolling(kind, RECORDS, 1);
      expect([kind, sorted(got[kind]!)]).toEqual([kind, sorted(mode === "BATCH" ? finals(ref) : ref)]);
    }
    const reduceRef = rolling("sum", RECORDS, 1).map((r, i) => [r[0], r[1], Math.max(...RECORDS.slice(0, i + 1).filter((x) => x[0] === r[0]).map((x) => x[2]))] as Rec);
    expect(sorted(got.reduce!)).toEqual(sorted(mode === "BATCH" ? finals(reduceRef) : reduceRef));
  });

  test("aggregations and position keys on plain numbers and untyped tuples", async () => {
    const r = await run(
      `const xs = [5, 2, 8, 3, 9, 1, 7, 4, 6];
  const out: Record<string, unknown> = {};
  for (const k of ["sum", "min", "max", "minBy", "maxBy"]) {
    out[k + "-untyped"] = await (env.fromElements(...xs).keyBy((x: number) => x % 2) as any)[k](0).executeAndCollect();
    out[k + "-noarg"] = await (env.fromCollection(xs).keyBy((x: number) => x % 2) as any)[k]().executeAndCollect();
    out[k + "-typed"] = await (env.fromCollection(xs, Types.INT).keyBy((x: number) => x % 2) as any)[k](0).executeAndCollect();
  }
  // untyped records: position 0 of a number is the number, "f1" of an array is index 1
  out.byPosition = await env.fromElements(1, 2, 1, 2, 3, 1).keyBy(0).reduce((a: number, b: number) => a + b).executeAndCollect();
  out.byTupleName = await env.fromCollection([["a", 1], ["a", 2], ["b", 3], ["a", 4]]).keyBy("f0").sum("f1").executeAndCollect();
  return out;`,
      p,
    );
    const xs = [5, 2, 8, 3, 9, 1, 7, 4, 6];
    const ops: Record<string, (a: number, b: number) => number> = { sum: (a, b) => a + b, min: Math.min, max: Math.max, minBy: Math.min, maxBy: Math.max };
    const got = r.returned as Record<string, number[]>;
    for (const [k, op] of Object.entries(ops)) {
      const acc = new Map<number, number>();
      const ref = xs.map((x) => {
        const v = acc.has(x % 2) ? op(acc.get(x % 2)!, x) : x;
        acc.set(x % 2, v);
        return v;
      });
      for (const how of ["untyped", "noarg", "typed"]) expect([k, how, sorted(got[`${k}-${how}`]!)]).toEqual([k, how, sorted(ref)]);
    }
    expect(sorted(got.byPosition!)).toEqual([1, 2, 2, 3, 3, 4]);
    expect(sorted(got.byTupleName!) as unknown[]).toEqual(sorted([["a", 1], ["a", 3], ["b", 3], ["a", 7]]));
  });

  test("keyBy by selector, tuple position, row field name and several fields: one subtask per key, right sums", async () => {
    const r = await run(
      `const rows = Array.from({ length: 300 }, (_, i) => ({ a: "a" + (i % 4), b: i % 3, v: i }));
  const ROW = Types.ROW({ a: Types.STRING, b: Types.INT, v: Types.INT });
  class Where extends KeyedProcessFunction<unknown, any, any> {
    processElement(r: any, ctx: any, out: any) { out.collect([JSON.stringify(ctx.getCurrentKey()), this.getRuntimeContext().getIndexOfThisSubtask(), Array.isArray(r) ? r[2] : r.v]); }
  }
  const rowsOf = () => env.fromCollection(rows, ROW);
  const tuplesOf = () => rowsOf().map((r: any) => [r.a, r.b, r.v], Types.TUPLE(Types.STRING, Types.INT, Types.INT));
  const placement = {
    selector: await rowsOf().keyBy((r: any) => r.a).process(new Where()).executeAndCollect(),
    position: await tuplesOf().keyBy(0).process(new Where()).executeAndCollect(),
    name: await rowsOf().keyBy("a").process(new Where()).executeAndCollect(),
    several: await rowsOf().keyBy(["a", "b"]).process(new Where()).executeAndCollect(),
    positions: await tuplesOf().keyBy([0, 1]).process(new Where()).executeAndCollect(),
    untypedName: await env.fromCollection(rows).keyBy("a").process(new Where()).executeAndCollect(),
  };
  const sums = {
    name: await rowsOf().keyBy("a").sum("v").executeAndCollect(),
    several: await rowsOf().keyBy(["a", "b"]).maxBy("v").executeAndCollect(),
  };
  return { placement, sums };`,
      p,
    );
    const rows = Array.from({ length: 300 }, (_, i) => ({ a: "a" + (i % 4), b: i % 3, v: i }));
    const got = r.returned as { placement: Record<string, [string, number, number][]>; sums: Record<string, { a: string; b: number; v: number }[]> };
    const keyCounts = { selector: 4, position: 4, name: 4, several: 12, positions: 12, untypedName: 4 } as Record<string, number>;
    for (const [how, out] of Object.entries(got.placement)) {
      expect([how, sorted(out.map((o) => o[2]))]).toEqual([how, rows.map((r) => r.v)]);
      const where = new Map<string, Set<number>>();
      for (const [k, s] of out) where.set(k, (where.get(k) ?? new Set()).add(s));
      expect([how, where.size]).toEqual([how, keyCounts[how]]);
      for (const [k, subtasks] of where) expect([how, k, subtasks.size]).toEqual([how, k, 1]);
    }
    expect(new Set(got.placement.several!.map((o) => o[1])).size).toBe(p); // 12 keys spread over every subtask
    expect(JSON.parse(got.placement.several![0]![0]).length).toBe(2); // the current key of a composite key is a tuple
    const total = new Map<string, number>();
    for (const r of rows) total.set(r.a, (total.get(r.a) ?? 0) + r.v);
    const lastName = new Map(got.sums.name!.map((r) => [r.a, r] as const));
    for (const [a, s] of total) expect(Math.max(...got.sums.name!.filter((r) => r.a === a).map((r) => r.v))).toBe(s);
    expect(lastName.size).toBe(4);
    const maxBy = new Map<string, number>();
    for (const r of got.sums.several!) maxBy.set(`${r.a}/${r.b}`, Math.max(maxBy.get(`${r.a}/${r.b}`) ?? -1, r.v));
    const maxRef = new Map<string, number>();
    for (const r of rows) maxRef.set(`${r.a}/${r.b}`, Math.max(maxRef.get(`${r.a}/${r.b}`) ?? -1, r.v));
    expect(sorted([...maxBy])).toEqual(sorted([...maxRef]));
  });
});

const STATEFUL = `
class AllStates extends KeyedProcessFunction<string, [string, number], string> {
  count: any; seen: any; hist: any; total: any; avg: any;
  open() {
    const rc = this.getRuntimeContext();
    this.count = rc.getState(new ValueStateDescriptor("count", Types.INT, 0));
    this.seen = rc.getListState(new ListStateDescriptor("seen", Types.INT));
    this.hist = rc.getMapState(new MapStateDescriptor("hist", Types.INT, Types.INT));
    this.total = rc.getReducingState(new ReducingStateDescriptor("total", (a: number, b: number) => a + b, Types.INT));
    this.avg = rc.getAggregatingState(new AggregatingStateDescriptor("avg", {
      createAccumulator: () => [0, 0],
      add: (v: number, acc: number[]) => [acc[0] + v, acc[1] + 1],
      getResult: (acc: number[]) => acc[0] / acc[1],
    }));
  }
  processElement(t: [string, number], ctx: any, out: any) {
    const n = (this.count.value() ?? 0) + 1;
    this.count.update(n);
    this.seen.add(t[1]);
    const bucket = t[1] % 3;
    this.hist.put(bucket, (this.hist.get(bucket) ?? 0) + 1);
    this.total.add(t[1]);
    this.avg.add(t[1]);
    const hist = [...this.hist.entries()].sort((a: any, b: any) => a[0] - b[0]).map((e: any) => e.join("=")).join(" ");
    out.collect([ctx.getCurrentKey(), n, [...this.seen.get()].join("|"), hist, this.total.get(), this.avg.get()].join(";"));
  }
}`;

describe.each(PARALLELISMS)("keyed state at p=%i", (p) => {
  test("ValueState, ListState, MapState, ReducingState, AggregatingState are per key", async () => {
    const input: [string, number][] = Array.from({ length: 200 }, (_, i) => [`key${(i * 13) % 7}`, (i * 17) % 23]);
    const r = await run(`return await env.fromCollection(JSON.parse(args[0])).keyBy(0).process(new AllStates()).executeAndCollect();`, p, { prelude: STATEFUL, args: [JSON.stringify(input)] });
    const ref: string[] = [];
    const per = new Map<string, number[]>();
    for (const [k, v] of input) {
      const vs = [...(per.get(k) ?? []), v];
      per.set(k, vs);
      const hist = new Map<number, number>();
      for (const x of vs) hist.set(x % 3, (hist.get(x % 3) ?? 0) + 1);
      const total = vs.reduce((a, b) => a + b, 0);
      ref.push([k, vs.length, vs.join("|"), [...hist].sort((a, b) => a[0] - b[0]).map((e) => e.join("=")).join(" "), total, total / vs.length].join(";"));
    }
    expect(sorted(r.returned as string[])).toEqual(sorted(ref));
  });

  test("Rich filter and flatMap on a keyed stream use keyed state: first occurrence and running count per key", async () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${(i * i) % 37}`);
    const r = await run(
      `class FirstSeen extends RichFilterFunction<string> {
    seen: any;
    open() { this.seen = this.getRuntimeContext().getState(new ValueStateDescriptor("seen", Types.BOOLEAN)); }
    filter(w: string) { if (this.seen.value()) return false; this.seen.update(true); return true; }
  }
  class Count extends RichFlatMapFunction<string, string> {
    n: any;
    open() { this.n = this.getRuntimeContext().getState(new ValueStateDescriptor("n", Types.LONG, 0)); }
    flatMap(w: string, out: any) { this.n.update(this.n.value() + 1); if (this.n.value() % 5 === 0) out.collect(w + "#" + this.n.value()); }
  }
  const words = JSON.parse(args[0]);
  const first = await env.fromCollection(words).keyBy((w: string) => w).filter(new FirstSeen()).executeAndCollect();
  const fifths = await env.fromCollection(words).keyBy((w: string) => w).flatMap(new Count()).executeAndCollect();
  return { first, fifths };`,
      p,
      { args: [JSON.stringify(words)] },
    );
    const got = r.returned as { first: string[]; fifths: string[] };
    expect(sorted(got.first)).toEqual(sorted([...new Set(words)]));
    const counts = new Map<string, number>();
    const fifths: string[] = [];
    for (const w of words) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (counts.get(w)! % 5 === 0) fifths.push(`${w}#${counts.get(w)}`);
    }
    expect(sorted(got.fifths)).toEqual(sorted(fifths));
  });

  test("ProcessFunction with side outputs, typed and untyped tags", async () => {
    const r = await run(
      `const odd = new OutputTag<number>("odd", Types.LONG);
  const big = new OutputTag<string>("big");
  class Split extends ProcessFunction<number, number> {
    processElement(x: number, ctx: any, out: any) {
      if (x % 2) ctx.output(odd, x); else out.collect(x);
      if (x > 90) ctx.output(big, "big" + x);
    }
  }
  const main = env.fromSequence(1, 100).process(new Split(), Types.LONG);
  main.map((x: number) => x * 10).print("main");
  main.getSideOutput(odd).print("odd");
  main.getSideOutput(big).print("big");
  await env.execute("split");`,
      p,
    );
    const values = (tag: string) => r.lines.filter((l) => l.startsWith(tag + (p > 1 ? ":" : ">"))).map((l) => l.slice(l.indexOf("> ") + 2));
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(sorted(values("main").map(Number))).toEqual(xs.filter((x) => x % 2 === 0).map((x) => x * 10));
    expect(sorted(values("odd").map(Number))).toEqual(xs.filter((x) => x % 2 === 1));
    expect(sorted(values("big"))).toEqual(sorted(xs.filter((x) => x > 90).map((x) => "big" + x)));
    expect(r.lines.length).toBe(50 + 50 + 10);
  });
});

/** A seeded xorshift, the same in the job (as source text) and the reference. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
const RANDOM = rng.toString();

describe.each(PARALLELISMS)("seeded random input against a reference at p=%i", (p) => {
  test("map -> keyBy -> reduce -> filter -> keyBy -> sum over 20,000 records from an async source", async () => {
    const r = await run(
      `const rand = rng(42);
  const recs = Array.from({ length: 20000 }, () => [Math.floor(rand() * 300), Math.floor(rand() * 1000)]);
  const src = env.addSource({
    async run(ctx: any) { for (const rec of recs) { const back = ctx.collect(rec); if (back) await back; } },
    cancel() {},
  }, Types.TUPLE(Types.INT, Types.INT));
  const finals = await src
    .map((t: number[]) => [t[0] % 97, t[1]], Types.TUPLE(Types.INT, Types.INT)).setParallelism(1) // keeps the order per key
    .keyBy(0).reduce((a: number[], b: number[]) => [a[0], (a[1] + b[1]) % 10007])
    .filter((t: number[]) => t[1] % 3 !== 0)
    .map((t: number[]) => [t[0] % 10, 1], Types.TUPLE(Types.INT, Types.LONG))
    .keyBy(0).sum(1)
    .executeAndCollect();
  return finals;`,
      p,
      { prelude: RANDOM },
    );
    const rand = rng(42);
    const recs = Array.from({ length: 20000 }, () => [Math.floor(rand() * 300), Math.floor(rand() * 1000)]);
    const acc = new Map<number, number>();
    const counts = new Map<number, number>();
    for (const [k0, v] of recs) {
      const k = k0! % 97;
      const next = acc.has(k) ? (acc.get(k)! + v!) % 10007 : v!;
      acc.set(k, next);
      if (next % 3 !== 0) counts.set(k % 10, (counts.get(k % 10) ?? 0) + 1);
    }
    const got = r.returned as [number, number][];
    const last = new Map<number, number>();
    for (const [k, n] of got) last.set(k, Math.max(last.get(k) ?? 0, n));
    expect(got.length).toBe([...counts.values()].reduce((a, b) => a + b, 0));
    expect(sorted([...last])).toEqual(sorted([...counts]));
  });
});
