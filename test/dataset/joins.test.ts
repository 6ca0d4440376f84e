/**
 * Inner joins end to end, with every JoinHint, against a naive join of the same seeded inputs
 * (skewed and hot keys, null keys and fields, duplicates, an empty input), at parallelism 1 and
 * 2, with ample and with tiny managed memory (so hash tables and sorts spill). Large results are
 * compared as digests of their id pairs.
 */
import { describe, expect, test } from "bun:test";
import { ExecutionEnvironment, JoinHint, Types } from "../../src/index.ts";
import { InvalidProgramError } from "../../src/core/errors.ts";
import { describeReferenceCases, digest, FITS, idOf, inputs, type ReferenceCase, referenceJoin, type Row, writeCasesJob } from "./binary-cases.ts";

type Case = ReferenceCase;

const ids = (pairs: [Row | null, Row | null][]) => pairs.map(([l, r]) => [idOf(l), idOf(r)] as [number, number]);
const byField0 = (r: Row) => r[0];
const joinIds = (l: Row[], r: Row[]) => digest(ids(referenceJoin(l, r, byField0, byField0)));
const small = (rows: Row[]) => rows.filter((r) => r[2] < 400);

const HINTS = Object.values(JoinHint);

const CASES: Case[] = [
  ...HINTS.map((hint) => ({
    name: `hint ${hint}`,
    job: `digest(left.join(right, JoinHint.${hint}).where(0).equalTo(0).with((l, r) => [l[2], r[2]]))`,
    expected: joinIds,
    exact: true,
  })),
  {
    name: "pairs without a join function",
    job: `left.filter((r) => r[2] < 400).join(right.filter((r) => r[2] < 400)).where(0).equalTo(0)`,
    expected: (l, r) => referenceJoin(small(l), small(r), byField0, byField0),
    spills: FITS,
  },
  {
    name: "flat join function, filtering pairs",
    job: `digest(left.join(right).where(0).equalTo(0).with((l, r, out) => { if (l[1] !== null && r[1] !== null && l[1] < r[1]) out.collect([l[2], r[2]]); }))`,
    expected: (l, r) => digest(ids(referenceJoin(l, r, byField0, byField0).filter(([a, b]) => a![1] !== null && b![1] !== null && a![1] < b![1]))),
    exact: true,
  },
  {
    name: "RichJoinFunction opened with its runtime context",
    job: `left.filter((r) => r[2] < 400).join(right.filter((r) => r[2] < 400)).where(0).equalTo(0).with(new SubtaskTagger())`,
    expected: (l, r) => ids(referenceJoin(small(l), small(r), byField0, byField0)).map(([a, b]) => [a, b, true]),
    spills: FITS,
  },
  {
    name: "RichFlatJoinFunction",
    job: `digest(left.join(right, JoinHint.REPARTITION_SORT_MERGE).where(0).equalTo(0).with(new TwiceFlat()))`,
    expected: (l, r) => digest(ids(referenceJoin(l, r, byField0, byField0)).flatMap(([a, b]) => [[a, b], [b, a]] as [number, number][])),
    exact: true,
  },
  {
    name: "projectFirst(2).projectSecond(2, 0)",
    job: `left.filter((r) => r[2] < 400).join(right.filter((r) => r[2] < 400)).where(0).equalTo(0).projectFirst(2).projectSecond(2, 0)`,
    expected: (l, r) => referenceJoin(small(l), small(r), byField0, byField0).map(([a, b]) => [a![2], b![2], b![0]]),
    spills: FITS,
  },
  {
    name: "key selector functions",
    job: `digest(left.join(right).where((t) => t[0]).equalTo((t) => t[0]).with((l, r) => [l[2], r[2]]))`,
    expected: joinIds,
    exact: true,
  },
  {
    name: "composite key [0, 1] (a null field never matches)",
    job: `left.join(right, JoinHint.REPARTITION_SORT_MERGE).where([0, 1]).equalTo([0, 1]).with((l, r) => [l[2], r[2]])`,
    expected: (l, r) => {
      const key = (x: Row) => (x[0] === null || x[1] === null ? null : `${x[0]}|${x[1]}`);
      return ids(referenceJoin(l, r, key, key));
    },
  },
  {
    name: "number key with many duplicates",
    job: `left.filter((r) => r[2] < 400).join(right.filter((r) => r[2] < 400)).where(1).equalTo(1).with((l, r) => [l[2], r[2]])`,
    expected: (l, r) => ids(referenceJoin(small(l), small(r), (x) => x[1], (x) => x[1])),
    spills: FITS,
  },
  {
    name: "one source on both sides (self-join)",
    job: `digest(right.join(right).where(0).equalTo(0).with((a, b) => [a[2], b[2]]))`,
    expected: (_l, r) => joinIds(r, r),
    exact: true,
  },
  {
    name: "self-join broadcasting one side",
    job: `digest(right.join(right, JoinHint.BROADCAST_HASH_FIRST).where(0).equalTo(0).with((a, b) => [a[2], b[2]]))`,
    expected: (_l, r) => joinIds(r, r),
    exact: true,
  },
  // how much of the large side is held (and spilled) before the empty side ends depends on arrival order
  { name: "empty first input", job: `empty.join(right).where(0).equalTo(0)`, expected: () => [], spills: { ample: false } },
  { name: "empty second input, broadcast", job: `left.join(empty, JoinHint.BROADCAST_HASH_SECOND).where(0).equalTo(0)`, expected: () => [], spills: { ample: false } },
  {
    name: "join after groupBy on the same key",
    job: `left.groupBy(0).sum(1).join(right.filter((r) => r[2] < 400)).where(0).equalTo(0).with((g, r) => [g[0], g[1], r[2]])`,
    expected: (l, r) => {
      // a sum skips null values, and is null when the group has no other
      const sums = new Map<unknown, number | null>();
      for (const x of l) if (x[0] !== null) sums.set(x[0], x[1] === null ? sums.get(x[0]) ?? null : (sums.get(x[0]) ?? 0) + x[1]);
      return small(r).filter((x) => x[0] !== null && sums.has(x[0])).map((x) => [x[0], sums.get(x[0]), x[2]]);
    },
  },
  {
    name: "records without type information",
    job: `digest(left.map((r) => r).join(right.map((r) => r)).where(0).equalTo(0).with((l, r) => [l[2], r[2]]))`,
    expected: joinIds,
    exact: true,
  },
];

