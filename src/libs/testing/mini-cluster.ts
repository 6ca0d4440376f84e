/** Runs whole jobs inside a test, on the embedded local cluster (Flink's MiniClusterWithClientResource). */
import "../../cluster/module-plugin.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runJobFile } from "../../cluster/job-runner.ts";
import type { JobListener } from "../../cluster/job-master.ts";
import { Configuration, ConfigKeys } from "../../core/config.ts";

export interface MiniClusterResourceConfiguration {
  /** Slots of the embedded cluster (taskmanager.numberOfTaskSlots); the machine's cores when absent. */
  numberSlotsPerTaskManager?: number;
  /** Default parallelism of the jobs it runs. */
  parallelism?: number;
  /** More configuration, Flink's keys (e.g. "pipeline.max-parallelism"). */
  config?: Record<string, string>;
}

export interface JobRunResult {
  /** What the job printed (print sinks, System.out-like output), in arrival order. */
  stdout: string;
  stderr: string;
  /** stdout as lines, without the empty last one. */
  lines: string[];
  /** What the job's main() returned. */
  returned: unknown;
}

/**
 * A job file is a module whose default export is `main(args)` and which imports from "flinkts",
 * as for `flinkts run`. Each run starts a fresh embedded cluster in this process (slot threads
 * included) and shuts it down after main() returns; runs do not share state.
 */
export class MiniClusterWithClientResource {
  constructor(readonly configuration: MiniClusterResourceConfiguration = {}) {}

  /** Runs the job file to the end; rejects with the job's error if it fails. */
  async runJob(jobFile: string, args: string[] = []): Promise<JobRunResult> {
    let stdout = "";
    let stderr = "";
    const listener: JobListener = {
      onClientData: (_job, channel, payload) => {
        if (channel === "stderr") stderr += String(payload);
        else stdout += String(payload);
      },
    };
    const c = this.configuration;
    const config = new Configuration({ ...(c.config ?? {}), ...(c.numberSlotsPerTaskManager !== undefined ? { [ConfigKeys.numberOfTaskSlots]: String(c.numberSlotsPerTaskManager) } : {}) });
    const returned = await runJobFile({ jobFile, args, parallelism: c.parallelism, config, listener });
    return { stdout, stderr, lines: stdout.split("\n").filter((l) => l.length > 0), returned };
  }

  /** Writes `source` (the text of a job file) to a temporary folder and runs it. */
  runJobSource(source: string, args: string[] = []): Promise<JobRunResult> {
    const file = join(mkdtempSync(join(tmpdir(), "flinkts-minicluster-")), "job.ts");
    writeFileSync(file, source);
    return this.runJob(file, args);
  }
}
