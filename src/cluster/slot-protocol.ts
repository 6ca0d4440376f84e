/** Messages between the TaskManager (main thread) and its slot threads. */
import type { TaskDeployment, ExecutionState } from "../runtime/tasks/task-deployment.ts";
import type { SerializedError } from "../core/errors.ts";
import type { AccumulatorSnapshot } from "../core/accumulators.ts";
import type { ExecutionResultData } from "../api/execution-context.ts";
import type { NondeterminismRecord } from "../api/replay.ts";
import type { JobBundle } from "./job-bundle.ts";
import type { JobGraph } from "../runtime/jobgraph/job-graph.ts";
import type { SlotLinksSetup } from "../runtime/network/slot-links.ts";

export interface JobSpec {
  jobId: string;
  bundle: JobBundle;
  args: string[];
  executionIndex: number;
  recorded: ExecutionResultData[];
  randoms: NondeterminismRecord;
  /** The client's JobGraph: the replay must build the same one. */
  jobGraph: JobGraph;
  defaults: { parallelism?: number; config: Record<string, string> };
}

export type ToSlot =
  | { t: "init"; slot: number; links: SlotLinksSetup }
  | { t: "job"; spec: JobSpec }
  | { t: "deploy"; deployment: TaskDeployment }
  | { t: "cancel"; jobId: string }
  | { t: "release"; jobId: string }
  /** The answer to a "split" request: the source's next split index. */
  | { t: "split"; request: number; index: number };

export type FromSlot =
  | { t: "ready"; slot: number }
  | { t: "state"; jobId: string; vertexId: number; subtask: number; state: ExecutionState; error?: SerializedError; accumulators?: Record<string, AccumulatorSnapshot>; in: number; out: number; spilledBytes?: number }
  | { t: "metrics"; tasks: { jobId: string; vertexId: number; subtask: number; in: number; out: number }[] }
  | { t: "client"; jobId: string; channel: string; payload: unknown }
  /** A source subtask asks for the next split index of its vertex (Flink's InputSplitProvider). */
  | { t: "split"; jobId: string; vertexId: number; slot: number; request: number };
