/** `flinkts info`: prints the JobGraph of the job's first execution, as text or JSON, without running it. */
import { bundleJob } from "../cluster/job-bundle.ts";
import { capturePlan } from "../cluster/plan-capture.ts";
import { loadConfiguration, parallelismOption } from "./options.ts";
import { formatJobGraph } from "./plan-text.ts";
import { reportError } from "./report-error.ts";

export async function infoCommand(job: string, args: string[], options: Record<string, unknown>): Promise<number> {
  try {
    const config = loadConfiguration(options);
    const bundle = await bundleJob(job);
    const captured = await capturePlan({
      bundle,
      args: args.map(String),
      target: 0,
      recorded: [],
      randoms: { now: [], random: [], uuid: [] },
      defaults: { parallelism: parallelismOption(options, config), config: config.toObject() },
    });
    const graph = captured.job.jobGraph;
    process.stdout.write(options.json ? JSON.stringify(graph, null, 2) + "\n" : formatJobGraph(graph));
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
