/**
 * External sort of a text file, line by line in byte order (as `LC_ALL=C sort`):
 * readTextFile -> [partitionByRange] -> sortPartition(the line) -> writeAsText.
 * Usage: flinkts run [-p N] [--managed-memory 512mb] jobs/external-sort.ts <input> <output> [--range]
 * At p > 1 with --range, subtask i writes the i-th key range, so output files 1..p in order are
 * the sorted file. Prints the job's net runtime.
 */
import { ExecutionEnvironment, Order } from "flinkts";

export default async function main(args: string[]) {
  const [input, output] = args.filter((a) => !a.startsWith("--"));
  if (!input || !output) throw new Error("usage: jobs/external-sort.ts <input> <output> [--range]");
  const env = ExecutionEnvironment.getExecutionEnvironment();
  let lines = env.readTextFile(input);
  if (args.includes("--range")) lines = lines.partitionByRange("*");
  lines.sortPartition("*", Order.ASCENDING).writeAsText(output, "OVERWRITE");
  const result = await env.execute("external sort");
  console.log(`netRuntime=${result.getNetRuntime()}`);
}
