/**
 * Nexmark q8, new users: the persons who registered and opened an auction in the same tumbling
 * window of 10 s — a window coGroup of persons (by id) and auctions (by seller).
 * Usage: flinkts run jobs/nexmark/q8.ts [events=100000] [parallelism] [seed=0] [--rate eventsPerSecond] [--discard]
 * Prints (windowStart,personId,name), or with --discard only the job's net runtime.
 */
import { NexmarkSource, StreamExecutionEnvironment, TumblingEventTimeWindows, Types, WatermarkStrategy } from "flinkts";
import type { Collector, NexmarkEvent } from "flinkts";

const WINDOW = 10_000;
/** [id, name, dateTime] */
type NewPerson = [number, string, number];
/** [seller, dateTime] */
type NewAuction = [number, number];
type Row = [number, number, string];

export default async function main(args: string[]) {
  const { events, parallelism, seed, rate, discard } = parseArgs(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (parallelism) env.setParallelism(parallelism);
  const nexmark = env.fromSource(new NexmarkSource({ events, seed, eventsPerSecond: rate }), WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(4000), "Nexmark");
  const persons = nexmark
    .flatMap((e: NexmarkEvent, out: Collector<NewPerson>) => {
      const p = e.person;
      if (p !== undefined) out.collect([p.id, p.name, p.dateTime]);
    }, Types.TUPLE(Types.LONG, Types.STRING, Types.LONG))
    .name("persons: id, name, dateTime");
  const auctions = nexmark
    .flatMap((e: NexmarkEvent, out: Collector<NewAuction>) => {
      const a = e.auction;
      if (a !== undefined) out.collect([a.seller, a.dateTime]);
    }, Types.TUPLE(Types.LONG, Types.LONG))
    .name("auctions: seller, dateTime");
  const newUsers = persons
    .coGroup(auctions)
    .where((p: NewPerson) => p[0])
    .equalTo((a: NewAuction) => a[0])
    .window(TumblingEventTimeWindows.of(WINDOW))
    .apply((registered: Iterable<NewPerson>, opened: Iterable<NewAuction>, out: Collector<Row>) => {
      if (isEmpty(opened)) return;
      for (const [id, name, dateTime] of registered) out.collect([dateTime - (dateTime % WINDOW), id, name]);
    }, Types.TUPLE(Types.LONG, Types.LONG, Types.STRING));
  if (discard) newUsers.addSink(() => {});
  else newUsers.print();
  const result = await env.execute("Nexmark q8");
  if (discard) console.log(`netRuntime=${result.getNetRuntime()}`);
}

function isEmpty(xs: Iterable<unknown>): boolean {
  for (const _ of xs) return false;
  return true;
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
