/**
 * The Nexmark benchmark: q5, q7 and q8 as flinkts jobs at p=1 and p=2 (generator in the job,
 * discarding sink), beside the hand-written single-threaded loops of nexmark-hand.ts on the
 * same generator, and beside Flink's published per-core figures (NEXMARK.md).
 * `bun test/bench/nexmark.ts` runs it alone and writes its section of BENCHMARKS.md;
 * `npm run bench` runs it with the other suites.
 */
import { measure, mb, netRuntime, writeSection } from "./measure.ts";

const bun = process.execPath;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Scales every query's event count (e.g. 0.1 for a quick look). */
const SCALE = Number(process.env.BENCH_NEXMARK_SCALE ?? 1);
const SEED = 0;

interface Query {
  name: "q5" | "q7" | "q8";
  events: number;
  goal: number;
  /** Flink's per-core events/s: V1 (1.13–2.0, RocksDB) and V2 (2.x). */
  flink: [number, number];
}

/** Event counts that take a few seconds each at p=1. */
const QUERIES: Query[] = [
  { name: "q5", events: 1_000_000, goal: 100_000, flink: [22_000, 75_000] },
  { name: "q7", events: 2_000_000, goal: 50_000, flink: [12_300, 23_000] },
  { name: "q8", events: 6_000_000, goal: 200_000, flink: [146_000, 162_000] },
];

interface Row {
  query: Query;
  runner: string;
  p: number;
  events: number;
  ms: number;
  rss: number;
}

/** Best time (and largest RSS) of ROUNDS runs; `time` reads the time from the output. */
async function best(cmd: string[], time: (stdout: string) => number): Promise<{ ms: number; rss: number; stdout: string }> {
  let out = { ms: Infinity, rss: 0, stdout: "" };
  for (let i = 0; i < ROUNDS; i++) {
    const r = await measure(cmd);
    out = { ms: Math.min(out.ms, time(r.stdout)), rss: Math.max(out.rss, r.peakRss), stdout: r.stdout };
  }
  return out;
}

const perSecond = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} K/s`);

export async function nexmarkTable(): Promise<string> {
  const rows: Row[] = [];
  for (const query of QUERIES) {
    const events = Math.round(query.events * SCALE);
    const hand = await best([bun, "test/bench/nexmark-hand.ts", query.name, String(events), String(SEED)], (o) => Number(/ms=(\d+)/.exec(o)![1]));
    rows.push({ query, runner: "hand loop, 1 thread", p: 1, events, ms: hand.ms, rss: hand.rss });
    for (const p of [1, 2]) {
      const job = await best([bun, "cli.ts", "run", "-p", String(p), `jobs/nexmark/${query.name}.ts`, String(events), String(p), String(SEED), "--discard"], netRuntime);
      rows.push({ query, runner: "flinkts job", p, events, ms: job.ms, rss: job.rss });
    }
  }
  const lines = [
    "| query | runner | p | events | time | events/s | events/s per core | vs hand loop | goal per core | Flink V1 / V2 per core | peak RSS |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const rate = (r.events / r.ms) * 1000;
    const hand = rows.find((h) => h.query === r.query && h.runner.startsWith("hand"))!;
    const vsHand = r === hand ? "100%" : `${((hand.ms / r.ms) * 100).toFixed(0)}%`;
    const goal = r === hand ? "" : `${perSecond(r.query.goal)}${rate / r.p >= r.query.goal ? " ✓" : " ✗"}`;
    const flink = `${perSecond(r.query.flink[0])} / ${perSecond(r.query.flink[1])}`;
    lines.push(`| ${r.query.name} | ${r.runner} | ${r.p} | ${r.events.toLocaleString("en")} | ${(r.ms / 1000).toFixed(2)} s | ${perSecond(rate)} | ${perSecond(rate / r.p)} | ${vsHand} | ${goal} | ${flink} | ${mb(r.rss)} |`);
  }
  return [
    `Run ${new Date().toISOString().slice(0, 10)} on ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}; seed ${SEED}, 10M events/s of event time; each row the best of ${ROUNDS} runs.`,
    "",
    ...lines,
  ].join("\n");
}

if (import.meta.main) {
  const table = await nexmarkTable();
  console.log(table);
  writeSection("nexmark", table);
}
