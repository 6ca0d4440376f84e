/**
 * The JobGraph: the one contract between client and cluster, as plain data (msgpack-able).
 *
 * Vertices are operator chains with a parallelism; edges are intermediate results with a
 * partitioning and a result type. User functions are never in here: each process rebuilds them
 * by replaying the job's main() and looks them up by operator id (see UserCodeTable).
 */

export type PartitionerKind = "forward" | "hash" | "rebalance" | "rescale" | "shuffle" | "broadcast" | "global" | "custom";

/** Pipelined results stream to consumers running at the same time; blocking ones are complete before consumers start. */
export type ResultType = "pipelined" | "blocking";

export type RuntimeMode = "STREAMING" | "BATCH";

export interface JobGraph {
  jobId: string;
  name: string;
  runtimeMode: RuntimeMode;
  maxParallelism: number;
  bufferTimeoutMs: number;
  vertices: JobVertex[];
  edges: JobEdge[];
  /** Hash of the structure, compared between client and every process that replays main(). */
  graphHash: string;
}

export interface JobVertex {
  id: number;
  name: string;
  parallelism: number;
  maxParallelism: number;
  slotSharingGroup: string;
  /** The chain in topological order; operators[0] is the head, the only one fed by the network. */
  operators: ChainedOperator[];
  inputEdges: number[];
  outputEdges: number[];
  isSource: boolean;
}

export interface ChainedOperator {
  /** The stream node id: stable for a given program, the key into the UserCodeTable. */
  id: number;
  name: string;
  /** The operator's kind, e.g. "map", "keyed-reduce", "source". */
  kind: string;
  uid?: string;
  /** Display form of the element type this operator emits. */
  outputType: string;
  /** Outputs inside the chain: index into `operators`, optional side-output tag, and target input (1 or 2). */
  chainedOutputs: { operator: number; tag?: string }[];
  /** Outputs leaving the chain: edge ids, with an optional side-output tag. */
  networkOutputs: { edge: number; tag?: string }[];
  /** Operators that sort, hash or cache: their weight, and their share of the slot's managed memory (set by the generator). */
  managedMemoryWeight?: number;
  managedMemoryFraction?: number;
  /** DataSet jobs: what the optimizer chose and estimated (shown by getExecutionPlan and `flinkts info`). */
  optimizer?: OptimizerAnnotation;
}

/** The optimizer's choices for one operator: how each input is shipped, its local strategy, its estimated output. */
export interface OptimizerAnnotation {
  ship: string[];
  local?: string;
  rows?: number;
  bytes?: number;
}

export interface JobEdge {
  id: number;
  source: number;
  target: number;
  /** Stream node that emits into this edge (one of the source vertex's chain). */
  sourceOperator: number;
  /** Which input of the target chain's head this edge feeds: 1, or 2 for two-input operators. */
  targetInput: 1 | 2;
  partitioner: PartitionerKind;
  resultType: ResultType;
  /** Display form of the element type on the wire. */
  typeName: string;
}
