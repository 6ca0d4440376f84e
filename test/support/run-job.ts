/**
 * Runs a job in this test process, as `flinkts run` would, and returns what it printed.
 * `source` is the text of a job file (importing "flinkts"); it is written to a temp folder.
 */
import "../../src/cluster/module-plugin.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJobFile } from "../../src/cluster/job-runner.ts";
import { Configuration } from "../../src/core/config.ts";
import type { JobListener } from "../../src/cluster/job-master.ts";

export interface JobRun {
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the empty last one. */
  lines: string[];
  /** What main() returned in the client. */
  returned: unknown;
}

export function writeJob(source: string, name = "job.ts"): string {
  const dir = mkdtempSync(join(tmpdir(), "flinkts-test-"));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

export async function runJob(sourceOrFile: string, opts: { args?: string[]; parallelism?: number; config?: Record<string, string> } = {}): Promise<JobRun> {
  const file = sourceOrFile.includes("\n") ? writeJob(sourceOrFile) : sourceOrFile;
  let stdout = "";
  let stderr = "";
  const listener: JobListener = {
    onClientData: (_job, channel, payload) => {
      if (channel === "stderr") stderr += String(payload);
      else stdout += String(payload);
    },
  };
  const returned = await runJobFile({ jobFile: file, args: opts.args ?? [], parallelism: opts.parallelism, config: new Configuration(opts.config ?? {}), listener });
  return { stdout, stderr, lines: stdout.split("\n").filter((l) => l.length > 0), returned };
}
