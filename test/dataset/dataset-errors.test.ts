/** DataSet programs that are wrong are rejected while the graph is built, with errors that name the call and operator. */
import { describe, expect, test } from "bun:test";
import { Aggregations, ExecutionEnvironment, Order, Types, type DataSet } from "../../src/index.ts";
import { InvalidProgramError } from "../../src/core/errors.ts";
import { runJob } from "../support/run-job.ts";

type Pair = [string, number];

function program() {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  const pairs = env.fromElements<Pair>(["a", 1], ["b", 2]).returns(Types.TUPLE(Types.STRING, Types.INT)).name("Pairs");
  const rows = env.fromElements({ word: "a", n: 1 }).returns(Types.ROW({ word: Types.STRING, n: Types.INT })).name("Rows");
  const numbers = env.generateSequence(1, 10);
  return { env, pairs, rows, numbers };
}

const CASES: [string, (p: ReturnType<typeof program>) => unknown, RegExp][] = [
  ["sum of a STRING field", (p) => p.pairs.sum(0), /^sum\(0\) on 'Pairs': field 0 is STRING, SUM needs a number field$/],
  ["grouped sum of a STRING field", (p) => p.pairs.groupBy(1).sum(0), /^sum\(0\) on 'Pairs': field 0 is STRING, SUM needs a number field$/],
  ["sum of a field the tuple lacks", (p) => p.pairs.groupBy(0).sum(2), /^sum\(2\) on 'Pairs': TUPLE\(STRING, INT\) has no field 2$/],
  ["aggregate of a missing field", (p) => p.pairs.aggregate(Aggregations.MAX, 5), /^aggregate\(MAX, 5\) on 'Pairs': TUPLE\(STRING, INT\) has no field 5$/],
  ["and() with a STRING field", (p) => p.pairs.aggregate(Aggregations.SUM, 1).and(Aggregations.SUM, 0), /^and\(SUM, 0\) on 'Aggregate': field 0 is STRING/],
  ["min of a missing row field", (p) => p.rows.groupBy("word").min("count"), /^min\('count'\) on 'Rows': ROW\(.*\) has no field 'count'$/],
  ["aggregating an atomic data set", (p) => p.numbers.sum(0), /fields can only be aggregated on tuple and row data sets, this one is LONG/],
  ["an unknown aggregation", (p) => p.pairs.aggregate("AVG" as never, 1), /unknown aggregation 'AVG'/],
  ["groupBy a missing position", (p) => p.pairs.groupBy(3), /^groupBy\(3\) on 'Pairs': TUPLE\(STRING, INT\) has no field 3$/],
  ["groupBy a name on a tuple", (p) => p.pairs.groupBy("word"), /^groupBy\('word'\) on 'Pairs': TUPLE\(STRING, INT\) has no field 'word'$/],
  ["minBy a missing field", (p) => p.pairs.minBy(1, 4), /^minBy\(1, 4\) on 'Pairs': TUPLE\(STRING, INT\) has no field 4$/],
  ["grouped maxBy without fields", (p) => p.pairs.groupBy(0).maxBy(), /maxBy\(\) on 'Pairs': name at least one field/],
  ["distinct on a missing field", (p) => p.pairs.distinct(2), /^distinct\(2\) on 'Pairs'/],
  ["partitionByHash on a missing field", (p) => p.pairs.partitionByHash(9), /^partitionByHash\(9\) on 'Pairs'/],
  ["sortGroup on a missing field", (p) => p.pairs.groupBy(0).sortGroup(7, Order.ASCENDING), /^sortGroup\(7, 'ASCENDING'\) on 'Pairs'.*has no field 7$/],
  ["sortGroup with Order.NONE", (p) => p.pairs.groupBy(0).sortGroup(1, Order.NONE), /Order.ASCENDING or Order.DESCENDING/],
  ["first(0)", (p) => p.pairs.first(0), /first\(0\) on 'Pairs': n must be a positive integer/],
  ["grouped first(-1)", (p) => p.pairs.groupBy(0).first(-1), /first\(-1\) on 'Pairs'/],
  ["a reduce over everything at parallelism 4", (p) => p.pairs.reduce((a) => a).setParallelism(4), /^Reduce: .* runs with parallelism 1, not 4$/],
  ["union of different types", (p) => p.pairs.union(p.numbers as unknown as DataSet<Pair>), /cannot union a data set of TUPLE\(STRING, INT\) with one of LONG/],
  ["writeAsCsv of an atomic data set", (p) => p.numbers.writeAsCsv("/tmp/x.csv"), /writeAsCsv on 'Sequence Source \(1..10\)': only tuple and row data sets/],
  ["output without writeRecord", (p) => p.pairs.output({} as never), /expected an OutputFormat with writeRecord/],
  ["map with a number", (p) => p.pairs.map(42 as never), /Map: expected a function or an object with a map\(\) method, got number/],
  ["reduceGroup with the wrong method", (p) => p.pairs.groupBy(0).reduceGroup({ combine() {} } as never), /GroupReduce: expected a function or an object with a reduce\(\) method/],
  ["generateSequence backwards", (p) => p.env.generateSequence(5, 1), /generateSequence\(5, 1\): from must not be greater than to/],
  ["fromElements with nothing", (p) => p.env.fromElements(), /fromElements needs at least one element/],
  ["CSV includeFields not matching types", (p) => p.env.readCsvFile("x.csv").includeFields("101").types(Types.INT), /includeFields selects 2 columns but 1 field types are given/],
  ["CSV includeFields with a bad mask", (p) => p.env.readCsvFile("x.csv").includeFields("1x"), /may only hold 1\/0 or T\/F, found 'x'/],
  ["CSV field of a LIST type", (p) => p.env.readCsvFile("x.csv").types(Types.LIST(Types.INT)), /field 0 has type LIST\(INT\), which CSV cannot hold/],
  ["an unknown execution mode", (p) => p.env.getConfig().setExecutionMode("FAST" as never), /execution mode must be one of PIPELINED/],
  ["execute without sinks", (p) => p.env.getExecutionPlan(), /no operators defined in the job/],
];

describe("DataSet graph-build errors", () => {
  test.each(CASES)("%s", (_name, build, message) => {
    let error: unknown;
    try {
      build(program());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidProgramError);
    expect((error as Error).message).toMatch(message);
  });

  test("a job whose graph is wrong fails before anything runs, with the error", async () => {
    const job = `
import { ExecutionEnvironment, Types } from "flinkts";
export default async function main() {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const words = env.fromElements("a b", "c").flatMap((l, out) => { for (const w of l.split(" ")) out.collect([w, 1]); }, Types.TUPLE(Types.STRING, Types.INT));
  await words.groupBy(0).sum(0).print();
}
`;
    await expect(runJob(job, { parallelism: 2 })).rejects.toThrow("sum(0) on 'FlatMap': field 0 is STRING, SUM needs a number field");
  });
});
