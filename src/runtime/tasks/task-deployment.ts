/** What the JobManager sends a slot to start one subtask: plain data, msgpack-able. */
import type { ChainedOperator, PartitionerKind } from "../jobgraph/job-graph.ts";

export interface ProducerRef {
  subtask: number;
  slot: number;
}

export interface TaskDeployment {
  jobId: string;
  vertexId: number;
  vertexName: string;
  subtaskIndex: number;
  parallelism: number;
  maxParallelism: number;
  attempt: number;
  bufferTimeoutMs: number;
  operators: ChainedOperator[];
  inputs: { edgeId: number; targetInput: 1 | 2; producers: ProducerRef[] }[];
  /** maxParallelism is the consumer's: hash partitioning assigns key groups by it. */
  outputs: { edgeId: number; blocking: boolean; partitioner: PartitionerKind; maxParallelism: number; consumers: ProducerRef[] }[];
  config: Record<string, string>;
}

/** Flink's ExecutionState. */
export type ExecutionState = "CREATED" | "SCHEDULED" | "DEPLOYING" | "RUNNING" | "FINISHED" | "CANCELING" | "CANCELED" | "FAILED";

export function isTerminal(s: ExecutionState): boolean {
  return s === "FINISHED" || s === "CANCELED" || s === "FAILED";
}
