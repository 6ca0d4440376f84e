/**
 * Event-time windowed word count: each line carries its event time ("<ms> <text>"); words are
 * counted per tumbling 10 s window. Lines may arrive up to 5 s out of order (bounded
 * out-of-orderness watermarks); each window's counts come out once the watermark passes its end,
 * as "[start,end) word count", with the record timestamp end − 1.
 * Usage: flinkts run jobs/windowed-word-count.ts [input] (without input: generated lines)
 */
import { StreamExecutionEnvironment, Time, TumblingEventTimeWindows, Types, WatermarkStrategy } from "flinkts";
import type { Collector, ProcessWindowFunctionContext, TimeWindow } from "flinkts";

export const WINDOW_MS = 10_000;
export const OUT_OF_ORDER_MS = 5_000;
const VOCABULARY = ["to", "be", "or", "not", "that", "is", "the", "question", "sleep", "dream"];

/** Deterministic lines "<ms> <words>": time moves 0–4 s per line, and each line is up to 4 s late. */
export function generateLines(count: number, seed = 7): string[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const lines: string[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += Math.floor(next() * 4000);
    const ts = Math.max(0, t - Math.floor(next() * 4000));
    const words = Array.from({ length: 1 + Math.floor(next() * 6) }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]);
    lines.push(`${ts} ${words.join(" ")}`);
  }
  return lines;
}

export function parseLine(line: string): [number, string] {
  const space = line.indexOf(" ");
  return [Number(line.slice(0, space)), line.slice(space + 1)];
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const lines = args[0] ? env.readTextFile(args[0]).setParallelism(1) : env.fromCollection(generateLines(500));
  lines
    .filter((line: string) => line.trim().length > 0)
    .setParallelism(1)
    .map(parseLine)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<[number, string]>(OUT_OF_ORDER_MS).withTimestampAssigner((l) => l[0]))
    .setParallelism(1)
    .flatMap(
      (line: [number, string], out: Collector<[string, number]>) => {
        for (const w of line[1].toLowerCase().split(/\W+/)) if (w) out.collect([w, 1]);
      },
      Types.TUPLE(Types.STRING, Types.INT),
    )
    .keyBy((t) => t[0])
    .window(TumblingEventTimeWindows.of(Time.milliseconds(WINDOW_MS)))
    .reduce(
      (a: [string, number], b: [string, number]) => [a[0], a[1] + b[1]] as [string, number],
      (word: string, ctx: ProcessWindowFunctionContext<TimeWindow>, counts: Iterable<[string, number]>, out: Collector<string>) => {
        const w = ctx.window();
        for (const [, n] of counts) out.collect(`[${w.start},${w.end}) ${word} ${n}`);
      },
      Types.STRING,
    )
    .print();
  await env.execute("Windowed WordCount");
}
