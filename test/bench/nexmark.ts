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

/**
 * Event counts that take 3-5 s each at p=1. Shorter runs measure mostly the JIT: every slot
 * thread is its own JS engine and compiles the same code again (about 0.5-1 s of compiler
 * threads' CPU per slot), which at p=2 competes with both slot threads for the 2 cores. All
 * events of these runs lie in the first second of event time, so every window fires at the end.
 */
const QUERIES: Query[] = [
  { name: "q5", events: 2_500_000, goal: 100_000, flink: [22_000, 75_000] },
  { name: "q7", events: 6_000_000, goal: 50_000, flink: [12_300, 23_000] },
  { name: "q8", events: 12_000_000, goal: 200_000, flink: [146_000, 162_000] },
];

interface Row {
  query: Query;
  runner: string;
  p: number;
  events: number;
  ms: number;
  rss: number;
}

/** One more run of `cmd` into `row`: the best time and the largest RSS so far; `time` reads the time from the output. */
async function runInto(row: Row, cmd: string[], time: (stdout: string) => number): Promise<void> {
  const r = await measure(cmd);
  row.ms = Math.min(row.ms, time(r.stdout));
  row.rss = Math.max(row.rss, r.peakRss);
}

const perSecond = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} K/s`);

export async function nexmarkTable(): Promise<string> {
  const rows: Row[] = [];
  for (const query of QUERIES) {
    const events = Math.round(query.events * SCALE);
    const hand: Row = { query, runner: "hand loop, 1 thread", p: 1, events, ms: Infinity, rss: 0 };
    const jobs: Row[] = [1, 2].map((p) => ({ query, runner: "flinkts job", p, events, ms: Infinity, rss: 0 }));
    // rounds alternate the runners, so that load from elsewhere on the machine hits them alike
    for (let i = 0; i < ROUNDS; i++) {
      await runInto(hand, [bun, "test/bench/nexmark-hand.ts", query.name, String(events), String(SEED)], (o) => Number(/ms=(\d+)/.exec(o)![1]));
      for (const job of jobs)
        await runInto(job, [bun, "cli.ts", "run", "-p", String(job.p), `jobs/nexmark/${query.name}.ts`, String(events), String(job.p), String(SEED), "--discard"], netRuntime);
    }
    rows.push(hand, ...jobs);
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
