/**
 * Shared harness of the join, coGroup, cross, partitioning and broadcast tests: one job file per
 * test file runs every case (one execution each) on two seeded inputs — skewed keys, a hot key in
 * the first input, null keys and null fields, duplicate keys — and an empty one; each variant
 * runs the job at a parallelism with ample or tiny managed memory (once with every operator
 * forced to its minimum). Tiny memory is smaller than what each operator must hold, so the
 * operators can only finish by spilling; each case's JobExecutionResult.getSpilledBytes() shows
 * that they did (expectSpills).
 */
import { describe, expect, test } from "bun:test";
import { MAKE_RECORD_SOURCE, resultOf, runCapturingClient, writeJob } from "./dataset-job.ts";

/** A record: [key (null for some), value (null for some), id]. */
export type Row = [string | null, number | null, number];

/** How record i of an input is made; the job embeds this very text. */
export const ROW_SOURCE = `${MAKE_RECORD_SOURCE}
function makeRow(i, keys, seed, hot) {
  const r = makeRecord(i, keys, seed);
  const key = i % 31 === 7 ? null : hot > 0 && i % hot === 0 ? "hot" : r[0];
  return [key, i % 23 === 5 ? null : r[1], r[2]];
}`;

/**
 * Large results travel as a digest: `digest(ds)` of a data set of [id1, id2] pairs (null ids as -1)
 * is one [count, sum, checksum] record, or none when ds is empty.
 */
export const DIGEST_SOURCE = `function digest(ds) {
  return ds.map((p) => [1, p[0] * 65536 + p[1], (p[0] * 7919 + p[1] * 104729) % 1000003]).reduce((x, y) => [x[0] + y[0], x[1] + y[1], x[2] + y[2]]);
}
const id = (r) => (r === null ? -1 : r[2]);`;

/** The digest the job computes, of pairs of ids. */
export function digest(pairs: readonly [number, number][]): number[][] {
  if (pairs.length === 0) return [];
  let sum = 0;
  let check = 0;
  for (const [a, b] of pairs) {
    sum += a * 65536 + b;
    check += (a * 7919 + b * 104729) % 1000003;
  }
  return [[pairs.length, sum, check]];
}

/** The id of a row, -1 for null (the other side of an unmatched outer join row). */
export const idOf = (r: Row | null): number => (r === null ? -1 : r[2]);

export const makeRow = new Function(`${ROW_SOURCE}; return makeRow;`)() as (i: number, keys: number, seed: number, hot: number) => Row;

export interface Sizes {
  /** Records of the first input, and every `hot`-th of them has the key "hot" (0: none). */
  size1: number;
  hot: number;
  size2: number;
  keys: number;
  seed: number;
}

/** The two inputs the job builds: the first with its hot key, the second with two "hot" records. */
export function inputs(s: Sizes): { left: Row[]; right: Row[] } {
  const left = Array.from({ length: s.size1 }, (_, i) => makeRow(i, s.keys, s.seed, s.hot));
  const right = Array.from({ length: s.size2 }, (_, i) => makeRow(i, s.keys, s.seed + 1, 0));
  if (right.length > 2) right[0]![0] = right[1]![0] = "hot";
  return { left, right };
}

/** 16 pages per slot (two slots): below what the larger test inputs need per operator. */
export const TINY_MEMORY = { "taskmanager.memory.managed.size": "1mb" };

/** Every sorter, hash table and cross block at its minimum of pages, whatever the memory (DuckDB's verify_external). */
export const FORCE_SPILLING = { "taskmanager.memory.verify-external": "true" };

export interface Variant extends Sizes {
  name: string;
  parallelism: number;
  memory: "ample" | "tiny";
  /** Also force every operator to its minimum (FORCE_SPILLING). */
  forced?: boolean;
}

/** Sizes for ample and tiny memory alike: each input is several times a tiny operator share. */
export const SIZES: Sizes = { size1: 30000, hot: 50, size2: 22500, keys: 9000, seed: 17 };

