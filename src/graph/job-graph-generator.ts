/**
 * StreamGraph -> JobGraph: chains operators that can run as one task (forward edge, same
 * parallelism, single input, chaining allowed), picks result types, and builds the table
 * through which tasks find their user code by id.
 */
import type { StreamEdge, StreamGraph, StreamNode } from "./stream-graph.ts";
import type { ChainedOperator, JobEdge, JobGraph, JobVertex, RuntimeMode } from "../runtime/jobgraph/job-graph.ts";
import type { EdgeUserCode, UserCodeTable } from "../runtime/tasks/user-code.ts";
import { GenericSerializer } from "../types/generic-serializer.ts";
import { InternalError } from "../core/errors.ts";

export interface JobGraphOptions {
  jobId: string;
  runtimeMode: RuntimeMode;
  /** Blocking shuffles (DataStream BATCH mode) or pipelined ones. */
  blockingShuffles: boolean;
  bufferTimeoutMs: number;
  maxParallelism: number;
  chainingEnabled: boolean;
}

export interface TranslatedJob {
  jobGraph: JobGraph;
  userCode: UserCodeTable;
  /** executeAndCollect(limit): once a collect channel has this many records the job is stopped. */
  collectLimit?: number;
}

export function isChainable(edge: StreamEdge, chainingEnabled: boolean): boolean {
  const up = edge.source.transformation;
  const down = edge.target.transformation;
  return (
    chainingEnabled &&
    edge.target.inEdges.length === 1 &&
    down.chaining === "ALWAYS" &&
    up.chaining !== "NEVER" &&
    edge.partitioner === "forward" &&
    edge.source.parallelism === edge.target.parallelism &&
    up.slotSharingGroup === down.slotSharingGroup
  );
}

export function generateJobGraph(graph: StreamGraph, opts: JobGraphOptions): TranslatedJob {
  const chainable = (e: StreamEdge) => isChainable(e, opts.chainingEnabled);
  const heads = graph.nodes.filter((n) => n.inEdges.length === 0 || n.inEdges.some((e) => !chainable(e)));
  const vertexOf = new Map<number, JobVertex>();
  const vertices: JobVertex[] = [];
  for (const head of heads) {
    const members: StreamNode[] = [];
    const walk = (n: StreamNode) => {
      members.push(n);
      for (const e of n.outEdges) if (chainable(e)) walk(e.target);
    };
    walk(head);
    const v: JobVertex = {
      id: vertices.length,
      name: members.map((m) => m.transformation.name).join(" -> "),
      parallelism: head.parallelism,
      maxParallelism: head.maxParallelism,
      slotSharingGroup: head.transformation.slotSharingGroup,
      operators: [],
      inputEdges: [],
      outputEdges: [],
      isSource: head.inEdges.length === 0,
    };
    vertices.push(v);
    for (const m of members) vertexOf.set(m.id, v);
    v.operators = members.map((m) => ({
      id: m.id,
      name: m.transformation.name,
      kind: m.transformation.operatorKind,
      uid: m.transformation.uid,
      outputType: m.transformation.outputType?.toString() ?? "GENERIC",
      chainedOutputs: [],
      networkOutputs: [],
      ...(m.transformation.props.managedMemoryWeight ? { managedMemoryWeight: m.transformation.props.managedMemoryWeight } : {}),
    }));
  }
  assignManagedMemoryFractions(vertices);

  const edges: JobEdge[] = [];
  const edgeCode: EdgeUserCode[] = [];
  for (const node of graph.nodes) {
    const v = vertexOf.get(node.id)!;
    const op = v.operators.find((o) => o.id === node.id)!;
    for (const e of node.outEdges) {
      if (chainable(e)) {
        op.chainedOutputs.push({ operator: v.operators.findIndex((o) => o.id === e.target.id), ...(e.tag ? { tag: e.tag } : {}) });
        continue;
      }
      const target = vertexOf.get(e.target.id)!;
      const je: JobEdge = {
        id: edges.length,
        source: v.id,
        target: target.id,
        sourceOperator: node.id,
        targetInput: e.targetInput,
        partitioner: e.partitioner,
        resultType: opts.blockingShuffles ? "blocking" : "pipelined",
        typeName: e.type?.toString() ?? "GENERIC",
      };
      edges.push(je);
      edgeCode.push({ serializer: e.type ? e.type.createSerializer() : new GenericSerializer(), keySelector: e.keySelector, customPartitioner: e.customPartitioner });
      op.networkOutputs.push({ edge: je.id, ...(e.tag ? { tag: e.tag } : {}) });
      v.outputEdges.push(je.id);
      target.inputEdges.push(je.id);
    }
  }

  const jobGraph: JobGraph = {
    jobId: opts.jobId,
    name: graph.jobName,
    runtimeMode: opts.runtimeMode,
    maxParallelism: opts.maxParallelism,
    bufferTimeoutMs: opts.bufferTimeoutMs,
    vertices,
    edges,
    graphHash: "",
  };
  jobGraph.graphHash = hashJobGraph(jobGraph);

  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const node = (id: number) => {
    const n = nodes.get(id);
    if (!n) throw new InternalError(`no stream node ${id} in this job`);
    return n;
  };
  const userCode: UserCodeTable = {
    createOperator(id) {
      const t = node(id).transformation;
      return t.props.createOperator!();
    },
    keySelector: (id) => node(id).transformation.props.keySelector,
    keySelector2: (id) => node(id).transformation.props.keySelector2,
    edge: (id) => edgeCode[id] ?? (() => { throw new InternalError(`no edge ${id} in this job`); })(),
  };
  return { jobGraph, userCode };
}

