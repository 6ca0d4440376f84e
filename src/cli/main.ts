/** Command definitions: run, info, and the cluster commands. */
import cac from "cac";
import "../cluster/module-plugin.ts";
import { runCommand } from "./run-command.ts";
import { infoCommand } from "./info-command.ts";
import { reportError } from "./report-error.ts";

/** Options of run/info that take a value, so the job file is the first token that is neither. */
const VALUE_OPTIONS = new Set(["-p", "--parallelism", "-D", "--config", "--managed-memory", "-m", "--jobmanager", "-s", "--from-savepoint"]);

/**
 * Splits `run`/`info` arguments at the job file: what follows belongs to the job verbatim
 * (`flinkts run job.ts --output x` passes `--output x` to main), as Flink's CLI does.
 */
export function splitJobArgs(argv: string[]): { ours: string[]; jobArgs: string[] } {
  if (argv[0] !== "run" && argv[0] !== "info") return { ours: argv, jobArgs: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { ours: argv.slice(0, i), jobArgs: argv.slice(i + 1) };
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) return { ours: argv.slice(0, i + 1), jobArgs: argv.slice(i + 1) };
  }
  return { ours: argv, jobArgs: [] };
}

export async function main(all: string[]): Promise<number> {
  const { ours: argv, jobArgs } = splitJobArgs(all);
  const cli = cac("flinkts");
  let action: Promise<number> | undefined;
  cli
    .command("run <job> [...args]", "Run a job file on an embedded local cluster")
    .option("-p, --parallelism <n>", "Default parallelism of the job")
    .option("-D <key=value>", "Configuration value (repeatable)")
    .option("--config <dir>", "Folder holding flinkts.yaml")
    .option("--managed-memory <size>", "Managed memory per TaskManager, e.g. 64mb")
    .option("-m, --jobmanager <host:port>", "Submit to a standalone cluster")
    .option("-d, --detached", "Do not wait for the job to finish")
    .option("-s, --from-savepoint <path>", "Restore the job from a savepoint")
    .allowUnknownOptions()
    .action((job: string, args: string[], options: Record<string, unknown>) => (action = runCommand(job, [...args, ...jobArgs], options)));
  cli
    .command("info <job> [...args]", "Print the job's plan (JobGraph)")
    .option("--json", "As JSON")
    .option("-p, --parallelism <n>", "Default parallelism of the job")
    .option("-D <key=value>", "Configuration value (repeatable)")
    .option("--config <dir>", "Folder holding flinkts.yaml")
    .action((job: string, args: string[], options: Record<string, unknown>) => (action = infoCommand(job, [...args, ...jobArgs], options)));
  for (const [name, what] of [
    ["list", "List running and finished jobs"],
    ["cancel <jobId>", "Cancel a running job"],
    ["stop <jobId>", "Stop a job with a savepoint"],
    ["savepoint <jobId> [dir]", "Trigger a savepoint"],
    ["cluster <action>", "Start or stop a standalone cluster (start | stop)"],
    ["jobmanager", "Run a JobManager in the foreground"],
    ["taskmanager", "Run a TaskManager in the foreground"],
  ] as const)
    cli
      .command(name, what)
      .allowUnknownOptions()
      .action(() => (action = Promise.resolve(reportError(new Error(`'${name.split(" ")[0]}' needs the standalone cluster, which this build does not have yet; use 'flinkts run job.ts'`)))));
  cli.help();
  cli.version("0.1.0");
  try {
    const parsed = cli.parse(["flinkts", "flinkts", ...argv], { run: true });
    if (action) return await action;
    if (parsed.options.help || parsed.options.version) return 0;
    if (cli.matchedCommand === undefined) {
      if (argv.length > 0) return reportError(new Error(`unknown command '${argv[0]}'; see 'flinkts --help'`));
      cli.outputHelp();
      return 0;
    }
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
