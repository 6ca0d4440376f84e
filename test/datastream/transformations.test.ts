/** map / flatMap / filter in every form a user may give them, operator settings, and typed vs GENERIC streams. */
import { describe, expect, test } from "bun:test";
import { PARALLELISMS, run, sorted } from "./support.ts";

const RICH = `
class Scale extends RichMapFunction<number, [number, number]> {
  factor = 0;
  constructor(readonly base: number) { super(); }
  open() {
    this.factor = this.base * 10;
    this.getRuntimeContext().addAccumulator("map-opened", new IntCounter());
    this.getRuntimeContext().addAccumulator("map-closed", new IntCounter());
    this.getRuntimeContext().getAccumulator("map-opened").add(1);
  }
  map(x: number): [number, number] {
    return [x * this.factor, this.getRuntimeContext().getIndexOfThisSubtask()];
  }
  close() { this.getRuntimeContext().getAccumulator("map-closed").add(1); }
}
class Explode extends RichFlatMapFunction<[number, number], number> {
  n = -1;
  open() { this.n = this.getRuntimeContext().getNumberOfParallelSubtasks(); }
  flatMap(t: [number, number], out: any) { for (let i = 0; i < this.n; i++) out.collect(t[0] + i); }
}
class Even extends RichFilterFunction<number> {
  mod = 0;
  open(ctx: any) { this.mod = ctx.getNumberOfParallelSubtasks() > 0 ? 2 : 0; }
  filter(x: number) { return x % this.mod === 0; }
}`;

describe.each(PARALLELISMS)("user functions at p=%i", (p) => {
  test("map/flatMap/filter as plain functions, objects with the method, and Rich classes", async () => {
    const r = await run(
      `const src = () => env.fromSequence(1, 200).rebalance();
  const plain = await src().map((x: number) => x + 1).flatMap((x: number, out: any) => { if (x % 3) { out.collect(x); out.collect(-x); } }).filter((x: number) => x > 0).executeAndCollect();
  const objects = await src().map({ map: (x: number) => x + 1 }).flatMap({ flatMap(x: number, out: any) { if (x % 3) { out.collect(x); out.collect(-x); } } }).filter({ filter: (x: number) => x > 0 }).executeAndCollect();
  const rich = await src().map(new Scale(2)).rebalance().flatMap(new Explode()).filter(new Even()).executeAndCollect();
  const tags = await src().map(new Scale(1)).executeAndCollect();
  return { plain, objects, rich, tags };`,
      p,
      { prelude: RICH },
    );
    const got = r.returned as { plain: number[]; objects: number[]; rich: number[]; tags: [number, number][] };
    const ref: number[] = [];
    for (let x = 1; x <= 200; x++) if ((x + 1) % 3) ref.push(x + 1);
    expect(sorted(got.plain)).toEqual(ref);
    expect(sorted(got.objects)).toEqual(ref);
    const richRef: number[] = [];
    for (let x = 1; x <= 200; x++) for (let i = 0; i < p; i++) if ((x * 20 + i) % 2 === 0) richRef.push(x * 20 + i);
    expect(sorted(got.rich)).toEqual(sorted(richRef));
    expect(sorted(got.tags.map((t) => t[0]))).toEqual(Array.from({ length: 200 }, (_, i) => (i + 1) * 10));
    expect(sorted([...new Set(got.tags.map((t) => t[1]))])).toEqual(Array.from({ length: p }, (_, i) => i));
  });

  test("open() and close() run once per subtask; accumulators added in open() merge across subtasks", async () => {
    const r = await run(
      `env.fromSequence(1, 100).rebalance().map(new Scale(1)).addSink(() => {});
  const res = await env.execute("lifecycle");
  return { opened: res.getAccumulatorResult("map-opened"), closed: res.getAccumulatorResult("map-closed") };`,
      p,
      { prelude: RICH },
    );
    expect(r.returned).toEqual({ opened: p, closed: p });
  });
});

describe.each(PARALLELISMS)("operator settings at p=%i", (p) => {
  test("setParallelism per operator, name, uid, disableChaining, startNewChain leave results unchanged", async () => {
    const pipeline = (settings: boolean) =>
      `(await env.fromSequence(1, 500)${settings ? ".setParallelism(1).name('src').uid('src-uid')" : ""}
    .map((x: number) => [x % 7, x])${settings ? ".setParallelism(3).name('to pair').uid('pair').disableChaining()" : ""}
    .filter((t: any) => t[1] % 5 !== 0)${settings ? ".startNewChain().setParallelism(2)" : ""}
    .keyBy(0).sum(1)${settings ? ".setParallelism(3).name('sum')" : ""}
    .map((t: any) => t[0] + ":" + t[1])${settings ? ".setParallelism(1).slotSharingGroup('other')" : ""}
    .executeAndCollect())`;
    const r = await run(`return { plain: ${pipeline(false)}, tuned: ${pipeline(true)} };`, p);
    const got = r.returned as { plain: string[]; tuned: string[] };
    // the order within a key depends on the exchange, so compare per key: how many updates, and the final sum
    const ref = new Map<number, [number, number]>();
    for (let x = 1; x <= 500; x++) {
      if (x % 5 === 0) continue;
      const [n, s] = ref.get(x % 7) ?? [0, 0];
      ref.set(x % 7, [n + 1, s + x]);
    }
    for (const out of [got.plain, got.tuned]) {
      const seen = new Map<number, [number, number]>();
      for (const [k, s] of out.map((l) => l.split(":").map(Number) as [number, number])) {
        const [n, m] = seen.get(k) ?? [0, 0];
        seen.set(k, [n + 1, Math.max(m, s)]);
      }
      expect(sorted([...seen])).toEqual(sorted([...ref]));
    }
  });

  test("a sink with its own parallelism: source 1 -> map 3 -> sink 2", async () => {
    const r = await run(
      `env.fromSequence(1, 90).setParallelism(1).map((x: number) => x * 2).setParallelism(3).print().setParallelism(2);
  await env.execute("fan");`,
      p,
    );
    const values = r.lines.map((l) => /^([12])> (\d+)$/.exec(l));
    expect(values.every((m) => m !== null)).toBe(true);
    expect(sorted(values.map((m) => Number(m![2])))).toEqual(Array.from({ length: 90 }, (_, i) => (i + 1) * 2));
    expect(new Set(values.map((m) => m![1])).size).toBe(2);
  });
});

