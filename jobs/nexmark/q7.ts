/**
 * Nexmark q7, highest bid: per tumbling window of 10 s, the bid(s) with the highest price, ties
 * all kept. Each auction's best bids per window are found in parallel, then the best of those
 * meet under the window's start.
 * Usage: flinkts run jobs/nexmark/q7.ts [events=100000] [parallelism] [seed=0] [--rate eventsPerSecond] [--discard]
 * Prints (windowStart,auction,price,bidder,dateTime), or with --discard only the job's net runtime.
 */
import { NexmarkSource, StreamExecutionEnvironment, TumblingEventTimeWindows, Types, WatermarkStrategy } from "flinkts";
import type { AggregateFunction, Collector, NexmarkEvent, ProcessWindowFunctionContext, TimeWindow } from "flinkts";

/** [auction, price, bidder, dateTime], and with the window start in front for the result. */
type Bid = [number, number, number, number];
type Row = [number, number, number, number, number];

/** Keeps the elements with the highest value at `field`, ties all. */
function maxBy<T extends number[]>(field: number): AggregateFunction<T, T[], T[]> {
  return {
    createAccumulator: () => [],
    add: (v, best) => (best.length === 0 || v[field]! > best[0]![field]! ? [v] : v[field] === best[0]![field] ? (best.push(v), best) : best),
    getResult: (best) => best,
  };
}

export default async function main(args: string[]) {
  const { events, parallelism, seed, rate, discard } = parseArgs(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (parallelism) env.setParallelism(parallelism);
  const ROW = Types.TUPLE(Types.LONG, Types.LONG, Types.LONG, Types.LONG, Types.LONG);
  const highest = env
    .fromSource(new NexmarkSource({ events, seed, eventsPerSecond: rate }), WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(4000), "Nexmark")
    .flatMap((e: NexmarkEvent, out: Collector<Bid>) => {
      const b = e.bid;
      if (b !== undefined) out.collect([b.auction, b.price, b.bidder, b.dateTime]);
    }, Types.TUPLE(Types.LONG, Types.LONG, Types.LONG, Types.LONG))
    .name("bids: auction, price, bidder, dateTime")
    .keyBy((b: Bid) => b[0])
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(maxBy<Bid>(1), (_auction: number, ctx: ProcessWindowFunctionContext<TimeWindow>, best: Iterable<Bid[]>, out: Collector<Row>) => {
      const start = ctx.window().start;
      for (const bids of best) for (const b of bids) out.collect([start, b[0], b[1], b[2], b[3]]);
    }, ROW)
    .name("highest bids per auction and window")
    .keyBy((row: Row) => row[0])
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(maxBy<Row>(2), (_start: number, _ctx: ProcessWindowFunctionContext<TimeWindow>, best: Iterable<Row[]>, out: Collector<Row>) => {
      for (const rows of best) for (const row of rows) out.collect(row);
    }, ROW)
    .name("highest bids per window");
  if (discard) highest.addSink(() => {});
  else highest.print();
  const result = await env.execute("Nexmark q7");
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
