/** DataStream sources end to end, at parallelism 1 and 2, against the data they were given. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PARALLELISMS, printed, run, sorted } from "./support.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-ds-sources-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(PARALLELISMS)("collections at p=%i", (p) => {
  test("fromElements, fromCollection, fromSequence give exactly their elements", async () => {
    const r = await run(
      `const a = await env.fromElements("x", "y", "z", "y").executeAndCollect();
  const b = await env.fromCollection([[1, "one"], [2, "two"], [3, "three"]]).executeAndCollect();
  const c = await env.fromSequence(-5, 1000).executeAndCollect();
  const d = await env.fromSequence(7, 7).map((x: number) => x * 3).executeAndCollect();
  const e = await env.fromCollection(new Set([{ k: 1 }, { k: 2 }])).executeAndCollect();
  return { a, b, c, d, e };`,
      p,
    );
    const got = r.returned as Record<string, unknown[]>;
    expect(sorted(got.a!)).toEqual(["x", "y", "y", "z"]);
    expect(sorted(got.b!)).toEqual([[1, "one"], [2, "two"], [3, "three"]]);
    expect(sorted(got.c!)).toEqual(Array.from({ length: 1006 }, (_, i) => i - 5));
    expect(got.d).toEqual([21]);
    expect(sorted(got.e!)).toEqual([{ k: 1 }, { k: 2 }]);
  });
});

describe.each(PARALLELISMS)("files at p=%i", (p) => {
  test("readTextFile reads every line of a file, empty lines included, and of a folder", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? "" : `line ${i} ${"x".repeat(i % 13)}`));
    const file = join(dir, `text-${p}.txt`);
    writeFileSync(file, lines.join("\n")); // no newline at the end
    const folder = join(dir, `folder-${p}`);
    require("node:fs").mkdirSync(folder);
    writeFileSync(join(folder, "a.txt"), "a1\na2\n");
    writeFileSync(join(folder, "b.txt"), "b1\r\nb2\r\n");
    const r = await run(
      `const one = await env.readTextFile(args[0]).executeAndCollect();
  const all = await env.readTextFile(args[1]).executeAndCollect();
  return { one, all };`,
      p,
      { args: [file, folder] },
    );
    const got = r.returned as { one: string[]; all: string[] };
    expect(got.one.length).toBe(lines.length);
    expect(sorted(got.one)).toEqual(sorted(lines));
    expect(sorted(got.all)).toEqual(["a1", "a2", "b1", "b2"]);
  });

  test("readCsvFile with a types array, a TUPLE and a ROW with field names", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`name${i % 17}`, i, i / 4, i % 3 === 0] as const);
    const file = join(dir, `data-${p}.csv`);
    writeFileSync(file, "name,n,x,flag\n" + rows.map((r) => r.join(",")).join("\n") + "\n");
    const r = await run(
      `const opts = { ignoreFirstLine: true };
  const arr = await env.readCsvFile(args[0], { ...opts, types: [Types.STRING, Types.INT, Types.DOUBLE, Types.BOOLEAN] }).executeAndCollect();
  const tup = await env.readCsvFile(args[0], { ...opts, types: Types.TUPLE(Types.STRING, Types.LONG, Types.DOUBLE, Types.BOOLEAN) })
    .keyBy(0).sum(1).executeAndCollect();
  const row = await env.readCsvFile(args[0], { ...opts, types: Types.ROW({ name: Types.STRING, n: Types.INT, x: Types.DOUBLE, flag: Types.BOOLEAN }) })
    .filter((r: any) => r.flag).executeAndCollect();
  return { arr, tup, row };`,
      p,
      { args: [file] },
    );
    const got = r.returned as { arr: unknown[]; tup: [string, number][]; row: Record<string, unknown>[] };
    expect(sorted(got.arr)).toEqual(sorted(rows.map((r) => [...r])));
    // rolling sums per name: the last (largest) per name is the total
    const totals = new Map<string, number>();
    for (const [name, n] of rows) totals.set(name, (totals.get(name) ?? 0) + n);
    const finals = new Map<string, number>();
    for (const [name, s] of got.tup) finals.set(name, Math.max(finals.get(name) ?? -1, s));
    expect(got.tup.length).toBe(rows.length);
    expect(sorted([...finals])).toEqual(sorted([...totals]));
    const flagged = rows.filter((r) => r[3]).map(([name, n, x, flag]) => ({ name, n, x, flag }));
    expect(sorted(got.row)).toEqual(sorted(flagged));
  });
});

test("socketTextStream reads the lines a server writes until it closes", async () => {
  const lines = Array.from({ length: 200 }, (_, i) => `msg ${i}`);
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.write(lines.join("\n") + "\n");
        s.end();
      },
      data() {},
    },
  });
  try {
    for (const p of PARALLELISMS) {
      const r = await run(
        `env.socketTextStream("127.0.0.1", Number(args[0])).map((l: string) => l.toUpperCase()).print();
  await env.execute("socket");`,
        p,
        { args: [String(server.port)] },
      );
      expect(sorted(printed(r.lines))).toEqual(sorted(lines.map((l) => l.toUpperCase())));
    }
  } finally {
    server.stop(true);
  }
});

const SOURCES = `
class Offset { constructor(readonly base: number) {} at(i: number) { return this.base + i; } }
/** ES private fields and a helper object with methods must reach run() intact. */
class Private extends RichParallelSourceFunction<number> {
  #count = 4;
  offset = new Offset(500);
  run(ctx: any) { const me = this.getRuntimeContext().getIndexOfThisSubtask(); for (let i = 0; i < this.#count; i++) ctx.collect(this.offset.at(i) + 1000 * me); }
  cancel() {}
}
class Counter extends RichParallelSourceFunction<[number, number, number]> {
  running = true;
  constructor(readonly perSubtask: number) { super(); }
  opened = false;
  open() { this.opened = true; }
  async run(ctx: any) {
    const rc = this.getRuntimeContext();
    const me = rc.getIndexOfThisSubtask();
    const n = rc.getNumberOfParallelSubtasks();
    for (let i = 0; i < this.perSubtask && this.running; i++) {
      const back = ctx.collectWithTimestamp([me, n, i], 1000 + i);
      if (back) await back;
      if (i % 10 === 0) ctx.emitWatermark(new Watermark(1000 + i));
    }
  }
  cancel() { this.running = false; }
}`;

describe.each(PARALLELISMS)("user sources at p=%i", (p) => {
  test("addSource with a plain object, a RichParallelSourceFunction, and DataGeneratorSource", async () => {
    const r = await run(
      `const plain = await env.addSource({
    run(ctx: any) { for (let i = 0; i < 50; i++) ctx.collect("p" + i); ctx.emitWatermark(new Watermark(5)); ctx.markAsTemporarilyIdle(); },
    cancel() {},
  }).executeAndCollect();
  const rich = await env.addSource(new Counter(40), "counter").executeAndCollect();
  const gen = await env.fromSource(new DataGeneratorSource((i: number) => ({ i, sq: i * i }), 300), undefined, "gen").executeAndCollect();
  const genTyped = await env.fromSource(new DataGeneratorSource((i: number) => [i, "g" + i], 10, Types.TUPLE(Types.LONG, Types.STRING)), undefined, "gen2").executeAndCollect();
  const priv = await env.addSource(new Private()).executeAndCollect();
  return { plain, rich, gen, genTyped, priv };`,
      p,
      { prelude: SOURCES },
    );
    const got = r.returned as { plain: string[]; rich: [number, number, number][]; gen: unknown[]; genTyped: unknown[]; priv: number[] };
    expect(sorted(got.plain)).toEqual(sorted(Array.from({ length: 50 }, (_, i) => "p" + i)));
    const expectedRich: unknown[] = [];
    for (let s = 0; s < p; s++) for (let i = 0; i < 40; i++) expectedRich.push([s, p, i]);
    expect(sorted(got.rich) as unknown[]).toEqual(sorted(expectedRich));
    expect(sorted(got.gen)).toEqual(sorted(Array.from({ length: 300 }, (_, i) => ({ i, sq: i * i }))));
    expect(sorted(got.priv)).toEqual(sorted(Array.from({ length: 4 * p }, (_, j) => 500 + (j % 4) + 1000 * Math.floor(j / 4))));
    expect(sorted(got.genTyped)).toEqual(sorted(Array.from({ length: 10 }, (_, i) => [i, "g" + i])));
  });
});

describe.each(PARALLELISMS)("backpressure at p=%i", (p) => {
  test("an async run() that awaits ctx.collect() under backpressure delivers everything and finishes", async () => {
    const r = await run(
      `const payload = "x".repeat(1000);
  class Slow extends RichParallelSourceFunction<string> {
    running = true;
    async run(ctx: any) {
      const me = this.getRuntimeContext().getIndexOfThisSubtask();
      for (let i = 0; i < 6000 && this.running; i++) {
        const wait = ctx.collect(me + ":" + i + ":" + payload);
        if (wait) await wait;
        if (i % 1500 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // real I/O in between
      }
    }
    cancel() { this.running = false; }
  }
  // a slow consumer in another task: the source runs out of credit and has to wait
  return await env.addSource(new Slow()).rebalance()
    .map((s: string) => { const t = performance.now(); while (performance.now() - t < 0.01); return s.slice(0, s.lastIndexOf(":")); })
    .executeAndCollect();`,
      p,
    );
    const got = r.returned as string[];
    const ref: string[] = [];
    for (let s = 0; s < p; s++) for (let i = 0; i < 6000; i++) ref.push(`${s}:${i}`);
    expect(got.length).toBe(ref.length);
    expect(sorted(got)).toEqual(sorted(ref));
  }, 10_000);
});

