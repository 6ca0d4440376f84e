/**
 * The optimizer's choices as getExecutionPlan() shows them: broadcast of a small input,
 * repartitioning of two large ones, hints obeyed, partitioning reused (no second shuffle after a
 * groupBy or partitionByHash on the join key, none after a map unless it declares forwarded
 * fields), estimates; the text `flinkts info` prints; and a real run of one source feeding both
 * sides of a join, which must not deadlock.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecutionEnvironment, JoinHint, Order, Types, type DataSet } from "../../src/index.ts";
import { formatJobGraph } from "../../src/cli/plan-text.ts";
import { resultOf, runCapturingClient, writeJob } from "./dataset-job.ts";
import { TINY_MEMORY } from "./binary-cases.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-optimizer-"));
const csv = (name: string, rows: number) => {
  const path = join(dir, name);
  writeFileSync(path, Array.from({ length: rows }, (_, i) => `${i % 997},${i},name-${i}`).join("\n") + "\n");
  return path;
};
const BIG = csv("big.csv", 40_000);
const BIG2 = csv("big2.csv", 36_000);
const T = Types.TUPLE(Types.INT, Types.INT, Types.STRING);
type Row = [number, number, string];

interface Operator {
  name: string;
  optimizer?: { ship: string[]; local?: string; rows?: number; bytes?: number };
}

/** Builds a program at parallelism `p` and returns its plan's operators by name (the first of each name). */
function planOf(build: (env: ExecutionEnvironment, big: DataSet<Row>, big2: DataSet<Row>) => DataSet<any>, p = 4) {
  const env = ExecutionEnvironment.createLocalEnvironment(p);
  const big = env.readCsvFile(BIG).types<Row>(Types.INT, Types.INT, Types.STRING);
  const big2 = env.readCsvFile(BIG2).types<Row>(Types.INT, Types.INT, Types.STRING);
  build(env, big, big2).output({ writeRecord() {} });
  const graph = JSON.parse(env.getExecutionPlan());
  const ops = new Map<string, Operator>();
  for (const v of graph.vertices) for (const o of v.operators) if (!ops.has(o.name)) ops.set(o.name, o);
  const op = (name: string) => ops.get(name)?.optimizer ?? expect.unreachable(`no operator ${name}; have ${[...ops.keys()].join(", ")}`);
  return { graph, op, text: formatJobGraph(graph) };
}

const small = (env: ExecutionEnvironment) => env.fromCollection<Row>([[1, 1, "a"], [2, 2, "b"], [3, 3, "c"]], T);

