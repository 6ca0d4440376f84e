/** Transformations -> StreamGraph -> JobGraph: chaining rules, edges, result types and the graph hash. */
import { describe, expect, test } from "bun:test";
import { Transformation, type ChainingStrategy, type TransformationKind, type TransformationProps } from "./transformation.ts";
import { buildStreamGraph } from "./stream-graph.ts";
import { firstDifference, generateJobGraph, type JobGraphOptions } from "./job-graph-generator.ts";
import { InvalidProgramError, InternalError } from "../core/errors.ts";
import type { JobGraph, PartitionerKind } from "../runtime/jobgraph/job-graph.ts";
import { Types } from "../types/types.ts";

interface Extra {
  parallelism?: number;
  chaining?: ChainingStrategy;
  group?: string;
  props?: Partial<TransformationProps>;
}

/** Builds transformations the way the API does, with ids in creation order. */
function program() {
  let nextId = 1;
  const make = (kind: TransformationKind, name: string, inputs: Transformation[], x: Extra = {}) => {
    const t = new Transformation(nextId++, kind, inputs, { name, createOperator: () => ({}) as any, outputType: Types.STRING, ...x.props });
    if (x.parallelism) t.parallelism = x.parallelism;
    if (x.chaining) t.chaining = x.chaining;
    if (x.group) t.slotSharingGroup = x.group;
    return t;
  };
  return {
    source: (name: string, x?: Extra) => make("source", name, [], x),
    map: (name: string, input: Transformation, x?: Extra) => make("one-input", name, [input], x),
    sink: (name: string, input: Transformation, x?: Extra) => make("sink", name, [input], x),
    join: (name: string, a: Transformation, b: Transformation, x?: Extra) => make("two-input", name, [a, b], x),
    partition: (input: Transformation, partitioner: PartitionerKind) =>
      make("partition", partitioner, [input], { props: { partitioner, partitionKeySelector: partitioner === "hash" ? (v) => v : undefined } }),
    union: (...inputs: Transformation[]) => make("union", "union", inputs),
    side: (input: Transformation, tag: string) => make("side-output", tag, [input], { props: { sideOutputTag: tag, outputType: Types.INT } }),
  };
}
type P = ReturnType<typeof program>;

const OPTS: JobGraphOptions = { jobId: "j", runtimeMode: "STREAMING", blockingShuffles: false, bufferTimeoutMs: 100, maxParallelism: 128, chainingEnabled: true };
const translate = (sinks: Transformation[], opts: Partial<JobGraphOptions> = {}, parallelism = 2) =>
  generateJobGraph(buildStreamGraph("job", sinks, parallelism, 128), { ...OPTS, ...opts });
const chains = (g: JobGraph) => g.vertices.map((v) => v.operators.map((o) => o.name));
const edges = (g: JobGraph) => g.edges.map((e) => `${e.source}->${e.target} ${e.partitioner}${e.targetInput === 2 ? " (2)" : ""}`);

