/**
 * Benchmark job: sum(price) per okey over lineitem.csv (the answer test/bench/duckdb.ts also
 * asks DuckDB); prints the number of groups. Args: lineitem.csv.
 */
import { ExecutionEnvironment, Types } from "flinkts";

export default async function main(args: string[]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const groups = await env.readCsvFile(args[0]!).types(Types.INT, Types.INT, Types.DOUBLE).groupBy(0).sum(2).count();
  console.log(`netRuntime=${env.getLastJobExecutionResult()!.getNetRuntime()} groups=${groups}`);
}
