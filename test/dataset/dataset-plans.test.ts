/** The plans DataSet operations translate to (getExecutionPlan): combiners chained to their input, then the shuffle Flink's optimizer would pick. */
import { describe, expect, test } from "bun:test";
import { ExecutionEnvironment, Order, Types, type DataSet } from "../../src/index.ts";

type Pair = [string, number];
const SINK = "DataSink (OutputFormat (user))";
const SOURCE = "Sequence Source (1..100) -> Map";

/** A p=2 program over generated pairs; `build` adds the operation under test. */
function planOf(build: (pairs: DataSet<Pair>, env: ExecutionEnvironment) => DataSet<any>, mode: "PIPELINED" | "BATCH" = "PIPELINED") {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  env.getConfig().setExecutionMode(mode);
  const pairs = env.generateSequence(1, 100).map((i): Pair => [`k${i % 7}`, i], Types.TUPLE(Types.STRING, Types.LONG));
  build(pairs, env).output({ writeRecord() {} });
  const graph = JSON.parse(env.getExecutionPlan());
  return {
    vertices: graph.vertices.map((v: any) => `${v.name} [${v.parallelism}]`),
    edges: graph.edges.map((e: any) => `${e.source}->${e.target} ${e.partitioner} ${e.resultType}`),
    runtimeMode: graph.runtimeMode,
  };
}

const CASES: [string, (pairs: DataSet<Pair>, env: ExecutionEnvironment) => DataSet<any>, string[], string[]][] = [
  ["map and filter chain", (p) => p.map((t) => t[1]).filter((x) => x > 3), [`${SOURCE} -> Map -> Filter -> ${SINK} [2]`], []],
  ["groupBy.sum: combiner, hash, aggregate", (p) => p.groupBy(0).sum(1), [`${SOURCE} -> Combine (Aggregate) [2]`, `Aggregate -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["groupBy.reduce: combiner, hash, reduce", (p) => p.groupBy(0).reduce((a) => a), [`${SOURCE} -> Combine (Reduce) [2]`, `Reduce -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["groupBy.minBy: combiner, hash", (p) => p.groupBy(0).minBy(1), [`${SOURCE} -> Combine (MinBy) [2]`, `MinBy -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["groupBy.reduceGroup: hash, no combiner", (p) => p.groupBy(0).reduceGroup(() => {}), [`${SOURCE} [2]`, `GroupReduce -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["sortGroup.reduceGroup: hash", (p) => p.groupBy(0).sortGroup(1, Order.DESCENDING).reduceGroup(() => {}), [`${SOURCE} [2]`, `SortedGroupReduce -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["groupBy.combineGroup: local only", (p) => p.groupBy(0).combineGroup(() => {}), [`${SOURCE} -> GroupCombine -> ${SINK} [2]`], []],
  ["groupBy.first: hash", (p) => p.groupBy(0).first(2), [`${SOURCE} [2]`, `First(2) -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["distinct: local distinct, hash, distinct", (p) => p.distinct(0), [`${SOURCE} -> Combine (Distinct) [2]`, `Distinct -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["reduce: combiner, global, one subtask", (p) => p.reduce((a) => a), [`${SOURCE} -> Combine (Reduce) [2]`, "Reduce [1]", `${SINK} [2]`], ["0->1 global pipelined", "1->2 rebalance pipelined"]],
  ["aggregate: combiner, global", (p) => p.max(1).name("Top"), [`${SOURCE} -> Combine (Top) [2]`, "Top [1]", `${SINK} [2]`], ["0->1 global pipelined", "1->2 rebalance pipelined"]],
  ["first: local first, global", (p) => p.first(5), [`${SOURCE} -> Combine (First(5)) [2]`, "First(5) [1]", `${SINK} [2]`], ["0->1 global pipelined", "1->2 rebalance pipelined"]],
  ["reduceGroup: global, no combiner", (p) => p.reduceGroup(() => {}), [`${SOURCE} [2]`, "GroupReduce [1]", `${SINK} [2]`], ["0->1 global pipelined", "1->2 rebalance pipelined"]],
  ["partitionByHash then mapPartition", (p) => p.partitionByHash(0).mapPartition(() => {}), [`${SOURCE} [2]`, `MapPartition -> ${SINK} [2]`], ["0->1 hash pipelined"]],
  ["rebalance", (p) => p.rebalance().map((t) => t), [`${SOURCE} [2]`, `Map -> ${SINK} [2]`], ["0->1 rebalance pipelined"]],
  [
    "a combiner chains to a non-parallel source",
    (_p, env) => env.fromElements<Pair>(["a", 1]).groupBy(0).sum(1),
    ["Collection Source -> Combine (Aggregate) [1]", `Aggregate -> ${SINK} [2]`],
    ["0->1 hash pipelined"],
  ],
  [
    "a combiner follows its input's parallelism",
    (p) => p.map((t) => t).setParallelism(3).groupBy(0).sum(1).setParallelism(1),
    [`${SOURCE} [2]`, "Map -> Combine (Aggregate) [3]", "Aggregate [1]", `${SINK} [2]`],
    ["0->1 rebalance pipelined", "1->2 hash pipelined", "2->3 rebalance pipelined"],
  ],
];

describe("DataSet plans", () => {
  test.each(CASES)("%s", (_name, build, vertices, edges) => {
    const plan = planOf(build);
    expect(plan.runtimeMode).toBe("BATCH");
    expect(plan.vertices).toEqual(vertices);
    expect(plan.edges).toEqual(edges);
  });

  test("no combiner and no shuffle where records already arrive partitioned on the key", () => {
    const one = ExecutionEnvironment.createLocalEnvironment(1);
    one.generateSequence(1, 100).map((i): Pair => [`k${i % 7}`, i], Types.TUPLE(Types.STRING, Types.LONG)).groupBy(0).sum(1).output({ writeRecord() {} });
    const single = JSON.parse(one.getExecutionPlan());
    expect(single.vertices.map((v: any) => v.name)).toEqual([`${SOURCE} -> Aggregate -> ${SINK}`]);
    const plan = planOf((p) => p.partitionByHash(0).groupBy(0).reduce((a) => a));
    expect(plan.vertices).toEqual([`${SOURCE} [2]`, `Reduce -> ${SINK} [2]`]);
    expect(plan.edges).toEqual(["0->1 hash pipelined"]);
  });

  test("BATCH execution mode makes every shuffle blocking", () => {
    const plan = planOf((p) => p.groupBy(0).sum(1).reduce((a) => a), "BATCH");
    expect(plan.edges).toEqual(["0->1 hash blocking", "1->2 global blocking", "2->3 rebalance blocking"]);
  });

  test("getExecutionPlan keeps the sinks for the next execution", () => {
    const env = ExecutionEnvironment.createLocalEnvironment(2);
    env.fromElements(1, 2).output({ writeRecord() {} });
    const first = JSON.parse(env.getExecutionPlan());
    const second = JSON.parse(env.getExecutionPlan());
    expect(second.vertices).toEqual(first.vertices);
    expect(first.vertices.map((v: { name: string }) => v.name)).toEqual(["Collection Source", "DataSink (OutputFormat (user))"]);
  });
});
