/** Every job in jobs/ runs to the end through the compiled binary (small inputs). */
import { describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { flinkts, ROOT, tempDir } from "./support/cli.ts";

function jobFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jobFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Arguments for jobs that need input; output paths go to a temp folder. */
const ARGS: Record<string, (tmp: string) => string[]> = {
  "jobs/bench/streaming-word-count-discard.ts": () => [join(ROOT, "fixtures/words.txt")],
  "jobs/bench/batch-word-count-discard.ts": () => [join(ROOT, "fixtures/words.txt")],
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
