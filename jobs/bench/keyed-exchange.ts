/** Benchmark job: a keyed exchange alone — numbers hashed by key to the next task, then dropped. */
import { StreamExecutionEnvironment, Types } from "flinkts";

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromSequence(1, Number(args[0] ?? 1_000_000))
    .keyBy((x: number) => x % 100_000)
    .addSink(() => {});
  const r = await env.execute("bench keyed exchange");
  console.log(`netRuntime=${r.getNetRuntime()}`);
}
