/** ExecutionGraph: pipelined regions, pointwise and all-to-all wiring, slots, deployments and state transitions. */
import { describe, expect, test } from "bun:test";
import { ExecutionGraph } from "./execution-graph.ts";
import type { JobEdge, JobGraph, JobVertex, PartitionerKind, ResultType } from "../jobgraph/job-graph.ts";
import type { ExecutionState } from "../tasks/task-deployment.ts";

/** A job graph from parallelisms and edges [source, target, partitioner, result type]. */
function jobGraph(parallelisms: number[], edges: [number, number, PartitionerKind, ResultType?][]): JobGraph {
  const vertices: JobVertex[] = parallelisms.map((p, id) => ({
    id,
    name: `v${id}`,
    parallelism: p,
    maxParallelism: 128,
    slotSharingGroup: "default",
    operators: [{ id: id * 10, name: `op${id}`, kind: "map", outputType: "STRING", chainedOutputs: [], networkOutputs: [] }],
    inputEdges: [],
    outputEdges: [],
    isSource: false,
  }));
  const jobEdges: JobEdge[] = edges.map(([source, target, partitioner, resultType], id) => {
    vertices[source]!.outputEdges.push(id);
    vertices[target]!.inputEdges.push(id);
    return { id, source, target, sourceOperator: source * 10, targetInput: 1, partitioner, resultType: resultType ?? "pipelined", typeName: "STRING" };
  });
  for (const v of vertices) v.isSource = v.inputEdges.length === 0;
  return { jobId: "job", name: "test", runtimeMode: "STREAMING", maxParallelism: 128, bufferTimeoutMs: 100, vertices, edges: jobEdges, graphHash: "" };
}

const ids = (regions: JobVertex[][]) => regions.map((r) => r.map((v) => v.id).sort());
const finish = (eg: ExecutionGraph, vertex: number, subtasks: number[]) => {
  for (const i of subtasks) for (const s of ["SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED"] as const) expect(eg.transition(eg.execution(vertex, i), s)).toBe(true);
};

describe("pipelined regions", () => {
  test("a blocking edge splits the graph; the consumer's region waits for every producer to finish", () => {
    // v0 -> v1 pipelined, v1 => v2 blocking, v2 -> v3 pipelined
    const eg = new ExecutionGraph(jobGraph([2, 2, 3, 1], [[0, 1, "forward"], [1, 2, "hash", "blocking"], [2, 3, "rebalance"]]), 4, {});
    expect(ids(eg.takeSchedulableRegions())).toEqual([[0, 1]]);
    expect(eg.takeSchedulableRegions()).toEqual([]); // a region is handed out once
    finish(eg, 1, [0]);
    expect(eg.takeSchedulableRegions()).toEqual([]); // one of two producers finished
    eg.transition(eg.execution(1, 1), "SCHEDULED");
    eg.transition(eg.execution(1, 1), "DEPLOYING");
    eg.transition(eg.execution(1, 1), "RUNNING");
    expect(eg.takeSchedulableRegions()).toEqual([]);
    eg.transition(eg.execution(1, 1), "FINISHED");
    expect(ids(eg.takeSchedulableRegions())).toEqual([[2, 3]]);
    expect(eg.takeSchedulableRegions()).toEqual([]);
  });

  const cases: { name: string; parallelisms: number[]; edges: [number, number, PartitionerKind, ResultType?][]; first: number[][] }[] = [
    { name: "all pipelined: one region", parallelisms: [1, 2, 2], edges: [[0, 1, "rebalance"], [1, 2, "forward"]], first: [[0, 1, 2]] },
    { name: "two sources joined downstream: one region", parallelisms: [1, 1, 1], edges: [[0, 2, "hash"], [1, 2, "hash"]], first: [[0, 1, 2]] },
    { name: "two blocking inputs: sources first", parallelisms: [1, 1, 1], edges: [[0, 2, "hash", "blocking"], [1, 2, "hash", "blocking"]], first: [[0], [1]] },
    { name: "disconnected vertices: a region each", parallelisms: [1, 3], edges: [], first: [[0], [1]] },
  ];
  for (const { name, parallelisms, edges, first } of cases)
    test(name, () => {
      expect(ids(new ExecutionGraph(jobGraph(parallelisms, edges), 2, {}).takeSchedulableRegions())).toEqual(first);
    });

  test("a region with two blocking inputs waits for both producers", () => {
    const eg = new ExecutionGraph(jobGraph([1, 1, 1], [[0, 2, "hash", "blocking"], [1, 2, "hash", "blocking"]]), 2, {});
    eg.takeSchedulableRegions();
    finish(eg, 0, [0]);
    expect(eg.takeSchedulableRegions()).toEqual([]);
    finish(eg, 1, [0]);
    expect(ids(eg.takeSchedulableRegions())).toEqual([[2]]);
  });
});