describe("chaining", () => {
  const cases: { name: string; build: (p: P) => Transformation[]; chains: string[][]; edges: string[] }[] = [
    {
      name: "forward with the same parallelism chains",
      build: (p) => [p.sink("sink", p.map("map", p.source("src")))],
      chains: [["src", "map", "sink"]],
      edges: [],
    },
    {
      name: "a change of parallelism breaks the chain with a rebalance",
      build: (p) => [p.sink("sink", p.map("map", p.source("src", { parallelism: 1 })))],
      chains: [["src"], ["map", "sink"]],
      edges: ["0->1 rebalance"],
    },
    {
      name: "keyBy breaks the chain",
      build: (p) => [p.sink("sink", p.map("reduce", p.partition(p.source("src"), "hash")))],
      chains: [["src"], ["reduce", "sink"]],
      edges: ["0->1 hash"],
    },
    {
      name: "an explicit rebalance with the same parallelism breaks the chain",
      build: (p) => [p.sink("sink", p.partition(p.map("map", p.source("src")), "rebalance"))],
      chains: [["src", "map"], ["sink"]],
      edges: ["0->1 rebalance"],
    },
    {
      name: "an explicit forward with the same parallelism chains",
      build: (p) => [p.sink("sink", p.partition(p.source("src"), "forward"))],
      chains: [["src", "sink"]],
      edges: [],
    },
    {
      name: "NEVER (disableChaining) stands alone",
      build: (p) => [p.sink("sink", p.map("map", p.source("src"), { chaining: "NEVER" }))],
      chains: [["src"], ["map"], ["sink"]],
      edges: ["0->1 forward", "1->2 forward"],
    },
    {
      name: "HEAD (startNewChain) starts a chain that continues",
      build: (p) => [p.sink("sink", p.map("map", p.source("src"), { chaining: "HEAD" }))],
      chains: [["src"], ["map", "sink"]],
      edges: ["0->1 forward"],
    },
    {
      name: "another slot sharing group does not chain",
      build: (p) => [p.sink("sink", p.map("map", p.source("src"), { group: "g" }))],
      chains: [["src"], ["map"], ["sink"]],
      edges: ["0->1 forward", "1->2 forward"],
    },
    {
      name: "the same non-default group chains within itself",
      build: (p) => [p.sink("sink", p.map("map", p.source("src"), { group: "g" }), { group: "g" })],
      chains: [["src"], ["map", "sink"]],
      edges: ["0->1 forward"],
    },
    {
      name: "two inputs (union) make a head",
      build: (p) => [p.sink("sink", p.map("map", p.union(p.source("a"), p.source("b"))))],
      chains: [["a"], ["b"], ["map", "sink"]],
      edges: ["0->2 forward", "1->2 forward"],
    },
    {
      name: "a two-input operator is a head, fed on inputs 1 and 2",
      build: (p) => [p.sink("sink", p.join("join", p.source("a"), p.partition(p.source("b"), "hash")))],
      chains: [["a"], ["b"], ["join", "sink"]],
      edges: ["0->2 forward", "1->2 hash (2)"],
    },
    {
      name: "fan-out: both branches chain to the source",
      build: (p) => {
        const s = p.source("src");
        return [p.sink("s1", p.map("m1", s)), p.sink("s2", p.map("m2", s, { parallelism: 3 }), { parallelism: 3 })];
      },
      chains: [["src", "m1", "s1"], ["m2", "s2"]],
      edges: ["0->1 rebalance"],
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const { jobGraph } = translate(c.build(program()));
      expect(chains(jobGraph)).toEqual(c.chains);
      expect(edges(jobGraph)).toEqual(c.edges);
      for (const e of jobGraph.edges) {
        expect(jobGraph.vertices[e.source]!.outputEdges).toContain(e.id);
        expect(jobGraph.vertices[e.target]!.inputEdges).toContain(e.id);
      }
      expect(jobGraph.vertices.map((v) => v.isSource)).toEqual(jobGraph.vertices.map((v) => v.inputEdges.length === 0));
    });

  test("chaining disabled: one vertex per operator", () => {
    const p = program();
    const { jobGraph } = translate([p.sink("sink", p.map("map", p.source("src")))], { chainingEnabled: false });
    expect(chains(jobGraph)).toEqual([["src"], ["map"], ["sink"]]);
  });

  test("forward with a change of parallelism throws, naming both operators", () => {
    const p = program();
    const sinks = [p.sink("sink", p.partition(p.source("numbers", { parallelism: 1 }), "forward"), { parallelism: 3 })];
    expect(() => translate(sinks)).toThrow(InvalidProgramError);
    expect(() => translate(sinks)).toThrow("forward partitioning does not allow a change of parallelism: 'numbers' (1) -> 'sink' (3)");
  });
});

