/**
 * Transformations: what the APIs record as a program is built. Physical ones become stream
 * nodes (operators); virtual ones (partition, union, side output) only shape the edges.
 */
import type { TypeInformation } from "../types/type-information.ts";
import type { AnyOperator } from "../runtime/operators/stream-operator.ts";
import type { PartitionerKind } from "../runtime/jobgraph/job-graph.ts";

export type ChainingStrategy = "ALWAYS" | "HEAD" | "NEVER";

export type TransformationKind = "source" | "one-input" | "two-input" | "sink" | "partition" | "union" | "side-output";

export interface TransformationProps {
  name: string;
  /** The operator's kind for the plan view and graph hash, e.g. "map". */
  operatorKind?: string;
  outputType?: TypeInformation;
  createOperator?: () => AnyOperator;
  /** Keyed operators: the key selector of their (first) input. */
  keySelector?: (value: unknown) => unknown;
  /** Keyed two-input operators: the key selector of the second input. */
  keySelector2?: (value: unknown) => unknown;
  partitioner?: PartitionerKind;
  partitionKeySelector?: (value: unknown) => unknown;
  customPartitioner?: (key: unknown, numPartitions: number) => number;
  sideOutputTag?: string;
  /** Sources that cannot run in parallel (collections, sockets) set 1. */
  maxParallelism?: number;
  parallelism?: number;
  /** The source ends by itself. */
  bounded?: boolean;
  /** Operators that sort, hash or cache in managed memory declare a weight; the slot's budget is split by weight. */
  managedMemoryWeight?: number;
}

export class Transformation {
  name: string;
  uid: string | undefined;
  parallelism: number;
  maxParallelism = -1;
  /** Set when the user called setParallelism: a non-parallel source refuses more than its limit. */
  parallelismSetByUser = false;
  outputType: TypeInformation | undefined;
  chaining: ChainingStrategy = "ALWAYS";
  slotSharingGroup = "default";
  readonly operatorKind: string;

  constructor(
    readonly id: number,
    /** Fixed once built, except that withBroadcastSet turns a one-input operator into a two-input one. */
    public kind: TransformationKind,
    readonly inputs: Transformation[],
    readonly props: TransformationProps,
  ) {
    this.name = props.name;
    this.outputType = props.outputType;
    this.parallelism = props.parallelism ?? -1;
    this.operatorKind = props.operatorKind ?? kind;
  }

  get isPhysical(): boolean {
    return this.kind === "source" || this.kind === "one-input" || this.kind === "two-input" || this.kind === "sink";
  }
}
