/** Every job in jobs/ runs to the end through the compiled binary (small inputs). */
import { describe, expect, test } from "bun:test";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { flinkts, ROOT, tempDir } from "./support/cli.ts";

function jobFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jobFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Small orders(okey, custkey, prio) and lineitem(okey, qty, price) tables, as test/bench/data-gen.ts writes them. */
function csvTables(tmp: string): { orders: string; lineitem: string } {
  const orders = join(tmp, "orders.csv");
  const lineitem = join(tmp, "lineitem.csv");
  writeFileSync(orders, Array.from({ length: 50 }, (_, i) => `${i},${i % 7},${1 + (i % 5)}\n`).join(""));
  writeFileSync(lineitem, Array.from({ length: 400 }, (_, i) => `${(i * 13) % 60},${1 + (i % 50)},${(i * 1.25).toFixed(2)}\n`).join(""));
  return { orders, lineitem };
}

/** Arguments for jobs that need input; output paths go to a temp folder. */
const ARGS: Record<string, (tmp: string) => string[]> = {
  "jobs/bench/streaming-word-count-discard.ts": () => [join(ROOT, "fixtures/words.txt")],
  "jobs/bench/batch-word-count-discard.ts": () => [join(ROOT, "fixtures/words.txt")],
  "jobs/bench/csv-join.ts": (tmp) => Object.values(csvTables(tmp)),
  "jobs/bench/csv-group-by.ts": (tmp) => [csvTables(tmp).lineitem],
  "jobs/external-sort.ts": (tmp) => [join(ROOT, "fixtures/words.txt"), join(tmp, "sorted"), "--range"],
  "jobs/sensor-alerts.ts": () => ["300"],
};

describe("jobs/", () => {
  const files = jobFiles(join(ROOT, "jobs")).map((f) => relative(ROOT, f));
  test("there are example jobs", () => expect(files.length).toBeGreaterThanOrEqual(3));
  test.each(files)("%s", async (file) => {
    const tmp = tempDir();
    const r = await flinkts(["run", "-p", "2", join(ROOT, file), ...(ARGS[file]?.(tmp) ?? [])], ROOT, 120_000);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/FINISHED/);
  }, 120_000);
});
