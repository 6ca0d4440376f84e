/**
 * jobs/tpch-like.ts end to end on a small scale: its report (per order priority, revenue and
 * line count, highest revenue first) against the same query computed in memory over the
 * job's own generator, at parallelism 1 and 2, with ample and with tiny managed memory.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCapturingClient } from "./dataset-job.ts";
import { TINY_MEMORY } from "./binary-cases.ts";

const JOB = join(import.meta.dir, "../../jobs/tpch-like.ts");
const SCALE = 0.05;

/** The report computed naively: the job's query over the generated tables. */
async function expectedReport(): Promise<string[]> {
  const { generate } = await import(JOB);
  const { orders, lines } = generate(SCALE) as ReturnType<typeof import("../../jobs/tpch-like.ts").generate>;
  const byKey = new Map(orders.map((o) => [o[0], o]));
  const totals = new Map<string, [number, number]>();
  for (const l of lines) {
    const o = byKey.get(l[0])!;
    if (l[5] <= o[2]) continue;
    const t = totals.get(o[3]) ?? [0, 0];
    t[0] += l[3] * (100 - l[4]);
    t[1]++;
    totals.set(o[3], t);
  }
  return [...totals].sort((a, b) => b[1][0] - a[1][0]).map(([p, [revenue, count]]) => `${p}|${(revenue / 10_000).toFixed(2)}|${count}`);
}

describe("jobs/tpch-like.ts", () => {
  const dir = mkdtempSync(join(tmpdir(), "flinkts-tpch-test-"));
  const VARIANTS: [string, number, Record<string, string>][] = [
    ["p=1", 1, {}],
    ["p=2", 2, {}],
    ["p=2, tiny memory", 2, TINY_MEMORY],
  ];
  test.each(VARIANTS)("%s: the report matches an in-memory computation", async (_name, parallelism, config) => {
    const run = await runCapturingClient(JOB, { parallelism, args: [String(SCALE), dir], config });
    const report = run.clientLines.filter((l) => /^\d-[A-Z ]+\|/.test(l));
    const expected = await expectedReport();
    expect(expected).toHaveLength(5);
    expect(report).toEqual(expected);
  }, 120_000);
});