const PRELUDE = `
class SubtaskTagger extends RichJoinFunction {
  open() { this.n = this.getRuntimeContext().getNumberOfParallelSubtasks(); }
  join(l, r) { return [l[2], r[2], this.n >= 1]; }
}
class TwiceFlat extends RichFlatJoinFunction {
  join(l, r, out) { out.collect([l[2], r[2]]); out.collect([r[2], l[2]]); }
}
`;

const jobFile = writeCasesJob(CASES, PRELUDE);

describeReferenceCases("joins", CASES, jobFile);

describe("join programs that are refused", () => {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  const a = env.fromCollection<[string, number]>([["a", 1]], Types.TUPLE(Types.STRING, Types.INT));
  const b = env.fromCollection<[number, string]>([[1, "a"]], Types.TUPLE(Types.INT, Types.STRING));
  test("key types must match", () => {
    expect(() => a.join(b).where(0).equalTo(0)).toThrow(/key types do not match: STRING in the first input, INT in the second/);
    expect(() => a.join(b).where(1).equalTo(0)).not.toThrow();
  });
  test("keys must have as many fields", () => {
    expect(() => a.join(b).where([0, 1]).equalTo(1)).toThrow(/first input's key has 2 field\(s\) but the second's has 1/);
  });
  test("unknown hint", () => {
    expect(() => a.join(b, "FASTEST" as any)).toThrow(InvalidProgramError);
  });
  test("a field the type does not have", () => {
    expect(() => a.join(b).where(5)).toThrow(/has no field 5/);
  });
  test("projection of a non-tuple input", () => {
    const words = env.fromElements("x", "y");
    expect(() => words.join(words).where(0).equalTo(0).projectFirst(1)).toThrow(/only tuple inputs can be projected/);
    expect(words.join(words).where(0).equalTo(0).projectFirst().projectSecond().getType().toString()).toBe(Types.TUPLE(Types.STRING, Types.STRING).toString());
  });
});
