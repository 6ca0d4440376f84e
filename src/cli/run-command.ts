/** `flinkts run`: runs a job file on the embedded local cluster with a live status line. */
import { runJobFile } from "../cluster/job-runner.ts";
import { loadConfiguration, parallelismOption } from "./options.ts";
import { StatusLine } from "./status-line.ts";
import { reportError } from "./report-error.ts";

export async function runCommand(job: string, args: string[], options: Record<string, unknown>): Promise<number> {
  if (options.jobmanager !== undefined) return reportError(new Error(`-m ${options.jobmanager}: submitting to a standalone cluster is not available in this build; omit -m to run locally`));
  if (options.detached) return reportError(new Error("-d: a detached job needs a standalone cluster to outlive this process (-m host:port), which this build does not have yet"));
  if (options.fromSavepoint !== undefined) return reportError(new Error(`-s ${options.fromSavepoint}: restoring from a savepoint needs checkpoints, which this build does not have yet`));
  const status = new StatusLine();
  try {
    const config = loadConfiguration(options);
    await runJobFile({ jobFile: job, args: args.map(String), parallelism: parallelismOption(options, config), config, listener: status });
    return 0;
  } catch (e) {
    status.stop();
    return reportError(e);
  }
}