describe("connectivity", () => {
  const pairs = (eg: ExecutionGraph, edge: JobEdge, pu: number) =>
    Array.from({ length: pu }, (_, i) => eg.consumersOf(edge, i).map((c) => `${i}->${c.subtask}`)).flat();

  const cases: { partitioner: PartitionerKind; pu: number; pc: number; expected: string[] }[] = [
    { partitioner: "forward", pu: 3, pc: 3, expected: ["0->0", "1->1", "2->2"] },
    { partitioner: "rescale", pu: 2, pc: 2, expected: ["0->0", "1->1"] },
    { partitioner: "rescale", pu: 4, pc: 2, expected: ["0->0", "1->0", "2->1", "3->1"] },
    { partitioner: "rescale", pu: 3, pc: 2, expected: ["0->0", "1->0", "2->1"] },
    { partitioner: "rescale", pu: 2, pc: 4, expected: ["0->0", "0->1", "1->2", "1->3"] },
    { partitioner: "rescale", pu: 2, pc: 5, expected: ["0->0", "0->1", "1->2", "1->3", "1->4"] },
    { partitioner: "rescale", pu: 1, pc: 3, expected: ["0->0", "0->1", "0->2"] },
    { partitioner: "rescale", pu: 5, pc: 1, expected: ["0->0", "1->0", "2->0", "3->0", "4->0"] },
    { partitioner: "hash", pu: 2, pc: 3, expected: ["0->0", "0->1", "0->2", "1->0", "1->1", "1->2"] },
    { partitioner: "rebalance", pu: 1, pc: 2, expected: ["0->0", "0->1"] },
    { partitioner: "broadcast", pu: 2, pc: 1, expected: ["0->0", "1->0"] },
    { partitioner: "shuffle", pu: 2, pc: 2, expected: ["0->0", "0->1", "1->0", "1->1"] },
    { partitioner: "global", pu: 3, pc: 1, expected: ["0->0", "1->0", "2->0"] },
    { partitioner: "custom", pu: 1, pc: 3, expected: ["0->0", "0->1", "0->2"] },
  ];
  for (const { partitioner, pu, pc, expected } of cases)
    test(`${partitioner} ${pu} -> ${pc}`, () => {
      const g = jobGraph([pu, pc], [[0, 1, partitioner]]);
      const eg = new ExecutionGraph(g, 2, {});
      const edge = g.edges[0]!;
      const forward = pairs(eg, edge, pu);
      expect(forward).toEqual(expected); // every pair exactly once
      // producersOf is the inverse of consumersOf
      const backward = Array.from({ length: pc }, (_, j) => eg.producersOf(edge, j).map((p) => `${p.subtask}->${j}`)).flat();
      expect(backward.sort()).toEqual([...forward].sort());
      for (let j = 0; j < pc; j++) expect(eg.producersOf(edge, j).length).toBeGreaterThan(0); // no consumer starves
    });
});