/** The same pipeline with and without TypeInformation must give the same results (only speed differs). */
const TYPED = `
const ROW = Types.ROW({ id: Types.INT, name: Types.STRING, big: Types.BIGINT, tags: Types.LIST(Types.STRING), attrs: Types.MAP(Types.STRING, Types.DOUBLE), note: Types.NULLABLE(Types.STRING), raw: Types.BYTES, when: Types.INSTANT, ok: Types.BOOLEAN });
function make(i: number) {
  return { id: i, name: "n" + (i % 5), big: BigInt(i) * 10000000000000n, tags: Array.from({ length: i % 3 }, (_, j) => "t" + j),
    attrs: new Map([["a", i / 2], ["b", -i]]), note: i % 4 === 0 ? null : "note" + i, raw: new Uint8Array([i % 256, 7]), when: 1700000000000 + i, ok: i % 2 === 0 };
}
async function pipeline(env: any, typed: boolean) {
  const t = (x: any) => (typed ? x : undefined);
  const rows = env.fromCollection(Array.from({ length: 60 }, (_, i) => make(i)), t(ROW));
  // parallelism 1 up to keyBy keeps the order per key, so rolling reduces are deterministic
  const mapped = rows.map((r: any) => ({ ...r, big: r.big + 1n, tags: [...r.tags, r.name] }), t(ROW)).setParallelism(1);
  const keyed = mapped.keyBy("name").reduce((a: any, b: any) => ({ ...a, big: a.big + b.big, tags: [...a.tags, ...b.tags], attrs: new Map([...a.attrs, ...b.attrs].map(([k, v]: any) => [k, v])), note: a.note ?? b.note, raw: new Uint8Array([...a.raw, ...b.raw]).slice(0, 4), when: Math.max(a.when, b.when), ok: a.ok && b.ok }));
  const tuples = mapped.rebalance().map((r: any) => [r.id, r.big, r.note, r.raw]);
  const tuplesOut = typed ? tuples.returns(Types.TUPLE(Types.INT, Types.BIGINT, Types.NULLABLE(Types.STRING), Types.BYTES)) : tuples;
  const lists = mapped.flatMap((r: any, out: any) => out.collect(r.tags), t(Types.LIST(Types.STRING))).shuffle().filter((l: string[]) => l.length > 1);
  const maps = mapped.map((r: any) => r.attrs, t(Types.MAP(Types.STRING, Types.DOUBLE))).rebalance();
  const show = (v: any) => JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x + "n" : x instanceof Map ? [...x] : x instanceof Uint8Array ? [...x] : x);
  return {
    keyed: (await keyed.executeAndCollect()).map(show),
    tuples: (await tuplesOut.executeAndCollect()).map(show),
    lists: (await lists.executeAndCollect()).map(show),
    maps: (await maps.executeAndCollect()).map(show),
  };
}`;

describe.each(PARALLELISMS)("types at p=%i", (p) => {
  test("typed (ROW, LIST, MAP, NULLABLE, BIGINT, BYTES, returns()) and GENERIC give the same results", async () => {
    const r = await run(`return { typed: await pipeline(env, true), generic: await pipeline(env, false) };`, p, { prelude: TYPED });
    const got = r.returned as Record<"typed" | "generic", Record<string, string[]>>;
    for (const k of ["keyed", "tuples", "lists", "maps"]) {
      expect(sorted(got.typed[k]!)).toEqual(sorted(got.generic[k]!));
      expect(got.typed[k]!.length).toBeGreaterThan(0);
    }
    // independent reference for the tuples: [id, big + 1, note, raw]
    const ref = Array.from({ length: 60 }, (_, i) => JSON.stringify([i, `${BigInt(i) * 10000000000000n + 1n}n`, i % 4 === 0 ? null : "note" + i, [i % 256, 7]]));
    expect(sorted(got.typed.tuples!)).toEqual(sorted(ref));
    expect(got.typed.maps!.length).toBe(60);
    expect(sorted(got.typed.maps!)).toEqual(sorted(Array.from({ length: 60 }, (_, i) => JSON.stringify([["a", i / 2], ["b", -i]]))));
  });
});
