/**
 * partitionByRange (sampled boundaries) and joins on partitioned inputs, end to end at
 * parallelism 1 and 2, with ample and tiny managed memory (the range assigner holds its input
 * until the sample is complete, spilling what does not fit its share).
 */
import { describe, expect, test } from "bun:test";
import { compareValues } from "../../src/runtime/operators/batch/compare-values.ts";
import { rangeBoundaries, rangeIndex } from "../../src/runtime/operators/broadcast/range-partition-operators.ts";
import { digest, expectSpills, FITS, inputs, referenceJoin, runCases, sorted, VARIANTS, writeCasesJob, type CasesRun, type JobCase, type Row, type Variant } from "./binary-cases.ts";

interface Case extends JobCase {
  check: (actual: any[], left: Row[], right: Row[], v: Variant) => void;
}

/** Per subtask: [index, record count, smallest key, largest key, sum of ids] of the key at `field`. */
const RANGES = (field: number) => `.mapPartition(new Ranges(${field}))`;

/** Ranges of successive subtasks are ordered and disjoint, and hold every record once. */
function checkRanges(actual: any[], rows: Row[], v: Variant): void {
  const parts = [...actual].sort((a, b) => a[0] - b[0]);
  expect(parts.map((p) => p[0])).toEqual(Array.from({ length: v.parallelism }, (_, i) => i));
  expect(parts.reduce((s, p) => s + p[1], 0)).toBe(rows.length);
  expect(parts.reduce((s, p) => s + p[4], 0)).toBe(rows.reduce((s, r) => s + r[2], 0));
  const filled = parts.filter((p) => p[1] > 0);
  for (let i = 1; i < filled.length; i++) expect(compareValues(filled[i - 1][3], filled[i][2])).toBeLessThan(0);
  // sampled boundaries split the records about evenly
  if (v.parallelism === 2 && rows.length > 0) for (const p of parts) expect(p[1]).toBeGreaterThan(rows.length * 0.3);
}

/**
 * Whether the range assigner's wait buffer spills depends on its share of the slot (the broadcast
 * operators size it; verify-external does not reach it) and on how much arrives before the sample:
 * only ample memory is checked.
 */
const ASSIGNER_ONLY = { ample: false };

const CASES: Case[] = [
  { name: "range on a string key with nulls and a hot key", job: `left.partitionByRange(0)${RANGES(0)}`, check: (a, l, _r, v) => checkRanges(a, l, v), spills: ASSIGNER_ONLY },
  { name: "range on a number key with nulls", job: `right.partitionByRange(1)${RANGES(1)}`, check: (a, _l, r, v) => checkRanges(a, r, v), spills: ASSIGNER_ONLY },
  { name: "range on a key selector", job: `right.partitionByRange((t) => t[2])${RANGES(2)}`, check: (a, _l, r, v) => checkRanges(a, r, v), spills: ASSIGNER_ONLY },
  { name: "range on an empty input", job: `empty.partitionByRange(0)${RANGES(0)}`, check: (a, _l, _r, v) => checkRanges(a, [], v), spills: FITS },
  {
    name: "partitionByRange then sortPartition(1, ASC).sortPartition(2, DESC): a total order",
    job: `right.partitionByRange(1).sortPartition(1, Order.ASCENDING).sortPartition(2, Order.DESCENDING).mapPartition(new InOrder())`,
    check: (a, _l, r, v) => {
      const parts = [...a].sort((x, y) => x[0] - y[0]);
      expect(parts.map((p) => p[1])).toEqual(parts.map(() => true));
      expect(parts.reduce((s, p) => s + p[2], 0)).toBe(r.length);
      const firsts = parts.filter((p) => p[2] > 0);
      for (let i = 1; i < firsts.length; i++) expect(compareValues(firsts[i - 1][4], firsts[i][3])).toBeLessThan(0);
      expect(parts).toHaveLength(v.parallelism);
    },
  },
  {
    name: "range-partitioned records join correctly",
    job: `digest(left.partitionByRange(0).join(right).where(0).equalTo(0).with((l, r) => [l[2], r[2]]))`,
    check: (a, l, r) => expect(a).toEqual(digest(referenceJoin(l, r, (x) => x[0], (x) => x[0]).map(([x, y]) => [x![2], y![2]] as [number, number]))),
  },
  {
    name: "hash-partitioned input joined on its key",
    job: `digest(left.partitionByHash(0).join(right.partitionByHash(0)).where(0).equalTo(0).with((l, r) => [l[2], r[2]]))`,
    check: (a, l, r) => expect(a).toEqual(digest(referenceJoin(l, r, (x) => x[0], (x) => x[0]).map(([x, y]) => [x![2], y![2]] as [number, number]))),
  },
  {
    name: "groupBy after partitionByRange",
    // 3000 records fit the group sorter's tiny share, not its minimum
    spills: { ample: false, tiny: false, forced: true },
    job: `left.filter((r) => r[2] < 3000).partitionByRange(0).groupBy(0).reduceGroup((rows, out) => { let k, n = 0; for (const r of rows) { k = r[0]; n++; } out.collect([k, n]); })`,
    check: (a, l) => {
      const counts = new Map<unknown, number>();
      for (const r of l.filter((x) => x[2] < 3000)) counts.set(r[0], (counts.get(r[0]) ?? 0) + 1);
      expect(sorted(a)).toEqual(sorted([...counts]));
    },
  },
];