describe("slots and deployments", () => {
  test("subtask i runs in slot i mod slots, for every vertex", () => {
    const eg = new ExecutionGraph(jobGraph([5, 2, 1], [[0, 1, "rebalance"], [1, 2, "rebalance"]]), 3, {});
    expect(eg.executions.map((es) => es.map((e) => e.slot))).toEqual([[0, 1, 2, 0, 1], [0, 1], [0]]);
    expect(eg.all().length).toBe(8);
    expect(eg.all().every((e) => e.state === "CREATED")).toBe(true);
  });

  test("deploymentFor fills inputs and outputs with the right subtasks and slots", () => {
    const g = jobGraph([2, 4, 4], [[0, 1, "rescale"], [1, 2, "forward", "blocking"]]);
    g.vertices[1]!.outputEdges.push(2);
    g.edges.push({ id: 2, source: 1, target: 0, sourceOperator: 10, targetInput: 2, partitioner: "broadcast", resultType: "pipelined", typeName: "INT" });
    g.vertices[0]!.inputEdges.push(2);
    const eg = new ExecutionGraph(g, 3, { "k": "v" });
    const d = eg.deploymentFor(eg.execution(1, 3), 2);
    expect(d).toMatchObject({ jobId: "job", vertexId: 1, vertexName: "v1", subtaskIndex: 3, parallelism: 4, maxParallelism: 128, attempt: 2, bufferTimeoutMs: 100, config: { k: "v" } });
    expect(d.operators).toBe(g.vertices[1]!.operators);
    expect(d.inputs).toEqual([{ edgeId: 0, targetInput: 1, producers: [{ subtask: 1, slot: 1 }] }]);
    expect(d.outputs).toEqual([
      { edgeId: 1, blocking: true, partitioner: "forward", maxParallelism: 128, consumers: [{ subtask: 3, slot: 0 }] },
      { edgeId: 2, blocking: false, partitioner: "broadcast", maxParallelism: 128, consumers: [{ subtask: 0, slot: 0 }, { subtask: 1, slot: 1 }] },
    ]);
    const src = eg.deploymentFor(eg.execution(0, 0));
    expect(src.attempt).toBe(0);
    expect(src.inputs).toEqual([{ edgeId: 2, targetInput: 2, producers: [0, 1, 2, 3].map((i) => ({ subtask: i, slot: i % 3 })) }]);
    expect(src.outputs[0]!.consumers).toEqual([{ subtask: 0, slot: 0 }, { subtask: 1, slot: 1 }]);
  });

  test("execution of an unknown vertex or subtask is an internal error", () => {
    const eg = new ExecutionGraph(jobGraph([2], []), 1, {});
    expect(() => eg.execution(0, 2)).toThrow("no execution 0/2");
    expect(() => eg.execution(5, 0)).toThrow("no execution 5/0");
  });
});

describe("state transitions", () => {
  const cases: [from: ExecutionState[], to: ExecutionState, ok: boolean][] = [
    [[], "SCHEDULED", true],
    [[], "RUNNING", false],
    [[], "FINISHED", false],
    [[], "CREATED", false],
    [["SCHEDULED"], "RUNNING", false],
    [["SCHEDULED"], "SCHEDULED", false],
    [["SCHEDULED", "DEPLOYING"], "FINISHED", true],
    [["SCHEDULED", "DEPLOYING", "RUNNING"], "CREATED", false],
    [["SCHEDULED", "DEPLOYING", "RUNNING"], "CANCELING", true],
    [["SCHEDULED", "DEPLOYING", "RUNNING", "CANCELING"], "RUNNING", false],
    [["SCHEDULED", "DEPLOYING", "RUNNING", "CANCELING"], "CANCELED", true],
    [["SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED"], "FAILED", false],
    [["SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED"], "RUNNING", false],
    [["FAILED"], "RUNNING", false],
    [["CANCELED"], "SCHEDULED", false],
  ];
  for (const [path, to, ok] of cases)
    test(`CREATED -> ${[...path, to].join(" -> ")}: ${ok ? "allowed" : "refused"}`, () => {
      const eg = new ExecutionGraph(jobGraph([1], []), 1, {});
      const e = eg.execution(0, 0);
      for (const s of path) expect(eg.transition(e, s)).toBe(true);
      const before = e.state;
      expect(eg.transition(e, to)).toBe(ok);
      expect(e.state).toBe(ok ? to : before);
    });

  test("allTerminal and allFinished", () => {
    const eg = new ExecutionGraph(jobGraph([2], []), 1, {});
    finish(eg, 0, [0]);
    expect([eg.allTerminal(), eg.allFinished()]).toEqual([false, false]);
    eg.transition(eg.execution(0, 1), "FAILED");
    expect([eg.allTerminal(), eg.allFinished()]).toEqual([true, false]);
  });
});
