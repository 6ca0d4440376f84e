/**
 * Where execute() goes: the seam between the APIs and whatever runs jobs. The cluster layer
 * registers an executor (embedded local cluster, or a remote one). In plan-capture mode — a
 * worker replaying main() — executions before the target return the client's recorded results
 * and the target execution hands over its plan instead of running.
 */
import type { TranslatedJob } from "../graph/job-graph-generator.ts";
import { InternalError, JobExecutionError, UserError } from "../core/errors.ts";

/** What one execution produced, as plain data: recorded by the client, replayed in capture mode. */
export interface ExecutionResultData {
  jobId: string;
  jobName: string;
  netRuntimeMs: number;
  accumulators: Record<string, unknown>;
  /** Records sent to the client by collect sinks, by channel. */
  collected: Record<string, unknown[]>;
  /** Bytes the job wrote to spill files, summed over its slots (absent: none). */
  spilledBytes?: number;
  /** Set when the execution failed or was cancelled: a replay fails it with the same message. */
  failure?: { name: string; message: string };
}

export interface PlanExecutor {
  execute(job: TranslatedJob, collectChannels: string[]): Promise<ExecutionResultData>;
}

export interface JobHandle {
  jobId: string;
  result: Promise<ExecutionResultData>;
  cancel(): Promise<void>;
  status(): string;
}

export interface AsyncPlanExecutor extends PlanExecutor {
  submit(job: TranslatedJob, collectChannels: string[]): Promise<JobHandle>;
}

export type ExecutionMode =
  | { kind: "execute"; executor: AsyncPlanExecutor; recorded: ExecutionResultData[] }
  | { kind: "capture"; target: number; recorded: ExecutionResultData[]; onCapture(job: TranslatedJob, collectChannels: string[]): void };

interface Context {
  mode: ExecutionMode | undefined;
  /** Executions started so far by this program (execute, collect, count...). */
  executions: number;
  defaults: { parallelism?: number; config: Record<string, string> };
}

const context: Context = { mode: undefined, executions: 0, defaults: { config: {} } };

export function setExecutionMode(mode: ExecutionMode | undefined, defaults?: { parallelism?: number; config?: Record<string, string> }): void {
  context.mode = mode;
  context.executions = 0;
  context.defaults = { parallelism: defaults?.parallelism, config: defaults?.config ?? {} };
}

export function executionDefaults(): { parallelism?: number; config: Record<string, string> } {
  return context.defaults;
}

export function isCapturing(): boolean {
  return context.mode?.kind === "capture";
}

const never = new Promise<never>(() => {});

/**
 * Runs (or replays, or captures) one execution of the program. Every API call that executes
 * goes through here, so executions are numbered the same in the client and in every replay.
 */
export async function runExecution(job: TranslatedJob, collectChannels: string[]): Promise<ExecutionResultData> {
  const k = context.executions++;
  const mode = context.mode;
  if (!mode) throw notUnderFlinkts();
  if (mode.kind === "capture") {
    if (k < mode.target) {
      const r = mode.recorded[k];
      if (!r) throw new InternalError(`no recorded result for execution ${k}`);
      if (r.failure) throw replayedFailure(r.failure);
      return r;
    }
    if (k === mode.target) mode.onCapture(job, collectChannels);
    return never;
  }
  const recorded = mode.recorded;
  try {
    const result = await mode.executor.execute(job, collectChannels);
    recorded[k] = result;
    return result;
  } catch (e) {
    recorded[k] = failureRecord(job, e);
    throw e;
  }
}

/** Submits without waiting (executeAsync); the result is recorded when it arrives. */
export async function submitExecution(job: TranslatedJob, collectChannels: string[]): Promise<JobHandle> {
  const k = context.executions++;
  const mode = context.mode;
  if (!mode) throw notUnderFlinkts();
  if (mode.kind === "capture") {
    if (k === mode.target) mode.onCapture(job, collectChannels);
    const recorded = mode.recorded[k];
    // an execution the client saw fail fails here too, rather than never settling
    const result = !recorded ? never : recorded.failure ? Promise.reject(replayedFailure(recorded.failure)) : Promise.resolve(recorded);
    result.catch(() => {});
    return { jobId: recorded?.jobId ?? job.jobGraph.jobId, result, cancel: async () => {}, status: () => (recorded?.failure ? "FAILED" : "FINISHED") };
  }
  const handle = await mode.executor.submit(job, collectChannels);
  const recorded = mode.recorded;
  handle.result.then(
    (r) => (recorded[k] = r),
    (e) => (recorded[k] = failureRecord(job, e)),
  );
  return handle;
}

function failureRecord(job: TranslatedJob, e: unknown): ExecutionResultData {
  const failure = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
  return { jobId: job.jobGraph.jobId, jobName: job.jobGraph.name, netRuntimeMs: 0, accumulators: {}, collected: {}, failure };
}

function replayedFailure(f: { name: string; message: string }): Error {
  const e = new JobExecutionError(f.message);
  e.name = f.name;
  return e;
}

/** The results recorded so far in execute mode (shipped to workers with the next execution). */
export function recordedResults(): ExecutionResultData[] {
  return context.mode?.kind === "execute" ? context.mode.recorded : [];
}

/** The index the next execution will get. */
export function nextExecutionIndex(): number {
  return context.executions;
}

/** execute() outside `flinkts run`: there is no cluster to run on, and no bundle to ship. */
function notUnderFlinkts(): UserError {
  return new UserError("execute() needs a cluster: run the job with 'flinkts run job.ts' (or 'bun cli.ts run job.ts')");
}
