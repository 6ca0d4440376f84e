/** Shared helpers of the DataStream end-to-end tests: job text, output parsing, reference sorting. */
import { runJob, type JobRun } from "../support/run-job.ts";

/** Everything a test job may import from "flinkts". */
const IMPORTS = `import {
  StreamExecutionEnvironment, Types, OutputTag, Watermark, DataGeneratorSource,
  RichMapFunction, RichFlatMapFunction, RichFilterFunction, RichReduceFunction, RichSinkFunction, RichCoMapFunction, RichCoFlatMapFunction,
  RichParallelSourceFunction, RichSourceFunction, ProcessFunction, KeyedProcessFunction, CoProcessFunction, KeyedCoProcessFunction,
  ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, AggregatingStateDescriptor,
  IntCounter, LongCounter, Histogram, ListAccumulator,
} from "flinkts";`;

/**
 * Runs a job whose main() body is `body` (with `env` already made and `args` in scope), at
 * parallelism `p`. `prelude` holds top-level declarations (classes) of the job file.
 */
export function run(body: string, p: number, opts: { prelude?: string; args?: string[] } = {}): Promise<JobRun> {
  const source = `${IMPORTS}
${opts.prelude ?? ""}
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
${body}
}
`;
  return runJob(source, { parallelism: p, args: opts.args ?? [] });
}

/** A printed line split into its parts: "tag:2> v", "2> v", "tag> v" or "v". */
export interface PrintedLine {
  tag: string | undefined;
  /** 1-based subtask from the "N> " prefix; undefined at parallelism 1. */
  subtask: number | undefined;
  value: string;
}

export function parseLine(line: string): PrintedLine {
  const m = /^(?:([A-Za-z_][\w-]*)(?::(\d+))?> |(\d+)> )(.*)$/.exec(line);
  if (!m) return { tag: undefined, subtask: undefined, value: line };
  return { tag: m[1], subtask: m[2] ? Number(m[2]) : m[3] ? Number(m[3]) : undefined, value: m[4]! };
}

/** The values printed under `tag` (undefined: untagged lines), in print order. */
export function printed(lines: string[], tag?: string): string[] {
  return lines.map(parseLine).filter((l) => l.tag === tag).map((l) => l.value);
}

/** A canonical order for comparing multisets of any JSON-able values. */
export function sorted<T>(xs: readonly T[]): T[] {
  const key = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));
  return [...xs].sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Flink's print form of a tuple: (a,1). */
export function tuple(...fields: unknown[]): string {
  return `(${fields.join(",")})`;
}

export const PARALLELISMS = [1, 2] as const;