const PRELUDE = `
const cmp = (a, b) => (a === b ? 0 : a === null || a === undefined ? -1 : b === null || b === undefined ? 1 : a < b ? -1 : 1);
/** Per subtask: [index, sorted by field 1 ascending then field 2 descending?, count, first field 1, last field 1]. */
class InOrder extends RichMapPartitionFunction {
  mapPartition(rows, out) {
    let prev, ok = true, n = 0, first = null, last = null;
    for (const r of rows) {
      if (n > 0 && (cmp(prev[1], r[1]) > 0 || (cmp(prev[1], r[1]) === 0 && prev[2] < r[2]))) ok = false;
      if (n === 0) first = r[1];
      last = r[1];
      prev = r;
      n++;
    }
    out.collect([this.getRuntimeContext().getIndexOfThisSubtask(), ok, n, first, last]);
  }
}
class Ranges extends RichMapPartitionFunction {
  constructor(field) { super(); this.field = field; }
  mapPartition(rows, out) {
    let n = 0, lo = null, hi = null, s = 0;
    for (const r of rows) {
      const k = r[this.field];
      if (n === 0 || cmp(k, lo) < 0) lo = k;
      if (n === 0 || cmp(k, hi) > 0) hi = k;
      n++;
      s += r[2];
    }
    out.collect([this.getRuntimeContext().getIndexOfThisSubtask(), n, lo, hi, s]);
  }
}
`;

const jobFile = writeCasesJob(CASES, PRELUDE);

describe.each(VARIANTS)("partitioning ($name)", (variant) => {
  let run: Promise<CasesRun> | undefined;
  const { left, right } = inputs(variant);
  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const done = await (run ??= runCases(jobFile, variant));
    const all = done.results;
    expect(Object.keys(all)).toContain(c.name);
    c.check(all[c.name]!, left, right, variant);
    expectSpills(c, variant, done);
  }, 120_000);
});

describe("range boundaries", () => {
  test("cut a weighted sample into equal parts", () => {
    const b = rangeBoundaries([[100, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], [100, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]]], 4);
    expect(b).toEqual([5, 10, 15]);
    expect([0, 5, 6, 15, 16, 99].map((k) => rangeIndex(b, k))).toEqual([0, 0, 1, 2, 3, 3]);
  });
  test("a subtask that saw more records weighs more", () => {
    expect(rangeBoundaries([[300, [1, 2, 3]], [100, [10, 11, 12]]], 2)).toEqual([2]);
  });
  test("equal keys share a range; no samples or one range give no boundaries", () => {
    expect(rangeBoundaries([[10, [7, 7, 7, 7]]], 3)).toEqual([7]);
    expect(rangeBoundaries([[0, []]], 3)).toEqual([]);
    expect(rangeBoundaries([[10, [1, 2]]], 1)).toEqual([]);
  });
});
