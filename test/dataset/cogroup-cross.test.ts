/**
 * coGroup and cross end to end against naive references on the seeded inputs (null keys form a
 * group of their own in coGroup; one group larger than the tiny memory), at parallelism 1 and
 * 2, with ample and tiny (spilling) managed memory.
 */
import { describe, expect, test } from "bun:test";
import { ExecutionEnvironment, Types } from "../../src/index.ts";
import { byKey, describeReferenceCases, digest, FITS, inputs, makeRow, type ReferenceCase, type Row, writeCasesJob } from "./binary-cases.ts";

type Case = ReferenceCase;

/** Per key of either input: [key, records of the first, records of the second, sum of their ids]. */
function groupCounts(l: Row[], r: Row[]): unknown[] {
  const a = byKey(l, (x) => x[0]);
  const b = byKey(r, (x) => x[0]);
  const keys = new Set([...a.keys(), ...b.keys()]);
  const idSum = (rows: Row[] | undefined) => (rows ?? []).reduce((s, x) => s + x[2], 0);
  return [...keys].map((k) => [k, a.get(k)?.length ?? 0, b.get(k)?.length ?? 0, idSum(a.get(k)) + idSum(b.get(k))]);
}

const COUNTS = `(xs, ys, out) => { let k, n1 = 0, n2 = 0, s = 0; for (const x of xs) { k = x[0]; n1++; s += x[2]; } for (const y of ys) { k = y[0]; n2++; s += y[2]; } out.collect([k, n1, n2, s]); }`;
const crossIds = (l: Row[], r: Row[]) => digest(l.flatMap((a) => r.map((b) => [a[2], b[2]] as [number, number])));
const below = (n: number) => (x: Row) => x[2] < n;

const CASES: Case[] = [
  { name: "coGroup: group sizes per key", job: `left.coGroup(right).where(0).equalTo(0).with(${COUNTS})`, expected: groupCounts },
  {
    name: "coGroup: one group larger than memory",
    job: `env.generateSequence(0, size1 - 1).map((i) => makeRow(i, keys, seed, 2), T3).coGroup(right).where(0).equalTo(0).with(${COUNTS})`,
    expected: (_l, r, s) => groupCounts(Array.from({ length: s.size1 }, (_, i) => makeRow(i, s.keys, s.seed, 2)), r),
  },
  {
    name: "coGroup: RichCoGroupFunction on key selectors",
    job: `left.coGroup(right).where((t) => t[0]).equalTo((t) => t[0]).with(new NonEmptySides())`,
    expected: (l, r) => groupCounts(l, r).map((g: any) => [g[0], g[1] > 0 && g[2] > 0]),
  },
  { name: "coGroup: empty first input", job: `empty.coGroup(right.filter((r) => r[2] < 300)).where(0).equalTo(0).with(${COUNTS})`, expected: (_l, r) => groupCounts([], r.filter(below(300))), spills: FITS },
  { name: "coGroup: one source with itself", job: `right.coGroup(right).where(0).equalTo(0).with(${COUNTS})`, expected: (_l, r) => groupCounts(r, r) },
  {
    name: "cross: pairs",
    job: `left.filter((r) => r[2] < 40).cross(right.filter((r) => r[2] < 30))`,
    expected: (l, r) => l.filter(below(40)).flatMap((a) => r.filter(below(30)).map((b) => [a, b])),
    spills: FITS,
  },
  { name: "cross: with()", job: `digest(left.filter((r) => r[2] < 150).cross(right.filter((r) => r[2] < 100)).with((a, b) => [a[2], b[2]]))`, expected: (l, r) => crossIds(l.filter(below(150)), r.filter(below(100))), exact: true, spills: FITS },
  { name: "crossWithTiny", job: `digest(left.filter((r) => r[2] < 150).crossWithTiny(right.filter((r) => r[2] < 100)).with((a, b) => [a[2], b[2]]))`, expected: (l, r) => crossIds(l.filter(below(150)), r.filter(below(100))), exact: true, spills: FITS },
  {
    name: "crossWithHuge: a block side larger than memory",
    job: `digest(left.filter((r) => r[2] < 30000).crossWithHuge(right.filter((r) => r[2] < 12)).with((a, b) => [a[2], b[2]]))`,
    expected: (l, r) => crossIds(l.filter(below(30000)), r.filter(below(12))),
    exact: true,
  },
  {
    name: "cross: RichCrossFunction and a projection",
    job: `left.filter((r) => r[2] < 20).cross(right.filter((r) => r[2] < 20)).with(new IdPair()).cross(empty.union(right.filter((r) => r[2] < 2))).projectFirst(0, 1).projectSecond(2)`,
    expected: (l, r) => l.filter(below(20)).flatMap((a) => r.filter(below(20)).map((b) => [a[2], b[2]])).flatMap((p) => r.filter(below(2)).map((c) => [p[0], p[1], c[2]])),
    spills: FITS,
  },
  // how much of the large side is held (and spilled) before the empty side ends depends on arrival order
  { name: "cross: an empty input", job: `empty.cross(right)`, expected: () => [], spills: { ample: false } },
];

const PRELUDE = `
class NonEmptySides extends RichCoGroupFunction {
  coGroup(xs, ys, out) { let k, a = false, b = false; for (const x of xs) { k = x[0]; a = true; } for (const y of ys) { k = y[0]; b = true; } out.collect([k, a && b]); }
}
class IdPair extends RichCrossFunction {
  open() { this.ok = this.getRuntimeContext().getNumberOfParallelSubtasks() >= 1; }
  cross(a, b) { return this.ok ? [a[2], b[2]] : null; }
}
`;

const jobFile = writeCasesJob(CASES, PRELUDE);

describeReferenceCases("coGroup and cross", CASES, jobFile);

describe("coGroup and cross programs", () => {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  const a = env.fromCollection<[string, number]>([["a", 1]], Types.TUPLE(Types.STRING, Types.INT));
  test("coGroup key types must match", () => {
    expect(() => a.coGroup(a).where(0).equalTo(1)).toThrow(/key types do not match: STRING in the first input, INT in the second/);
  });
  test("cross pairs are typed when both inputs are", () => {
    expect(a.cross(a).getType().toString()).toBe("TUPLE(TUPLE(STRING, INT), TUPLE(STRING, INT))");
    expect(a.cross(a).projectSecond(1).projectFirst(0).getType().toString()).toBe("TUPLE(INT, STRING)");
  });
});