/**
 * Ample memory, where nothing spills; tiny memory, where each operator's share (its fraction of
 * 16 pages, at least its minimum) is below its input; and tiny memory with every operator forced
 * to its minimum.
 */
export const VARIANTS: Variant[] = [
  { name: "p=1, ample memory", parallelism: 1, memory: "ample", ...SIZES },
  { name: "p=2, ample memory", parallelism: 2, memory: "ample", ...SIZES },
  { name: "p=1, tiny memory (spills)", parallelism: 1, memory: "tiny", ...SIZES },
  { name: "p=2, tiny memory, verify-external (spills)", parallelism: 2, memory: "tiny", forced: true, ...SIZES },
];

/**
 * Whether a case's execution spills (JobExecutionResult.getSpilledBytes() > 0) with ample
 * memory, with tiny memory, and with tiny memory and every operator forced to its minimum
 * (`forced`, which defaults to `tiny`); a missing one is not checked. By default: never with
 * ample memory, always with tiny memory.
 */
export interface SpillExpectation {
  ample?: boolean;
  tiny?: boolean;
  forced?: boolean;
}

/** Inputs a few hundred records small: they fit even an operator's minimum, nothing spills. */
export const FITS: SpillExpectation = { ample: false, tiny: false };

export interface JobCase {
  name: string;
  /** An expression whose collect() is the case's result; or, with `stmt`, statements setting `out[NAME]`. */
  job: string;
  stmt?: boolean;
  spills?: SpillExpectation;
}

/**
 * The job: `left`, `right`, `empty` (typed as T3 = TUPLE(NULLABLE(STRING), NULLABLE(INT), INT)),
 * `env`, `Types`, `JoinHint`, `CrossHint`, `Order` are in scope of every case; `prelude` may
 * define helper classes.
 */
export function jobSource(cases: readonly JobCase[], prelude = ""): string {
  return `
import { ExecutionEnvironment, Types, JoinHint, CrossHint, Order, RichJoinFunction, RichFlatJoinFunction, RichCoGroupFunction, RichCrossFunction, RichMapFunction, RichFilterFunction, RichReduceFunction, RichMapPartitionFunction, RichGroupReduceFunction } from "flinkts";

${ROW_SOURCE}
${DIGEST_SOURCE}
${prelude}

export default async function main(args) {
  const [size1, hot, size2, keys, seed] = args.slice(0, 5).map(Number);
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const T3 = Types.TUPLE(Types.NULLABLE(Types.STRING), Types.NULLABLE(Types.INT), Types.INT);
  const left = env.generateSequence(0, size1 - 1).map((i) => makeRow(i, keys, seed, hot), T3).name("left");
  const right = env.generateSequence(0, size2 - 1).map((i) => { const r = makeRow(i, keys, seed + 1, 0); if (i < 2) r[0] = "hot"; return r; }, T3).name("right");
  const empty = env.fromCollection([], T3);
  const out = {};
  const spilled = {};
${cases.map((c) => `  ${c.stmt ? c.job.replaceAll("NAME", JSON.stringify(c.name)) : `out[${JSON.stringify(c.name)}] = await (${c.job}).collect();`}
  spilled[${JSON.stringify(c.name)}] = env.getLastJobExecutionResult()?.getSpilledBytes() ?? 0;`).join("\n")}
  process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");
  process.stdout.write("SPILLED " + JSON.stringify(spilled) + "\\n");
}
`;
}

export function writeCasesJob(cases: readonly JobCase[], prelude = ""): string {
  return writeJob(jobSource(cases, prelude));
}

export interface CasesRun {
  /** The results by case name. */
  results: Record<string, any[]>;
  /** By case name, the bytes its (last) execution spilled: JobExecutionResult.getSpilledBytes(). */
  spilled: Record<string, number>;
}

