/**
 * Left, right and full outer joins end to end with every hint Flink allows for each, against a
 * naive outer join (null keys never match, so their records come out unmatched), at
 * parallelism 1 and 2, with ample and tiny (spilling) managed memory; and the hints refused.
 */
import { describe, expect, test } from "bun:test";
import { ExecutionEnvironment, JoinHint, Types } from "../../src/index.ts";
import { InvalidProgramError } from "../../src/core/errors.ts";
import { describeReferenceCases, digest, FITS, idOf, type ReferenceCase, referenceJoin, type Row, writeCasesJob } from "./binary-cases.ts";

type Outer = "left" | "right" | "full";

type Case = ReferenceCase;

const METHOD: Record<Outer, string> = { left: "leftOuterJoin", right: "rightOuterJoin", full: "fullOuterJoin" };

const ALLOWED: Record<Outer, JoinHint[]> = {
  left: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND, JoinHint.BROADCAST_HASH_SECOND],
  right: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND, JoinHint.BROADCAST_HASH_FIRST],
  full: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND],
};

const byField0 = (r: Row) => r[0];
const outerIds = (l: Row[], r: Row[], outer: Outer) => digest(referenceJoin(l, r, byField0, byField0, outer).map(([a, b]) => [idOf(a), idOf(b)] as [number, number]));

const CASES: Case[] = [
  ...(Object.keys(ALLOWED) as Outer[]).flatMap((outer) =>
    ALLOWED[outer].map((hint) => ({
      name: `${outer} outer, ${hint}`,
      job: `digest(left.${METHOD[outer]}(right, JoinHint.${hint}).where(0).equalTo(0).with((l, r) => [id(l), id(r)]))`,
      expected: (l: Row[], r: Row[]) => outerIds(l, r, outer),
      exact: true,
    })),
  ),
  {
    name: "left outer with a flat join function, on a key selector",
    job: `digest(left.leftOuterJoin(right).where((t) => t[0]).equalTo((t) => t[0]).with((l, r, out) => { if (r === null) out.collect([l[2], -1]); }))`,
    expected: (l, r) => digest(referenceJoin(l, r, byField0, byField0, "left").filter(([, b]) => b === null).map(([a]) => [a![2], -1] as [number, number])),
    exact: true,
  },
  {
    name: "full outer with an empty first input",
    job: `empty.fullOuterJoin(right.filter((r) => r[2] < 300)).where(0).equalTo(0).with((l, r) => [id(l), id(r)])`,
    expected: (_l, r) => r.filter((x) => x[2] < 300).map((x) => [-1, x[2]]),
    spills: FITS,
  },
  {
    name: "left outer with an empty second input, broadcast",
    job: `left.filter((r) => r[2] < 300).leftOuterJoin(empty, JoinHint.BROADCAST_HASH_SECOND).where(0).equalTo(0).with((l, r) => [id(l), id(r)])`,
    expected: (l) => l.filter((x) => x[2] < 300).map((x) => [x[2], -1]),
    spills: FITS,
  },
  {
    name: "right outer of one source with itself",
    job: `digest(right.rightOuterJoin(right.filter((r) => r[1] === null || r[1] > 0)).where(0).equalTo(0).with((l, r) => [id(l), id(r)]))`,
    expected: (_l, r) => outerIds(r, r.filter((x) => x[1] === null || x[1] > 0), "right"),
    exact: true,
  },
];

const jobFile = writeCasesJob(CASES);

describeReferenceCases("outer joins", CASES, jobFile);

describe("outer join hints Flink refuses", () => {
  const env = ExecutionEnvironment.createLocalEnvironment(2);
  const T = Types.TUPLE(Types.STRING, Types.INT);
  const a = env.fromCollection<[string, number]>([["a", 1]], T);
  const b = env.fromCollection<[string, number]>([["a", 2]], T);
  const REFUSED: [Outer, JoinHint, RegExp][] = [
    ["left", JoinHint.BROADCAST_HASH_FIRST, /JoinHint.BROADCAST_HASH_FIRST is not supported, a left outer join cannot broadcast its first \(outer\) input/],
    ["right", JoinHint.BROADCAST_HASH_SECOND, /JoinHint.BROADCAST_HASH_SECOND is not supported, a right outer join cannot broadcast its second \(outer\) input/],
    ["full", JoinHint.BROADCAST_HASH_FIRST, /a full outer join cannot broadcast either input/],
    ["full", JoinHint.BROADCAST_HASH_SECOND, /a full outer join cannot broadcast either input/],
  ];
  test.each(REFUSED)("%s outer join with %s", (outer, hint, message) => {
    const call = () => (a as any)[METHOD[outer]](b, hint);
    expect(call).toThrow(InvalidProgramError);
    expect(call).toThrow(message);
  });
  test("an outer join needs a join function", () => {
    const assigner = a.leftOuterJoin(b).where(0).equalTo(0);
    expect((assigner as any).collect).toBeUndefined();
    expect(assigner.with((l, r) => [l![0], r?.[1] ?? null]).getName()).toBe("LeftOuterJoin");
  });
});