/** The structure that must be identical wherever main() is replayed. */
export function graphFingerprint(g: JobGraph): unknown[] {
  return g.vertices.map((v) => [
    v.parallelism,
    v.operators.map((o: ChainedOperator) => [o.id, o.kind, o.name, o.outputType, o.chainedOutputs, o.networkOutputs]),
    v.outputEdges.map((id) => [g.edges[id]!.target, g.edges[id]!.partitioner, g.edges[id]!.targetInput]),
  ]);
}

export function hashJobGraph(g: JobGraph): string {
  const text = JSON.stringify(graphFingerprint(g));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Names the first operator where two graphs differ, and what differs about it, for the mismatch error. */
export function firstDifference(client: JobGraph, replayed: JobGraph): string {
  const ops = (g: JobGraph) =>
    g.vertices.flatMap((v) =>
      v.operators.map((o) => ({
        name: o.name,
        facets: { id: o.id, kind: o.kind, name: o.name, parallelism: v.parallelism, type: o.outputType, outputs: o.chainedOutputs.length + o.networkOutputs.length } as Record<string, unknown>,
      })),
    );
  const a = ops(client);
  const b = ops(replayed);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x) return `the replay has an extra operator '${y!.name}'`;
    if (!y) return `the replay lacks operator '${x.name}'`;
    const facet = Object.keys(x.facets).find((k) => x.facets[k] !== y.facets[k]);
    if (facet === "name" || facet === "id" || facet === "kind") return `operator '${x.name}' in the client is '${y.name}' in the replay`;
    if (facet) return `operator '${x.name}' has ${facet} ${String(x.facets[facet])} in the client and ${String(y.facets[facet])} in the replay`;
  }
  return "the edges between operators differ";
}

/**
 * Splits a slot's managed memory among the operators that asked for it, by weight. Every slot
 * may hold one subtask of each vertex (one slot-sharing group), so the shares are of the whole job.
 */
function assignManagedMemoryFractions(vertices: JobVertex[]): void {
  let total = 0;
  for (const v of vertices) for (const o of v.operators) total += o.managedMemoryWeight ?? 0;
  if (total === 0) return;
  for (const v of vertices) for (const o of v.operators) if (o.managedMemoryWeight) o.managedMemoryFraction = o.managedMemoryWeight / total;
}
