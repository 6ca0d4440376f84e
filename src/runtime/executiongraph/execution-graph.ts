/**
 * The ExecutionGraph: each JobVertex spread into one Execution per subtask, their states, the
 * slot each runs in, and the pipelined regions the scheduler deploys as units.
 *
 * Scheduling: a region is the set of vertices joined by pipelined edges; it is deployed when
 * every blocking result it reads is complete, so sources' regions go first and consumers of a
 * blocking result start only once their producers have finished.
 * Slots: subtask i of every vertex runs in slot i mod slots (slot sharing), so one slot can hold
 * a whole pipeline.
 */
import type { JobEdge, JobGraph, JobVertex } from "../jobgraph/job-graph.ts";
import type { ExecutionState, ProducerRef, TaskDeployment } from "../tasks/task-deployment.ts";
import { isTerminal } from "../tasks/task-deployment.ts";
import { InternalError } from "../../core/errors.ts";
import { ConfigKeys } from "../../core/config.ts";

export type JobStatus = "CREATED" | "RUNNING" | "FAILING" | "FAILED" | "CANCELLING" | "CANCELED" | "FINISHED";

export interface Execution {
  vertex: JobVertex;
  subtask: number;
  slot: number;
  state: ExecutionState;
  recordsIn: number;
  recordsOut: number;
}

interface Region {
  vertices: JobVertex[];
  scheduled: boolean;
}

const TRANSITIONS: Record<ExecutionState, ExecutionState[]> = {
  CREATED: ["SCHEDULED", "CANCELED", "FAILED"],
  SCHEDULED: ["DEPLOYING", "CANCELING", "CANCELED", "FAILED"],
  DEPLOYING: ["RUNNING", "FINISHED", "CANCELING", "CANCELED", "FAILED"],
  RUNNING: ["FINISHED", "CANCELING", "CANCELED", "FAILED"],
  CANCELING: ["CANCELED", "FINISHED", "FAILED"],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
};

export class ExecutionGraph {
  readonly executions: Execution[][] = [];
  private readonly regions: Region[];
  status: JobStatus = "CREATED";

  constructor(readonly jobGraph: JobGraph, readonly numSlots: number, private readonly config: Record<string, string>) {
    for (const v of jobGraph.vertices)
      this.executions[v.id] = Array.from({ length: v.parallelism }, (_, i) => ({ vertex: v, subtask: i, slot: i % numSlots, state: "CREATED" as ExecutionState, recordsIn: 0, recordsOut: 0 }));
    this.regions = computeRegions(jobGraph);
  }

  execution(vertexId: number, subtask: number): Execution {
    const e = this.executions[vertexId]?.[subtask];
    if (!e) throw new InternalError(`no execution ${vertexId}/${subtask}`);
    return e;
  }

  all(): Execution[] {
    return this.executions.flat();
  }

  /** Regions whose blocking inputs are complete and which are not yet deployed; marks them scheduled. */
  takeSchedulableRegions(): JobVertex[][] {
    const ready: JobVertex[][] = [];
    for (const r of this.regions) {
      if (r.scheduled) continue;
      const inputsDone = r.vertices.every((v) =>
        v.inputEdges.every((id) => {
          const e = this.jobGraph.edges[id]!;
          return e.resultType === "pipelined" || this.executions[e.source]!.every((x) => x.state === "FINISHED");
        }),
      );
      if (inputsDone) {
        r.scheduled = true;
        ready.push(r.vertices);
      }
    }
    return ready;
  }

  transition(e: Execution, to: ExecutionState): boolean {
    if (e.state === to) return false;
    if (!TRANSITIONS[e.state].includes(to)) return false;
    e.state = to;
    return true;
  }

  allTerminal(): boolean {
    return this.all().every((e) => isTerminal(e.state));
  }

  allFinished(): boolean {
    return this.all().every((e) => e.state === "FINISHED");
  }

  deploymentFor(e: Execution, attempt = 0): TaskDeployment {
    const g = this.jobGraph;
    const v = e.vertex;
    return {
      jobId: g.jobId,
      vertexId: v.id,
      vertexName: v.name,
      subtaskIndex: e.subtask,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      attempt,
      bufferTimeoutMs: g.bufferTimeoutMs,
      operators: v.operators,
      inputs: v.inputEdges.map((id) => {
        const edge = g.edges[id]!;
        return { edgeId: id, targetInput: edge.targetInput, producers: this.producersOf(edge, e.subtask) };
      }),
      outputs: v.outputEdges.map((id) => {
        const edge = g.edges[id]!;
        return {
          edgeId: id,
          blocking: edge.resultType === "blocking",
          partitioner: edge.partitioner,
          maxParallelism: g.vertices[edge.target]!.maxParallelism,
          consumers: this.consumersOf(edge, e.subtask),
        };
      }),
      config: { ...this.config, [ConfigKeys.numberOfTaskSlots]: String(this.numSlots) },
    };
  }

  /** Consumer subtasks that producer `i` of `edge` sends to (pointwise for forward and rescale). */
  consumersOf(edge: JobEdge, i: number): ProducerRef[] {
    const pu = this.jobGraph.vertices[edge.source]!.parallelism;
    const pc = this.jobGraph.vertices[edge.target]!.parallelism;
    const ref = (j: number) => ({ subtask: j, slot: this.executions[edge.target]![j]!.slot });
    if (edge.partitioner === "forward") return [ref(i)];
    if (edge.partitioner === "rescale") {
      if (pu >= pc) return [ref(Math.floor((i * pc) / pu))];
      const out: ProducerRef[] = [];
      for (let j = Math.floor((i * pc) / pu); j < Math.floor(((i + 1) * pc) / pu); j++) out.push(ref(j));
      return out;
    }
    return Array.from({ length: pc }, (_, j) => ref(j));
  }

  /** Producer subtasks that consumer `j` of `edge` reads from. */
  producersOf(edge: JobEdge, j: number): ProducerRef[] {
    const pu = this.jobGraph.vertices[edge.source]!.parallelism;
    const out: ProducerRef[] = [];
    for (let i = 0; i < pu; i++)
      if (this.consumersOf(edge, i).some((c) => c.subtask === j)) out.push({ subtask: i, slot: this.executions[edge.source]![i]!.slot });
    return out;
  }
}

/** Vertices joined by pipelined edges form a region (union-find). */
function computeRegions(g: JobGraph): Region[] {
  const parent = g.vertices.map((v) => v.id);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const e of g.edges) if (e.resultType === "pipelined") parent[find(e.source)] = find(e.target);
  const groups = new Map<number, JobVertex[]>();
  for (const v of g.vertices) {
    const root = find(v.id);
    groups.set(root, [...(groups.get(root) ?? []), v]);
  }
  return [...groups.values()].map((vertices) => ({ vertices, scheduled: false }));
}
