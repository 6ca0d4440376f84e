/**
 * Runs a job file the way `flinkts run` does: bundle it, run its main() in the client while
 * recording nondeterministic values, and execute each execution on an embedded local cluster.
 */
import { bundleJob, loadJobMain } from "./job-bundle.ts";
import { LocalExecutor } from "./local-executor.ts";
import type { JobListener } from "./job-master.ts";
import { setExecutionMode } from "../api/execution-context.ts";
import { startRecording } from "../api/replay.ts";
import { FlinkError, JobExecutionError, UserError } from "../core/errors.ts";
import { Configuration, ConfigKeys } from "../core/config.ts";
import { relative } from "node:path";

export interface RunOptions {
  jobFile: string;
  args: string[];
  parallelism?: number;
  config: Configuration;
  listener?: JobListener;
}

/** Runs the job's main() to the end; returns what main returned. */
export async function runJobFile(opts: RunOptions): Promise<unknown> {
  const bundle = await bundleJob(opts.jobFile);
  const main = await loadJobMain(bundle);
  const defaults = { parallelism: opts.parallelism, config: opts.config.toObject() };
  const cores = navigator.hardwareConcurrency || 1;
  const slots = opts.config.getInt(ConfigKeys.numberOfTaskSlots, cores);
  const recording = startRecording();
  const executor = new LocalExecutor({ bundle, args: opts.args, randoms: recording.record, defaults, slots, listener: opts.listener });
  setExecutionMode({ kind: "execute", executor, recorded: [] }, defaults);
  try {
    return await main(opts.args);
  } catch (e) {
    if (e instanceof FlinkError) throw e;
    throw new UserError(`${opts.jobFile}: main() threw: ${describeUserThrow(e, bundle.path, opts.jobFile)}`, { cause: e });
  } finally {
    recording.stop();
    setExecutionMode(undefined);
    executor.shutdown();
  }
}

/** The user's message and, when the stack has one, the line in their file. */
function describeUserThrow(e: unknown, bundlePath: string, jobFile: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error ? e.stack ?? "" : "";
  const line = stack.split("\n").find((l) => l.includes(bundlePath) || l.includes(jobFile));
  const at = line ? /([^\s(]+:\d+:\d+)\)?$/.exec(line.trim())?.[1] : undefined;
  return at ? `${message} (at ${relative(process.cwd(), at)})` : message;
}

export { JobExecutionError };
