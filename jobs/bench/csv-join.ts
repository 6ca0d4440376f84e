/**
 * Benchmark job: lineitem ⋈ orders on okey from two CSV files, then the sum of qty × prio over
 * the joined rows (the answer test/bench/duckdb.ts also asks DuckDB). Args: orders.csv lineitem.csv.
 */
import { ExecutionEnvironment, Types } from "flinkts";

export default async function main(args: string[]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const orders = env.readCsvFile(args[0]!).types(Types.INT, Types.INT, Types.INT);
  const lineitem = env.readCsvFile(args[1]!).types(Types.INT, Types.INT, Types.DOUBLE);
  const [sum] = await lineitem
    .join(orders)
    .where(0)
    .equalTo(0)
    .with((l: any, o: any) => (l[1] as number) * (o[2] as number), Types.LONG)
    .reduce((a: number, b: number) => a + b)
    .collect();
  console.log(`netRuntime=${env.getLastJobExecutionResult()!.getNetRuntime()} sum=${sum}`);
}
