/** union, connected streams (keyed and not), and every partitioning: where records land and that none are lost. */
import { describe, expect, test } from "bun:test";
import { PARALLELISMS, run, sorted } from "./support.ts";

const TAGGERS = `
/** Emits [what, subtask, value] so the test sees where each record was processed. */
class Where extends RichMapFunction<number, [string, number, number]> {
  constructor(readonly what: string) { super(); }
  map(x: number): [string, number, number] { return [this.what, this.getRuntimeContext().getIndexOfThisSubtask(), x]; }
}`;

describe.each(PARALLELISMS)("union and connect at p=%i", (p) => {
  test("union of three streams, connect with map, flatMap and process", async () => {
    const r = await run(
      `const a = env.fromSequence(1, 50);
  const b = env.fromElements(100, 200, 300);
  const c = env.fromCollection([7, 8, 9]).map((x: number) => -x);
  const union = await a.union(b, c).executeAndCollect();
  const words = () => env.fromElements("x y", "z");
  const nums = () => env.fromSequence(1, 20);
  const comap = await nums().connect(words()).map({ map1: (n: number) => "n" + n, map2: (w: string) => "w" + w }).executeAndCollect();
  const coflat = await words().connect(nums()).flatMap({
    flatMap1(w: string, out: any) { for (const x of w.split(" ")) out.collect(x); },
    flatMap2(n: number, out: any) { if (n % 5 === 0) { out.collect(String(n)); out.collect(String(-n)); } },
  }).executeAndCollect();
  class Both extends CoProcessFunction<number, string, string> {
    processElement1(n: number, ctx: any, out: any) { out.collect("1:" + n); if (n === 3) ctx.output(new OutputTag("side"), "s" + n); }
    processElement2(w: string, ctx: any, out: any) { out.collect("2:" + w + ":" + this.getRuntimeContext().getNumberOfParallelSubtasks()); }
  }
  const coproc = await nums().connect(words()).process(new Both()).executeAndCollect();
  const sides = await nums().connect(words()).process(new Both()).getSideOutput(new OutputTag("side")).executeAndCollect();
  return { union, comap, coflat, coproc, sides };`,
      p,
    );
    const got = r.returned as Record<string, unknown[]>;
    const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(sorted(got.union!)).toEqual(sorted([...seq(50), 100, 200, 300, -7, -8, -9]));
    expect(sorted(got.comap!)).toEqual(sorted([...seq(20).map((n) => "n" + n), "wx y", "wz"]));
    expect(sorted(got.coflat!)).toEqual(sorted(["x", "y", "z", "5", "-5", "10", "-10", "15", "-15", "20", "-20"]));
    expect(sorted(got.coproc!)).toEqual(sorted([...seq(20).map((n) => "1:" + n), `2:x y:${p}`, `2:z:${p}`]));
    expect(got.sides).toEqual(["s3"]);
  });

  test("connect of two keyed streams shares keyed state between both inputs", async () => {
    const r = await run(
      `class Join extends KeyedCoProcessFunction<string, [string, number], [string, string], string> {
    sum: any; names: any;
    open() {
      this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor("sum", Types.INT));
      this.names = this.getRuntimeContext().getListState(new ListStateDescriptor("names", Types.STRING));
    }
    processElement1(t: [string, number], ctx: any, out: any) {
      this.sum.update((this.sum.value() ?? 0) + t[1]);
      out.collect(ctx.getCurrentKey() + " sum=" + this.sum.value() + " names=" + [...this.names.get()].join(","));
    }
    processElement2(t: [string, string], ctx: any, out: any) {
      this.names.add(t[1]);
      out.collect(ctx.getCurrentKey() + " name " + t[1] + " sum=" + (this.sum.value() ?? 0));
    }
  }
  const amounts = env.fromCollection(Array.from({ length: 60 }, (_, i) => ["u" + (i % 6), i]));
  const names = env.fromCollection(Array.from({ length: 12 }, (_, i) => ["u" + (i % 6), "name" + i]));
  const viaKeyBy = await amounts.keyBy(0).connect(names.keyBy((t: any) => t[0])).process(new Join()).executeAndCollect();
  const viaConnectKeyBy = await amounts.connect(names).keyBy(0, 0).process(new Join()).executeAndCollect();
  let keyedNonKeyed = "";
  try { amounts.keyBy(0).connect(names).process(new Join()); } catch (e: any) { keyedNonKeyed = e.constructor.name + ": " + e.message; }
  return { viaKeyBy, viaConnectKeyBy, keyedNonKeyed };`,
      p,
    );
    const got = r.returned as { viaKeyBy: string[]; viaConnectKeyBy: string[]; keyedNonKeyed: string };
    for (const out of [got.viaKeyBy, got.viaConnectKeyBy]) {
      // whatever the interleaving of the two inputs, the amount lines of a key count up to its total
      const finalSum = new Map<string, number>();
      for (const l of out.filter((l) => l.includes(" sum=") && !l.includes(" name "))) {
        const [k, s] = [l.split(" ")[0]!, Number(/sum=(\d+)/.exec(l)![1])];
        finalSum.set(k, Math.max(finalSum.get(k) ?? 0, s));
      }
      const ref = new Map<string, number>();
      for (let i = 0; i < 60; i++) ref.set("u" + (i % 6), (ref.get("u" + (i % 6)) ?? 0) + i);
      expect(sorted([...finalSum])).toEqual(sorted([...ref]));
      expect(out.length).toBe(72);
      // each name line sees only its own key's sum (0 or a prefix sum of that key's amounts)
      for (const l of out.filter((l) => l.includes(" name "))) {
        const k = l.split(" ")[0]!;
        const s = Number(/sum=(\d+)/.exec(l)![1]);
        const prefixes = [0];
        for (let i = 0; i < 60; i++) if ("u" + (i % 6) === k) prefixes.push(prefixes.at(-1)! + i);
        expect(prefixes).toContain(s);
      }
      // names seen by amount lines belong to the key
      for (const l of out.filter((l) => / names=./.test(l))) {
        const k = Number(l.split(" ")[0]!.slice(1));
        for (const n of l.split("names=")[1]!.split(",")) expect(Number(n.slice(4)) % 6).toBe(k);
      }
    }
    expect(got.keyedNonKeyed).toMatch(/^InvalidProgramError: .*both connected streams must be keyed or neither/);
  });
});

