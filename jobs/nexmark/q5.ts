/**
 * Nexmark q5, hot items: per sliding window of 10 s every 2 s, the auction(s) with the most
 * bids, ties all kept. Bids are counted per auction and window, then the counts of each window
 * meet under the window's start and the largest are kept.
 * Usage: flinkts run jobs/nexmark/q5.ts [events=100000] [parallelism] [seed=0] [--rate eventsPerSecond] [--discard]
 * Prints (windowStart,auction,count), or with --discard only the job's net runtime.
 */
import { NexmarkSource, SlidingEventTimeWindows, StreamExecutionEnvironment, TumblingEventTimeWindows, Types, WatermarkStrategy } from "flinkts";
import type { AggregateFunction, Collector, NexmarkEvent, ProcessWindowFunctionContext, TimeWindow } from "flinkts";

/** Counts elements. */
const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_v, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

type Row = [number, number, number];
/** Keeps the rows with the largest count (field 2), ties all. */
const MAX_COUNT: AggregateFunction<Row, Row[], Row[]> = {
  createAccumulator: () => [],
  add: (row, best) => (best.length === 0 || row[2] > best[0]![2] ? [row] : row[2] === best[0]![2] ? (best.push(row), best) : best),
  getResult: (best) => best,
};

export default async function main(args: string[]) {
  const { events, parallelism, seed, rate, discard } = parseArgs(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (parallelism) env.setParallelism(parallelism);
  const ROW = Types.TUPLE(Types.LONG, Types.LONG, Types.LONG);
  const hot = env
    .fromSource(new NexmarkSource({ events, seed, eventsPerSecond: rate }), WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(4000), "Nexmark")
    .flatMap((e: NexmarkEvent, out) => {
      if (e.bid !== undefined) out.collect(e.bid.auction);
    }, Types.LONG)
    .name("bids: auction")
    .keyBy((auction: number) => auction)
    .window(SlidingEventTimeWindows.of(10_000, 2_000))
    .aggregate(COUNT, (auction: number, ctx: ProcessWindowFunctionContext<TimeWindow>, counts: Iterable<number>, out: Collector<Row>) => {
      for (const n of counts) out.collect([ctx.window().start, auction, n]);
    }, ROW)
    .name("bids per auction and window")
    // each window's counts carry its maxTimestamp, so they meet in one 2 s window of the second stage
    .keyBy((row: Row) => row[0])
    .window(TumblingEventTimeWindows.of(2_000))
    .aggregate(MAX_COUNT, (_start: number, _ctx: ProcessWindowFunctionContext<TimeWindow>, best: Iterable<Row[]>, out: Collector<Row>) => {
      for (const rows of best) for (const row of rows) out.collect(row);
    }, ROW)
    .name("hottest auctions per window");
  if (discard) hot.addSink(() => {});
  else hot.print();
  const result = await env.execute("Nexmark q5");
  if (discard) console.log(`netRuntime=${result.getNetRuntime()}`);
}

/** [events] [parallelism] [seed] [--rate n] [--discard] */
function parseArgs(args: string[]) {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--discard") flags.set("discard", "1");
    else if (args[i] === "--rate") flags.set("rate", args[++i]!);
    else positional.push(args[i]!);
  }
  return {
    events: Number(positional[0] ?? 100_000),
    parallelism: positional[1] ? Number(positional[1]) : undefined,
    seed: Number(positional[2] ?? 0),
    rate: flags.has("rate") ? Number(flags.get("rate")) : undefined,
    discard: flags.has("discard"),
  };
}