describe("ship and local strategies", () => {
  test("small x large: the small input is broadcast and built", () => {
    const { op } = planOf((env, big) => small(env).join(big).where(0).equalTo(0));
    expect(op("Join")).toMatchObject({ ship: ["broadcast", "forward"], local: "hybrid-hash (build first)" });
  });

  test("large x small: the small (second) input is broadcast and built", () => {
    const { op } = planOf((env, big) => big.join(small(env)).where(0).equalTo(0));
    expect(op("Join")).toMatchObject({ ship: ["forward", "broadcast"], local: "hybrid-hash (build second)" });
  });

  test("large x large: both repartitioned by hash, the smaller one built", () => {
    const { op } = planOf((_env, big, big2) => big.join(big2).where(0).equalTo(0));
    expect(op("Join")).toMatchObject({ ship: ["hash", "hash"], local: "hybrid-hash (build second)" });
    const swapped = planOf((_env, big, big2) => big2.join(big).where(0).equalTo(0));
    expect(swapped.op("Join")).toMatchObject({ ship: ["hash", "hash"], local: "hybrid-hash (build first)" });
  });

  test("unknown sizes: repartition, not broadcast", () => {
    const { op } = planOf((_env, big, big2) => big.mapPartition(() => {}).join(big2.mapPartition(() => {})).where(0).equalTo(0));
    expect(op("Join").ship).toEqual(["hash", "hash"]);
  });

  const HINTS: [JoinHint, string[], string][] = [
    [JoinHint.BROADCAST_HASH_FIRST, ["broadcast", "forward"], "hybrid-hash (build first)"],
    [JoinHint.BROADCAST_HASH_SECOND, ["forward", "broadcast"], "hybrid-hash (build second)"],
    [JoinHint.REPARTITION_HASH_FIRST, ["hash", "hash"], "hybrid-hash (build first)"],
    [JoinHint.REPARTITION_HASH_SECOND, ["hash", "hash"], "hybrid-hash (build second)"],
    [JoinHint.REPARTITION_SORT_MERGE, ["hash", "hash"], "sort-merge"],
  ];
  test.each(HINTS)("hint %s is obeyed whatever the sizes", (hint, ship, local) => {
    const { op } = planOf((env, big, big2) => big2.join(big, hint).where(0).equalTo(0));
    expect(op("Join")).toMatchObject({ ship, local });
    // the small input runs in one subtask: "forward" to four subtasks is a rebalance
    const fromSmall = planOf((env, big) => small(env).join(big, hint).where(0).equalTo(0)).op("Join");
    expect(fromSmall).toMatchObject({ ship: [ship[0] === "forward" ? "rebalance" : ship[0], ship[1]], local });
  });

  test("outer joins broadcast only their inner side", () => {
    expect(planOf((env, big) => big.leftOuterJoin(small(env)).where(0).equalTo(0).with((a) => a)).op("LeftOuterJoin").ship).toEqual(["forward", "broadcast"]);
    expect(planOf((env, big) => small(env).leftOuterJoin(big).where(0).equalTo(0).with((a) => a)).op("LeftOuterJoin").ship).toEqual(["hash", "hash"]);
    expect(planOf((env, big) => small(env).fullOuterJoin(big).where(0).equalTo(0).with((a) => a)).op("FullOuterJoin")).toMatchObject({ ship: ["hash", "hash"], local: "sort-merge" });
  });

  test("cross broadcasts the smaller input and holds it in blocks; hints override", () => {
    expect(planOf((env, big) => big.cross(small(env))).op("Cross")).toMatchObject({ ship: ["forward", "broadcast"], local: "nested-loop (block second)" });
    expect(planOf((env, big) => small(env).cross(big)).op("Cross")).toMatchObject({ ship: ["broadcast", "forward"], local: "nested-loop (block first)" });
    expect(planOf((env, big) => small(env).crossWithTiny(big)).op("Cross").ship).toEqual(["rebalance", "broadcast"]);
    expect(planOf((env, big) => big.crossWithHuge(small(env))).op("Cross")).toMatchObject({ ship: ["broadcast", "rebalance"], local: "nested-loop (block first)" });
  });
});