describe.each(PARALLELISMS)("partitioning at p=%i", (p) => {
  test("rebalance, rescale, shuffle, forward, broadcast, global, partitionCustom", async () => {
    const r = await run(
      `const src = () => env.fromSequence(1, 100);
  const out: Record<string, unknown> = {};
  out.rebalance = await src().rebalance().map(new Where("rebalance")).executeAndCollect();
  out.rescale = await src().rescale().map(new Where("rescale")).executeAndCollect();
  out.shuffle = await src().shuffle().map(new Where("shuffle")).executeAndCollect();
  out.forward = await src().map((x: number) => x).forward().map(new Where("forward")).executeAndCollect();
  out.broadcast = await src().setParallelism(1).broadcast().map(new Where("broadcast")).executeAndCollect();
  out.global = await src().global().map(new Where("global")).executeAndCollect();
  out.custom = await src().partitionCustom((k: number, n: number) => (k % 10 < 3 ? 0 : n - 1), (x: number) => x).map(new Where("custom")).executeAndCollect();
  out.customObj = await src().partitionCustom({ partition: (k: number, n: number) => k % n }, (x: number) => x * 3).map(new Where("customObj")).executeAndCollect();
  out.wide = await env.fromSequence(1, 100).setParallelism(1).rebalance().map(new Where("wide")).setParallelism(3).executeAndCollect();
  let forwardError = "";
  try {
    env.fromSequence(1, 10).setParallelism(2).name("two").forward().map((x: number) => x).setParallelism(3).name("three").print();
    await env.execute("bad forward");
  } catch (e: any) { forwardError = String(e.message ?? e); }
  out.forwardError = forwardError;
  return out;`,
      p,
      { prelude: TAGGERS },
    );
    const got = r.returned as Record<string, [string, number, number][]> & { forwardError: string };
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const subtasksOf = (rows: [string, number, number][]) => sorted([...new Set(rows.map((t) => t[1]))]);
    const all = Array.from({ length: p }, (_, i) => i);
    for (const k of ["rebalance", "rescale", "shuffle", "forward", "global", "custom", "customObj"]) {
      expect([k, sorted(got[k]!.map((t) => t[2]))]).toEqual([k, xs]);
    }
    expect(subtasksOf(got.rebalance!)).toEqual(all);
    expect(subtasksOf(got.shuffle!)).toEqual(all);
    expect(subtasksOf(got.wide!)).toEqual([0, 1, 2]);
    expect(sorted(got.wide!.map((t) => t[2]))).toEqual(xs);
    // rebalance is round robin: the counts differ by at most one
    const counts = all.map((s) => got.rebalance!.filter((t) => t[1] === s).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // broadcast: every subtask sees every element
    for (const s of all) expect(sorted(got.broadcast!.filter((t) => t[1] === s).map((t) => t[2]))).toEqual(xs);
    expect(got.broadcast!.length).toBe(100 * p);
    expect(subtasksOf(got.global!)).toEqual([0]);
    for (const [, s, x] of got.custom!) expect([x, s]).toEqual([x, x % 10 < 3 ? 0 : p - 1]);
    for (const [, s, x] of got.customObj!) expect([x, s]).toEqual([x, (x * 3) % p]);
    expect(got.forwardError).toMatch(/forward/i);
    expect(got.forwardError).toContain("two");
    expect(got.forwardError).toContain("three");
  });
});

test("rescale connects each upstream subtask to its own slice of the downstream ones", async () => {
  const r = await run(
    `class Src extends RichParallelSourceFunction<number> {
    run(ctx: any) { const me = this.getRuntimeContext().getIndexOfThisSubtask(); for (let i = 0; i < 40; i++) ctx.collect(me); }
    cancel() {}
  }
  class Edge extends RichMapFunction<number, string> { map(from: number) { return from + "->" + this.getRuntimeContext().getIndexOfThisSubtask(); } }
  const edges = async (up: number, down: number) => [...new Set(await env.addSource(new Src()).setParallelism(up).rescale().map(new Edge()).setParallelism(down).executeAndCollect())].sort();
  return { widen: await edges(2, 4), narrow: await edges(4, 2) };`,
    1,
  );
  // Flink's RescalePartitioner: 2 -> 4 gives each upstream two downstreams; 4 -> 2 pairs upstreams
  expect(r.returned).toEqual({ widen: ["0->0", "0->1", "1->2", "1->3"], narrow: ["0->0", "1->0", "2->1", "3->1"] });
});

test.each(PARALLELISMS)("RichCoFlatMapFunction on keyed connected streams buffers in MapState until its key's name arrives, at p=%i", async (p) => {
  const r = await run(
    `class Enrich extends RichCoFlatMapFunction<[string, number], [string, string], string> {
    name: any; pending: any;
    open() {
      this.name = this.getRuntimeContext().getState(new ValueStateDescriptor("name", Types.STRING));
      this.pending = this.getRuntimeContext().getMapState(new MapStateDescriptor("pending", Types.LONG, Types.LONG));
    }
    flatMap1(t: [string, number], out: any) { const n = this.name.value(); if (n) out.collect(n + "=" + t[1]); else this.pending.put(t[1], t[1]); }
    flatMap2(t: [string, string], out: any) { this.name.update(t[1]); for (const [v] of this.pending.entries()) out.collect(t[1] + "=" + v); this.pending.clear(); }
  }
  const values = env.fromCollection(Array.from({ length: 300 }, (_, i) => ["k" + (i % 7), i]));
  const names = env.fromCollection(Array.from({ length: 7 }, (_, i) => ["k" + i, "name" + i]));
  return await values.connect(names).keyBy(0, 0).flatMap(new Enrich()).executeAndCollect();`,
    p,
  );
  // whatever the interleaving, every value comes out once, with its own key's name
  expect(sorted(r.returned as string[])).toEqual(sorted(Array.from({ length: 300 }, (_, i) => `name${i % 7}=${i}`)));
});