describe("edges and results", () => {
  test("side outputs keep their tags, chained or over the network", () => {
    const p = program();
    const proc = p.map("process", p.source("src"));
    const sinks = [p.sink("main", proc), p.sink("late", p.side(proc, "late")), p.sink("wide", p.side(proc, "wide"), { parallelism: 4 })];
    const { jobGraph, userCode } = translate(sinks);
    expect(chains(jobGraph)).toEqual([["src", "process", "main", "late"], ["wide"]]);
    const op = jobGraph.vertices[0]!.operators[1]!;
    expect(op.chainedOutputs).toEqual([{ operator: 2 }, { operator: 3, tag: "late" }]);
    expect(op.networkOutputs).toEqual([{ edge: 0, tag: "wide" }]);
    expect(jobGraph.edges[0]).toMatchObject({ sourceOperator: op.id, partitioner: "rebalance", typeName: "INT" });
    expect(userCode.edge(0).serializer).toBeDefined();
  });

  for (const blockingShuffles of [false, true])
    test(`blockingShuffles ${blockingShuffles}: every edge is ${blockingShuffles ? "blocking" : "pipelined"}`, () => {
      const p = program();
      const { jobGraph } = translate([p.sink("sink", p.map("m", p.partition(p.source("src"), "hash")), { parallelism: 1 })], { blockingShuffles });
      expect(jobGraph.edges.map((e) => e.resultType)).toEqual(Array(2).fill(blockingShuffles ? "blocking" : "pipelined"));
    });

  test("the user code table finds operators, key selectors and edges by id", () => {
    const p = program();
    const key = (v: unknown) => v;
    const keyed = p.map("keyed", p.partition(p.source("src"), "hash"), { props: { keySelector: key } });
    const { jobGraph, userCode } = translate([p.sink("sink", keyed)]);
    expect(userCode.keySelector(keyed.id)).toBe(key);
    expect(userCode.keySelector(jobGraph.vertices[0]!.operators[0]!.id)).toBeUndefined();
    expect(userCode.edge(0).keySelector).toBeDefined();
    expect(() => userCode.edge(7)).toThrow(InternalError);
    expect(() => userCode.createOperator(999)).toThrow("no stream node 999 in this job");
  });

  test("a non-parallel source is capped at its limit, or refuses a parallelism the user set", () => {
    const p = program();
    const { jobGraph } = translate([p.sink("sink", p.source("coll", { props: { maxParallelism: 1 } }))], {}, 4);
    expect(jobGraph.vertices.map((v) => v.parallelism)).toEqual([1, 4]);
    const q = program();
    const src = q.source("coll", { parallelism: 2, props: { maxParallelism: 1 } });
    src.parallelismSetByUser = true;
    expect(() => translate([q.sink("sink", src)])).toThrow("coll: parallelism 2 is not supported; this source is non-parallel (at most 1)");
    const r = program();
    const wide = r.source("wide", { parallelism: 200 });
    expect(() => translate([r.sink("sink", wide)])).toThrow(InvalidProgramError);
  });
});

describe("graph hash", () => {
  const build = (mapName = "map", mapParallelism = 2, extra = false) => {
    const p = program();
    const m = p.map(mapName, p.partition(p.source("src"), "hash"), { parallelism: mapParallelism });
    const sinks = [p.sink("sink", m, { parallelism: mapParallelism })]; // only the parallelism changes, not the chaining
    if (extra) sinks.push(p.sink("extra", m));
    return translate(sinks).jobGraph;
  };

  test("the same program hashes the same", () => {
    expect(build().graphHash).toBe(build().graphHash);
    expect(build().graphHash).toMatch(/^[0-9a-f]{8}$/);
  });

  const changes: { name: string; other: () => JobGraph; difference: string }[] = [
    { name: "a renamed operator", other: () => build("mapper"), difference: "operator 'map' in the client is 'mapper' in the replay" },
    { name: "another parallelism", other: () => build("map", 3), difference: "operator 'map' has parallelism 2 in the client and 3 in the replay" },
    { name: "an extra operator", other: () => build("map", 2, true), difference: "operator 'map' has outputs 1 in the client and 2 in the replay" },
  ];
  for (const { name, other, difference } of changes)
    test(`${name} changes the hash; firstDifference names it`, () => {
      expect(other().graphHash).not.toBe(build().graphHash);
      expect(firstDifference(build(), other())).toBe(difference);
    });

  test("firstDifference reports extra and missing operators at the end", () => {
    const p = program();
    const shorter = translate([p.sink("sink", p.source("src"))], { chainingEnabled: false }).jobGraph;
    const q = program();
    const longer = translate([q.sink("sink", q.map("map", q.source("src")))], { chainingEnabled: false }).jobGraph;
    expect(firstDifference(build(), build())).toBe("the edges between operators differ");
    expect(firstDifference(shorter, { ...shorter, vertices: [...shorter.vertices, longer.vertices[2]!] })).toBe("the replay has an extra operator 'sink'");
    expect(firstDifference({ ...shorter, vertices: [...shorter.vertices, longer.vertices[2]!] }, shorter)).toBe("the replay lacks operator 'sink'");
  });
});
