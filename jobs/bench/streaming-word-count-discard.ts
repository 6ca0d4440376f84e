/** Benchmark job: streaming word count over a file (split on " "), results to a discarding sink. */
import { StreamExecutionEnvironment, Types } from "flinkts";

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .readTextFile(args[0]!)
    .flatMap((line: string, out) => {
      const words = line.split(" ");
      for (let i = 0; i < words.length; i++) out.collect([words[i]!, 1]);
    }, Types.TUPLE(Types.STRING, Types.INT))
    .keyBy(0)
    .sum(1)
    .addSink(() => {});
  const r = await env.execute("bench streaming word count");
  console.log(`netRuntime=${r.getNetRuntime()}`);
}
