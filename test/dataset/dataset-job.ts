/**
 * Helpers for the DataSet end-to-end tests: runs a job with runJob while capturing what the
 * client writes to stdout (DataSet.print() prints on the client, not through a sink), seeded
 * records shared by jobs and references, and a canonical order for comparing results.
 */
import { runJob } from "../support/run-job.ts";

export { writeJob } from "../support/run-job.ts";

export interface DataSetJobRun {
  /** Lines printed by sinks on the cluster (runJob's capture). */
  sinkLines: string[];
  /** Lines the client wrote to its stdout while the job ran. */
  clientLines: string[];
}

export async function runCapturingClient(sourceOrFile: string, opts: { args?: string[]; parallelism?: number; config?: Record<string, string> } = {}): Promise<DataSetJobRun> {
  const stdout = process.stdout as unknown as { write: (chunk: unknown, ...rest: unknown[]) => boolean };
  const original = stdout.write;
  let captured = "";
  stdout.write = (chunk: unknown) => {
    captured += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array);
    return true;
  };
  try {
    const r = await runJob(sourceOrFile, opts);
    return { sinkLines: r.lines, clientLines: captured.split("\n").filter((l) => l.length > 0) };
  } finally {
    stdout.write = original;
  }
}

/** The JSON a job wrote with `process.stdout.write("RESULT " + JSON.stringify(x))` after its last execution. */
export function resultOf(run: DataSetJobRun): any {
  const line = run.clientLines.find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`the job printed no RESULT line; client output: ${run.clientLines.slice(0, 5).join(" | ")}`);
  return JSON.parse(line.slice("RESULT ".length));
}

/**
 * The record generator, as source text so that jobs embed exactly what the references run:
 * record i is [key, value, id] from a mulberry32 stream seeded by (seed, i); keys are skewed.
 */
export const MAKE_RECORD_SOURCE = `function makeRecord(i, keys, seed) {
  let t = (Math.imul(i + 1, 0x9e3779b1) ^ seed) | 0;
  const next = () => {
    t = (t + 0x6d2b79f5) | 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  next();
  return ["k" + Math.floor(next() * next() * keys), Math.floor(next() * 200) - 50, i];
}`;

export type Rec = [string, number, number];

export const makeRecord = new Function(`${MAKE_RECORD_SOURCE}; return makeRecord;`)() as (i: number, keys: number, seed: number) => Rec;

export function records(size: number, keys: number, seed: number): Rec[] {
  return Array.from({ length: size }, (_, i) => makeRecord(i, keys, seed));
}

/** Sorts by JSON text: a canonical order for results whose order the engine does not fix. */
export function canonical<T>(values: readonly T[]): T[] {
  return values
    .map((v) => [JSON.stringify(v), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, v]) => v);
}

/** Groups records by a key, in order of first appearance. */
export function groupsOf<T, K>(values: readonly T[], key: (v: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const v of values) {
    const g = groups.get(key(v));
    if (g) g.push(v);
    else groups.set(key(v), [v]);
  }
  return groups;
}
