/** Benchmark job: DataSet word count over a file (split on " "), grouped sum, results discarded. */
import { ExecutionEnvironment, Types } from "flinkts";

export default async function main(args: string[]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  let groups = 0;
  env
    .readTextFile(args[0]!)
    .flatMap((line: string, out) => {
      const words = line.split(" ");
      for (let i = 0; i < words.length; i++) out.collect([words[i]!, 1]);
    }, Types.TUPLE(Types.STRING, Types.INT))
    .groupBy(0)
    .sum(1)
    .output({ writeRecord: () => void groups++ });
  const r = await env.execute("bench batch word count");
  console.log(`netRuntime=${r.getNetRuntime()}`);
}