/** Runs the job of `file` for one variant: the results and bytes spilled by case name. */
export async function runCases(file: string, v: Variant): Promise<CasesRun> {
  const run = await runCapturingClient(file, {
    parallelism: v.parallelism,
    args: [v.size1, v.hot, v.size2, v.keys, v.seed].map(String),
    config: { ...(v.memory === "tiny" ? TINY_MEMORY : {}), ...(v.forced ? FORCE_SPILLING : {}) },
  });
  const line = run.clientLines.find((l) => l.startsWith("SPILLED "));
  if (!line) throw new Error("the job printed no SPILLED line");
  return { results: resultOf(run), spilled: JSON.parse(line.slice("SPILLED ".length)) };
}

/** Runs the job of `file` for one variant; the results by case name. */
export async function runVariant(file: string, v: Variant): Promise<Record<string, any[]>> {
  return (await runCases(file, v)).results;
}

/** A case checked against a naive in-memory reference on the same inputs. */
export interface ReferenceCase extends JobCase {
  expected: (left: Row[], right: Row[], variant: Variant) => unknown[];
  /** Compare as is (digests are single records); otherwise as multisets. */
  exact?: boolean;
}

/**
 * One describe per variant, one test per case: the cases run as one job per variant; each result
 * must equal its reference (computed once for all variants) and spill as the case expects.
 */
export function describeReferenceCases(title: string, cases: readonly ReferenceCase[], jobFile: string): void {
  const reference = referenceCache();
  describe.each(VARIANTS)(`${title} ($name)`, (variant) => {
    let run: Promise<CasesRun> | undefined;
    const { left, right } = inputs(variant);
    test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const done = await (run ??= runCases(jobFile, variant));
      const all = done.results;
      expect(Object.keys(all)).toContain(c.name);
      const expected = reference(variant, c.name, () => c.expected(left, right, variant));
      if (c.exact) expect(all[c.name]).toEqual(expected);
      else expect(sorted(all[c.name]!)).toEqual(sorted(expected));
      expectSpills(c, variant, done);
    }, 120_000);
  });
}

/** Checks the bytes a case spilled against its SpillExpectation in this variant. */
export function expectSpills(c: JobCase, v: Variant, run: CasesRun): void {
  const e = c.spills ?? { ample: false, tiny: true };
  const spills = v.forced && "forced" in e ? e.forced : v.memory === "ample" ? e.ample : e.tiny;
  const bytes = run.spilled[c.name];
  expect(bytes).toBeNumber();
  if (spills === true) expect(bytes).toBeGreaterThan(0);
  else if (spills === false) expect(bytes).toBe(0);
}

/**
 * A cache of each case's reference result, computed once for all variants (they share SIZES):
 * the naive references are a good part of these tests' time.
 */
export function referenceCache(): <T>(sizes: Sizes, name: string, compute: () => T) => T {
  const cache = new Map<string, unknown>();
  return <T>(sizes: Sizes, name: string, compute: () => T): T => {
    const key = JSON.stringify([sizes.size1, sizes.hot, sizes.size2, sizes.keys, sizes.seed, name]);
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) as T;
  };
}

/** Canonical order for comparing multisets of results. */
export function sorted<T>(values: readonly T[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

/** Groups rows by key (null keys included, under null). */
export function byKey<T>(rows: readonly T[], key: (r: T) => unknown): Map<unknown, T[]> {
  const m = new Map<unknown, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = m.get(k);
    if (g) g.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** A naive equi-join: null keys never match; `outer` adds unmatched rows with null on the other side. */
export function referenceJoin<L, R>(left: readonly L[], right: readonly R[], k1: (l: L) => unknown, k2: (r: R) => unknown, outer?: "left" | "right" | "full"): [L | null, R | null][] {
  const out: [L | null, R | null][] = [];
  const rightByKey = byKey(right, k2);
  const matchedRight = new Set<R>();
  for (const l of left) {
    const key = k1(l);
    const matches = key === null || key === undefined ? [] : rightByKey.get(key) ?? [];
    for (const r of matches) {
      out.push([l, r]);
      matchedRight.add(r);
    }
    if (matches.length === 0 && (outer === "left" || outer === "full")) out.push([l, null]);
  }
  if (outer === "right" || outer === "full") for (const r of right) if (!matchedRight.has(r)) out.push([null, r]);
  return out;
}
