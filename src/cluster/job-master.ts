/**
 * Runs one job on a set of slots: deploys regions as their inputs become ready, tracks every
 * execution's state, and turns the first failure into a job failure (cancelling the rest).
 *
 * Lifecycle: CREATED -> RUNNING -> FINISHED | FAILING -> FAILED | CANCELLING -> CANCELED.
 * The result promise settles once every execution is terminal, never before.
 */
import { ExecutionGraph, type JobStatus } from "../runtime/executiongraph/execution-graph.ts";
import type { JobGraph } from "../runtime/jobgraph/job-graph.ts";
import type { ExecutionState } from "../runtime/tasks/task-deployment.ts";
import { mergeAccumulators, type AccumulatorSnapshot } from "../core/accumulators.ts";
import { deserializeError, JobExecutionError, type SerializedError } from "../core/errors.ts";
import { engineNow } from "../core/clock.ts";
import type { ExecutionResultData } from "../api/execution-context.ts";
import type { ToSlot } from "./slot-protocol.ts";

export interface JobListener {
  onStatus?(job: JobMaster, status: JobStatus): void;
  onClientData?(job: JobMaster, channel: string, payload: unknown): void;
}

export class JobMaster {
  readonly graph: ExecutionGraph;
  private readonly accumulators: Record<string, AccumulatorSnapshot>[] = [];
  private readonly collected: Record<string, unknown[]> = {};
  private failure: SerializedError | undefined;
  /** Bytes written to spill files by all of the job's tasks, reported as they end. */
  spilledBytes = 0;
  private limitReached = false;
  /** Per source vertex: the next split index its subtasks claim (nextInputSplit). */
  private readonly splits = new Map<number, number>();
  private readonly startedAt = engineNow();
  finishedAt: number | undefined;
  readonly result: Promise<ExecutionResultData>;
  private settle!: { resolve: (r: ExecutionResultData) => void; reject: (e: Error) => void };

  constructor(
    readonly jobGraph: JobGraph,
    numSlots: number,
    config: Record<string, string>,
    private readonly send: (slot: number, m: ToSlot) => void,
    private readonly listener: JobListener,
    private readonly collectChannels: Set<string>,
    private readonly collectLimit?: number,
  ) {
    this.graph = new ExecutionGraph(jobGraph, numSlots, config);
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => {});
  }

  get status(): JobStatus {
    return this.graph.status;
  }

  get durationMs(): number {
    return (this.finishedAt ?? engineNow()) - this.startedAt;
  }

  start(): void {
    this.setStatus("RUNNING");
    this.scheduleReady();
  }

  cancel(): void {
    if (this.status !== "RUNNING") return;
    this.setStatus("CANCELLING");
    this.cancelAll();
  }

  /** The slots are gone (a crash): every execution still running is failed at once. */
  abort(error: SerializedError): void {
    this.fail(error);
    for (const e of this.graph.all()) if (e.state !== "FINISHED" && e.state !== "CANCELED" && e.state !== "FAILED") e.state = "FAILED";
    this.checkDone();
  }

  onTaskState(vertexId: number, subtask: number, state: ExecutionState, error?: SerializedError, accumulators?: Record<string, AccumulatorSnapshot>, spilledBytes = 0): void {
    const e = this.graph.execution(vertexId, subtask);
    // counted before the transition check: the bytes are the slot's, whatever this execution's state
    this.spilledBytes += spilledBytes;
    if (!this.graph.transition(e, state)) return;
    if (accumulators && Object.keys(accumulators).length > 0) this.accumulators.push(accumulators);
    if (state === "FAILED") this.fail(error ?? { name: "Error", message: `${e.vertex.name} (${subtask + 1}/${e.vertex.parallelism}) failed` });
    else if (state === "FINISHED" && this.status === "RUNNING") this.scheduleReady();
    this.checkDone();
  }

  /**
   * The next split index of source vertex `vertexId`: 0, 1, 2, ... over all of its subtasks, so
   * the subtasks that read faster read more splits (Flink's InputSplitAssigner; the sources know
   * what split i is).
   */
  nextInputSplit(vertexId: number): number {
    const index = this.splits.get(vertexId) ?? 0;
    this.splits.set(vertexId, index + 1);
    return index;
  }

  onMetrics(vertexId: number, subtask: number, recordsIn: number, recordsOut: number): void {
    const e = this.graph.execution(vertexId, subtask);
    e.recordsIn = recordsIn;
    e.recordsOut = recordsOut;
  }

  onClientData(channel: string, payload: unknown): void {
    if (this.collectChannels.has(channel)) {
      const list = (this.collected[channel] ??= []);
      for (const v of payload as unknown[]) list.push(v);
      if (this.collectLimit !== undefined && list.length >= this.collectLimit && this.status === "RUNNING") {
        // the client has all it asked for: stop the job, and count it as finished
        list.length = this.collectLimit;
        this.limitReached = true;
        this.setStatus("CANCELLING");
        this.cancelAll();
      }
    } else this.listener.onClientData?.(this, channel, payload);
  }

  private scheduleReady(): void {
    for (const region of this.graph.takeSchedulableRegions())
      for (const v of region)
        for (const e of this.graph.executions[v.id]!) {
          this.graph.transition(e, "SCHEDULED");
          this.graph.transition(e, "DEPLOYING");
          this.send(e.slot, { t: "deploy", deployment: this.graph.deploymentFor(e) });
        }
  }

  private fail(error: SerializedError): void {
    if (this.failure) return;
    this.failure = error;
    if (this.status === "RUNNING" || this.status === "CANCELLING") this.setStatus("FAILING");
    this.cancelAll();
  }

  private cancelAll(): void {
    for (const e of this.graph.all()) {
      if (e.state === "CREATED" || e.state === "SCHEDULED") this.graph.transition(e, "CANCELED");
      else if (e.state === "DEPLOYING" || e.state === "RUNNING") this.graph.transition(e, "CANCELING");
    }
    const slots = new Set(this.graph.all().map((e) => e.slot));
    for (const s of slots) this.send(s, { t: "cancel", jobId: this.jobGraph.jobId });
    this.checkDone();
  }

  private checkDone(): void {
    if (!this.graph.allTerminal() || this.finishedAt !== undefined) return;
    this.finishedAt = engineNow();
    if (this.failure) {
      this.setStatus("FAILED");
      const cause = deserializeError(this.failure);
      const err = new JobExecutionError(`Job '${this.jobGraph.name}' (${this.jobGraph.jobId}) failed: ${this.failure.message}`, { cause });
      if (this.failure.stack) err.stack = this.failure.stack;
      this.settle.reject(err);
    } else if (!this.limitReached && (this.status === "CANCELLING" || !this.graph.allFinished())) {
      this.setStatus("CANCELED");
      this.settle.reject(new JobExecutionError(`Job '${this.jobGraph.name}' (${this.jobGraph.jobId}) was cancelled`));
    } else {
      this.setStatus("FINISHED");
      this.settle.resolve({
        jobId: this.jobGraph.jobId,
        jobName: this.jobGraph.name,
        netRuntimeMs: this.durationMs,
        accumulators: Object.fromEntries(mergeAccumulators(this.accumulators)),
        collected: this.collected,
        spilledBytes: this.spilledBytes,
      });
    }
  }

  private setStatus(s: JobStatus): void {
    this.graph.status = s;
    this.listener.onStatus?.(this, s);
  }
}
