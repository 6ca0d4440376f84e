/**
 * Runs executions of one job program on the embedded local cluster: ships the bundle, the
 * arguments, the results of earlier executions and the recorded nondeterministic values, so
 * every slot's replay of main() builds the same graph.
 */
import type { AsyncPlanExecutor, ExecutionResultData, JobHandle } from "../api/execution-context.ts";
import { recordedResults, nextExecutionIndex } from "../api/execution-context.ts";
import type { NondeterminismRecord } from "../api/replay.ts";
import type { TranslatedJob } from "../graph/job-graph-generator.ts";
import type { JobBundle } from "./job-bundle.ts";
import { LocalCluster } from "./local-cluster.ts";
import type { JobListener } from "./job-master.ts";

export interface LocalExecutorOptions {
  bundle: JobBundle;
  args: string[];
  randoms: NondeterminismRecord;
  defaults: { parallelism?: number; config: Record<string, string> };
  slots: number;
  listener?: JobListener;
}

export class LocalExecutor implements AsyncPlanExecutor {
  readonly cluster: LocalCluster;

  constructor(private readonly opts: LocalExecutorOptions) {
    this.cluster = new LocalCluster(opts.slots);
  }

  async execute(job: TranslatedJob, collectChannels: string[]): Promise<ExecutionResultData> {
    return (await this.submit(job, collectChannels)).result;
  }

  async submit(job: TranslatedJob, collectChannels: string[]): Promise<JobHandle> {
    const r = this.opts.randoms;
    const master = await this.cluster.submit(
      {
        bundle: this.opts.bundle,
        args: this.opts.args,
        // this execution already took its number: the replay must stop at it
        executionIndex: nextExecutionIndex() - 1,
        recorded: [...recordedResults()],
        randoms: { now: [...r.now], random: [...r.random], uuid: [...r.uuid] },
        jobGraph: job.jobGraph,
        defaults: this.opts.defaults,
      },
      this.opts.defaults.config,
      this.opts.listener ?? {},
      collectChannels,
      job.collectLimit,
    );
    return {
      jobId: job.jobGraph.jobId,
      result: master.result,
      cancel: async () => {
        master.cancel();
        await master.result.catch(() => {});
      },
      status: () => master.status,
    };
  }

  shutdown(): void {
    this.cluster.shutdown();
  }
}
