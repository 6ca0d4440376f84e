/**
 * StreamGraph: the physical operators of a program and the edges between them, with virtual
 * transformations resolved into edge properties (partitioner, side-output tag).
 */
import type { Transformation } from "./transformation.ts";
import type { PartitionerKind } from "../runtime/jobgraph/job-graph.ts";
import type { TypeInformation } from "../types/type-information.ts";
import { InvalidProgramError } from "../core/errors.ts";

export interface StreamNode {
  id: number;
  transformation: Transformation;
  parallelism: number;
  maxParallelism: number;
  inEdges: StreamEdge[];
  outEdges: StreamEdge[];
}

export interface StreamEdge {
  source: StreamNode;
  target: StreamNode;
  targetInput: 1 | 2;
  partitioner: PartitionerKind;
  /** True if the user chose the partitioner (keyBy, rebalance...), false if it is the default. */
  explicit: boolean;
  keySelector?: (value: unknown) => unknown;
  customPartitioner?: (key: unknown, n: number) => number;
  tag?: string;
  type: TypeInformation | undefined;
}

export interface StreamGraph {
  jobName: string;
  nodes: StreamNode[];
}

interface Upstream {
  node: StreamNode;
  partitioner?: PartitionerKind;
  keySelector?: (value: unknown) => unknown;
  customPartitioner?: (key: unknown, n: number) => number;
  tag?: string;
  type: TypeInformation | undefined;
}

export function buildStreamGraph(jobName: string, sinks: Transformation[], defaultParallelism: number, defaultMaxParallelism: number): StreamGraph {
  const nodes = new Map<number, StreamNode>();
  const all = collect(sinks);
  for (const t of all) {
    if (!t.isPhysical) continue;
    let parallelism = t.parallelism > 0 ? t.parallelism : defaultParallelism;
    const limit = t.props.maxParallelism;
    if (limit !== undefined && parallelism > limit) {
      if (t.parallelismSetByUser) throw new InvalidProgramError(`${t.name}: parallelism ${parallelism} is not supported; this source is non-parallel (at most ${limit})`);
      parallelism = limit;
    }
    const maxParallelism = t.maxParallelism > 0 ? t.maxParallelism : defaultMaxParallelism;
    if (parallelism > maxParallelism)
      throw new InvalidProgramError(`${t.name}: parallelism ${parallelism} exceeds the maximum parallelism ${maxParallelism}; raise it with setMaxParallelism`);
    nodes.set(t.id, { id: t.id, transformation: t, parallelism, maxParallelism, inEdges: [], outEdges: [] });
  }
  const resolve = (t: Transformation): Upstream[] => {
    if (t.isPhysical) return [{ node: nodes.get(t.id)!, type: t.outputType }];
    const ups = t.inputs.flatMap(resolve);
    if (t.kind === "partition") {
      // a partition without a partitioner (the optimizer chose "as the input is") keeps the input's
      if (t.props.partitioner === undefined) return ups;
      return ups.map((u) => ({ ...u, partitioner: t.props.partitioner, keySelector: t.props.partitionKeySelector, customPartitioner: t.props.customPartitioner }));
    }
    if (t.kind === "side-output") return ups.map((u) => ({ ...u, tag: t.props.sideOutputTag, type: t.outputType }));
    return ups; // union
  };
  for (const t of all) {
    if (!t.isPhysical) continue;
    const target = nodes.get(t.id)!;
    t.inputs.forEach((input, index) => {
      for (const up of resolve(input)) {
        const sameParallelism = up.node.parallelism === target.parallelism;
        const partitioner = up.partitioner ?? (sameParallelism ? "forward" : "rebalance");
        if (partitioner === "forward" && !sameParallelism)
          throw new InvalidProgramError(
            `forward partitioning does not allow a change of parallelism: '${up.node.transformation.name}' (${up.node.parallelism}) -> '${t.name}' (${target.parallelism}); use rebalance()`,
          );
        const edge: StreamEdge = {
          source: up.node,
          target,
          targetInput: t.kind === "two-input" ? ((index + 1) as 1 | 2) : 1,
          partitioner,
          explicit: up.partitioner !== undefined,
          keySelector: up.keySelector,
          customPartitioner: up.customPartitioner,
          tag: up.tag,
          type: up.type,
        };
        up.node.outEdges.push(edge);
        target.inEdges.push(edge);
      }
    });
  }
  return { jobName, nodes: [...nodes.values()].sort((a, b) => a.id - b.id) };
}

/** Every transformation reachable from the sinks, in id order. */
function collect(sinks: Transformation[]): Transformation[] {
  const seen = new Map<number, Transformation>();
  const visit = (t: Transformation) => {
    if (seen.has(t.id)) return;
    seen.set(t.id, t);
    t.inputs.forEach(visit);
  };
  sinks.forEach(visit);
  return [...seen.values()].sort((a, b) => a.id - b.id);
}
