/** What execute() returns: the job id, its net runtime, the merged accumulators and the bytes it spilled. */
import type { ExecutionResultData, JobHandle } from "./execution-context.ts";

export class JobExecutionResult {
  constructor(private readonly data: ExecutionResultData) {}
  getJobID(): string {
    return this.data.jobId;
  }
  /** Net runtime in milliseconds (or in the given unit: "ms" | "s"). */
  getNetRuntime(unit: "ms" | "s" = "ms"): number {
    return unit === "s" ? Math.floor(this.data.netRuntimeMs / 1000) : this.data.netRuntimeMs;
  }
  /**
   * Bytes the job wrote to disk because they did not fit in memory: sort runs and merges, hash
   * join partitions, cross blocks, blocking and held-back pipelined results; summed over every
   * slot. 0 when it all fit.
   */
  getSpilledBytes(): number {
    return this.data.spilledBytes ?? 0;
  }
  getAccumulatorResult<T = unknown>(name: string): T {
    return this.data.accumulators[name] as T;
  }
  getAllAccumulatorResults(): Record<string, unknown> {
    return { ...this.data.accumulators };
  }
  toString(): string {
    return `JobExecutionResult{jobId=${this.data.jobId}, netRuntime=${this.data.netRuntimeMs} ms}`;
  }
}

/** What executeAsync() returns: a handle on the running job. */
export class JobClient {
  constructor(private readonly handle: JobHandle) {}
  getJobID(): string {
    return this.handle.jobId;
  }
  getJobStatus(): Promise<string> {
    return Promise.resolve(this.handle.status());
  }
  cancel(): Promise<void> {
    return this.handle.cancel();
  }
  async getJobExecutionResult(): Promise<JobExecutionResult> {
    return new JobExecutionResult(await this.handle.result);
  }
}