describe("partitioning reused", () => {
  test("a join after a groupBy on the same key ships that side forward", () => {
    const { op, graph } = planOf((_env, big, big2) => big.groupBy(0).sum(1).join(big2).where(0).equalTo(0));
    expect(op("Join").ship).toEqual(["forward", "hash"]);
    expect(graph.edges.filter((e: { partitioner: string }) => e.partitioner === "hash")).toHaveLength(2);
  });

  test("field 'f0' and position 0 are the same key", () => {
    expect(planOf((_env, big, big2) => big.groupBy("f0").sum(1).join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["forward", "hash"]);
  });

  test("a groupBy on another key, or a different parallelism, does not count", () => {
    expect(planOf((_env, big, big2) => big.groupBy(1).sum(0).join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["hash", "hash"]);
    expect(planOf((_env, big, big2) => big.groupBy(0).sum(1).setParallelism(3).join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["hash", "hash"]);
  });

  test("a map loses the partitioning unless it declares the key forwarded", () => {
    expect(planOf((_env, big, big2) => big.groupBy(0).sum(1).map((r) => r).join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["hash", "hash"]);
    expect(planOf((_env, big, big2) => big.groupBy(0).sum(1).map((r) => r).withForwardedFields("0").join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["forward", "hash"]);
    expect(planOf((_env, big, big2) => big.groupBy(0).sum(1).map((r) => [r[1], r[0], r[2]] as Row).withForwardedFields("0->1").join(big2).where(1).equalTo(0)).op("Join").ship).toEqual(["forward", "hash"]);
    expect(planOf((_env, big, big2) => big.groupBy(0).sum(1).filter((r) => r[1] > 0).join(big2).where(0).equalTo(0)).op("Join").ship).toEqual(["forward", "hash"]);
  });

  test("partitionByHash on the key is the join's only shuffle of that side", () => {
    const { op, graph } = planOf((_env, big, big2) => big.partitionByHash(0).join(big2).where(0).equalTo(0));
    expect(op("Join").ship).toEqual(["hash", "hash"]);
    expect(graph.edges.filter((e: { partitioner: string }) => e.partitioner === "hash")).toHaveLength(2);
  });

  test("inputs partitioned and sorted on the key: forward both, sort-merge (nothing left to sort)", () => {
    const { op } = planOf((_env, big, big2) => big.partitionByHash(0).sortPartition(0, Order.ASCENDING).join(big2.partitionByHash(0).sortPartition(0, Order.ASCENDING)).where(0).equalTo(0));
    expect(op("Join")).toMatchObject({ ship: ["forward", "forward"], local: "sort-merge" });
  });

  test("a coGroup of two groupBy results on the key ships both forward", () => {
    const { op } = planOf((_env, big, big2) => big.groupBy(0).sum(1).coGroup(big2.groupBy(0).sum(1)).where(0).equalTo(0).with(() => {}));
    expect(op("CoGroup")).toMatchObject({ ship: ["forward", "forward"], local: "sort-merge" });
  });
});

describe("grouped combiners", () => {
  test("combine in a hash table when the input fits in memory, by sorting when it does not", () => {
    expect(planOf((_env, big) => big.distinct(0)).op("Combine (Distinct)").local).toBe("hash-combine");
    const env = ExecutionEnvironment.createLocalEnvironment(2);
    env.config.set("taskmanager.memory.managed.size", "256kb");
    const input = env.readCsvFile(BIG).types<Row>(Types.INT, Types.INT, Types.STRING);
    input.distinct(0).output({ writeRecord() {} });
    input.groupBy(0).reduce((a) => a).output({ writeRecord() {} });
    const operators = JSON.parse(env.getExecutionPlan()).vertices[0].operators;
    expect(operators.find((o: { name: string }) => o.name === "Combine (Distinct)")).toMatchObject({ optimizer: { local: "sort-combine" } });
    // reduce and aggregate combiners always hash, handing on what they hold when memory is full
    expect(operators.find((o: { name: string }) => o.name === "Combine (Reduce)")).toMatchObject({ optimizer: { local: "hash-combine" } });
  });

  test("a whole-data-set reduce has no such choice", () => {
    expect(planOf((_env, big) => big.reduce((a) => a)).op("Combine (Reduce)").local).toBeUndefined();
  });
});

describe("estimates", () => {
  test("sources, filters and joins", () => {
    const { op } = planOf((env, big) => {
      const f = big.filter((r) => r[0] > 1).name("F");
      return small(env).join(f).where(0).equalTo(0);
    });
    expect(op("Collection Source")).toMatchObject({ rows: 3 });
    const source = op(`CSV File Source (${BIG})`);
    expect(source.bytes).toBeGreaterThan(500_000);
    // rows from the average length of the first lines, which are the shortest here
    expect(Math.abs(source.rows! - 40_000)).toBeLessThan(6_000);
    expect(op("F").rows).toBe(Math.round(source.rows! / 2));
    expect(op("Join").rows).toBe(op("F").rows);
  });

  test("flinkts info prints ship, local strategy and estimates per operator", () => {
    const { text } = planOf((env, big) => small(env).join(big).where(0).equalTo(0).name("J"));
    expect(text).toMatch(/#\d+ J <join> .*\n\s+ship: broadcast, forward; local: hybrid-hash \(build first\); est\. \d+ rows, [\d.]+ [KM]iB/);
  });
});

describe("one source feeding both sides of a join", () => {
  test("runs to the end at p=2 with tiny memory", async () => {
    const job = writeJob(`
import { ExecutionEnvironment, JoinHint } from "flinkts";
export default async function main() {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const ds = env.generateSequence(1, 60000).map((i) => [i % 5000, i]);
  const out = [];
  for (const hint of [JoinHint.OPTIMIZER_CHOOSES, JoinHint.BROADCAST_HASH_FIRST, JoinHint.REPARTITION_SORT_MERGE])
    out.push(await ds.join(ds, hint).where(0).equalTo(0).count());
  process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");
}
`);
    const run = await runCapturingClient(job, { parallelism: 2, config: TINY_MEMORY });
    expect(resultOf(run)).toEqual([12 * 60000, 12 * 60000, 12 * 60000]);
  }, 120_000);
});
