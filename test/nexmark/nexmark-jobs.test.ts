/** jobs/nexmark q5, q7, q8 at p=1 and p=2 print exactly the oracle's answer on the same generated events. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { NexmarkGenerator } from "../../src/connectors/nexmark/index.ts";
import { parseLine } from "../datastream/support.ts";
import { runJob } from "../support/run-job.ts";
import { q5, q7, q8, sortRows } from "./oracle.ts";

const ROOT = join(import.meta.dir, "../..");
const ORACLES = { q5, q7, q8 };

/** (events, seed, events per second of event time): 40 s and 60 s of event time. */
const RUNS = [
  [200_000, 3, 5_000],
  [120_000, 11, 2_000],
] as const;

/** "(1735689600000,1200,816)" -> [1735689600000, 1200, 816]; names stay strings. */
function parseRow(value: string): (number | string)[] {
  expect(value).toMatch(/^\(.*\)$/);
  return value
    .slice(1, -1)
    .split(",")
    .map((f) => (/^-?\d+$/.test(f) ? Number(f) : f));
}

describe("Nexmark jobs match the oracle", () => {
  for (const [events, seed, rate] of RUNS) {
    const generator = new NexmarkGenerator({ seed, eventsPerSecond: rate });
    const all = Array.from({ length: events }, (_, n) => generator.event(n));
    for (const query of ["q5", "q7", "q8"] as const) {
      const expected = ORACLES[query](all);
      for (const p of [1, 2])
        test(`${query}, ${events} events at ${rate}/s, seed ${seed}, p=${p}`, async () => {
          expect(expected.length).toBeGreaterThanOrEqual(events / rate / 10);
          const run = await runJob(join(ROOT, `jobs/nexmark/${query}.ts`), { args: [String(events), String(p), String(seed), "--rate", String(rate)], parallelism: p });
          expect(run.stderr).toBe("");
          const rows = run.lines.map((l) => parseRow(parseLine(l).value));
          expect(sortRows(rows)).toEqual(expected as (number | string)[][]);
        }, 60_000);
    }
  }
});

describe("NexmarkSource in a job", () => {
  test.each([1, 2])("env.addSource(new NexmarkSource(...)) at p=%i: 2%% persons, 6%% auctions, 92%% bids, typed as events", async (p) => {
    const run = await runJob(
      `import { StreamExecutionEnvironment, NexmarkSource, Types } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const events = env.addSource(new NexmarkSource({ events: 5000, seed: 4 }));
  if (events.getType()?.kind !== "ROW") throw new Error("the source's type is not used");
  events.map((e) => [e.kind, 1, (e.person ?? e.auction ?? e.bid).dateTime], Types.TUPLE(Types.STRING, Types.LONG, Types.LONG)).keyBy(0).sum(1).print();
  await env.execute("nexmark kinds");
}
`,
      { parallelism: p },
    );
    expect(run.stderr).toBe("");
    const last = new Map<string, number>();
    for (const line of run.lines) {
      const [kind, count] = parseRow(parseLine(line).value) as [string, number];
      last.set(kind, Math.max(last.get(kind) ?? 0, count));
    }
    expect(Object.fromEntries(last)).toEqual({ person: 100, auction: 300, bid: 4600 });
  });
});
