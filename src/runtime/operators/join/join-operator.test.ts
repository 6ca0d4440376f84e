/** JoinOperator against a nested-loop reference: every strategy and outer type, with ample memory and with memory so small it spills. */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { MemoryAllocationError } from "../../../memory/memory-manager.ts";
import { Types } from "../../../types/types.ts";
import { HASH_JOIN_MIN_PAGES } from "./hybrid-hash-join.ts";
import { JoinOperator, type JoinStrategy, type OuterJoinType } from "./join-operator.ts";
import { SORT_MERGE_MIN_PAGES } from "./sort-merge-join.ts";
import { type Arrival, canonical, dataSets, MEMORY, type MemorySetting, type Rec, referenceJoin, runTwoInput, testMemory, testRoot } from "./join-test-support.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

const RECORD_TYPE = Types.TUPLE(Types.GENERIC, Types.INT, Types.STRING);
const STRATEGIES: JoinStrategy[] = ["hash-build-first", "hash-build-second", "sort-merge"];
const OUTER: (OuterJoinType | undefined)[] = [undefined, "left", "right", "full"];
const ARRIVALS: Arrival[] = ["first-then-second", "second-then-first", "interleaved"];

/** The small setting of a strategy: 1 KiB pages for the hash join, 32 KiB pages (the sorter's) and 20x the data for sort-merge. */
function small(strategy: JoinStrategy): { setting: MemorySetting; scale: number } {
  return strategy === "sort-merge" ? { setting: "tinySort", scale: 20 } : { setting: "tiny", scale: 1 };
}

function joinOp(strategy: JoinStrategy, outer: OuterJoinType | undefined, typed: boolean): JoinOperator<Rec, Rec, unknown> {
  return new JoinOperator<Rec, Rec, unknown>({
    name: "Join under test",
    strategy,
    outer,
    key1: (r) => r[0],
    key2: (r) => r[0],
    ...(typed ? { type1: RECORD_TYPE, type2: RECORD_TYPE } : {}),
    join: (l, r, out) => out.collect([l, r]),
  });
}

function jsonBytes(records: readonly unknown[]): number {
  return records.reduce<number>((n, r) => n + JSON.stringify(r).length, 0);
}

describe.each(STRATEGIES)("JoinOperator %s", (strategy) => {
  describe.each(["ample", "small"] as const)("%s memory", (memory) => {
    const { setting, scale } = memory === "ample" ? { setting: "ample" as MemorySetting, scale: 1 } : small(strategy);
    OUTER.forEach((outer, o) => {
      test(`${outer ?? "inner"} join matches the reference on every data set and arrival order`, async () => {
        const sets = dataSets(11 + o, scale);
        for (let s = 0; s < sets.length; s++) {
          const { name, left, right } = sets[s]!;
          const expected = canonical(referenceJoin(left, right, outer));
          // every arrival order with ample memory; one per data set (rotating) for the large sort-merge runs
          const arrivals = scale > 1 ? [ARRIVALS[(s + o) % 3]!] : ARRIVALS;
          for (let a = 0; a < arrivals.length; a++) {
            const arrival = arrivals[a]!;
            const typed = (s + a) % 2 === 0;
            const { values, spilledBytes } = await runTwoInput(joinOp(strategy, outer, typed), left, right, arrival, setting, s * 31 + a);
            const got = canonical(values);
            if (got.length !== expected.length || got.some((v, i) => v !== expected[i])) {
              const at = got.findIndex((v, i) => v !== expected[i]);
              throw new Error(`${name}, ${arrival}, ${typed ? "typed" : "generic"}: ${got.length} results, expected ${expected.length}; first difference: ${got[at]} vs ${expected[at]}`);
            }
            const spills = strategy === "sort-merge" ? left.concat(right) : strategy === "hash-build-first" ? left : right;
            if (setting !== "ample" && jsonBytes(spills) > 2 * MEMORY[setting].bytes) expect(spilledBytes).toBeGreaterThan(0);
            if (setting === "ample") expect(spilledBytes).toBe(0);
          }
        }
      });
    });
  });
});

describe("JoinOperator edge cases", () => {
  test("one key on both sides larger than memory is joined block-wise (output is the full cross product)", async () => {
    const left: Rec[] = Array.from({ length: 700 }, (_, i) => [5, i, "l".repeat(20)]);
    const right: Rec[] = Array.from({ length: 400 }, (_, i) => [i % 2 === 0 ? 5 : 6, i, "r".repeat(20)]);
    for (const outer of OUTER) {
      const { values, spilledBytes } = await runTwoInput(joinOp("hash-build-first", outer, true), left, right, "interleaved", "tiny");
      expect(spilledBytes).toBeGreaterThan(0);
      expect(canonical(values)).toEqual(canonical(referenceJoin(left, right, outer)));
    }
  });

  test("a share below the minimum is an error naming the operator", async () => {
    const mem = testMemory({ bytes: 3 * 1024, pageSize: 1024 });
    const op = joinOp("hash-build-first", undefined, false);
    op.setup(mem.context, { collect() {}, collectSide() {}, emitWatermark() {} });
    expect(() => op.open()).toThrow(MemoryAllocationError);
    expect(() => op.open()).toThrow(/Join under test \(1\/1\): asked for 6 managed memory pages/);
    mem.io.close();
  });

  test("runs at each strategy's minimum memory", async () => {
    const { left, right } = dataSets(3)[0]!;
    const expected = canonical(referenceJoin(left, right, "full"));
    for (const strategy of STRATEGIES) {
      const minimum = strategy === "sort-merge" ? { bytes: SORT_MERGE_MIN_PAGES * 32 * 1024, pageSize: 32 * 1024 } : { bytes: HASH_JOIN_MIN_PAGES * 1024, pageSize: 1024 };
      const { values } = await runTwoInput(joinOp(strategy, "full", true), left, right, "interleaved", minimum);
      expect(canonical(values)).toEqual(expected);
    }
  });

  test("a failing join function still frees every page and spill file on close", async () => {
    const { left, right } = dataSets(3)[5]!;
    for (const strategy of STRATEGIES) {
      let calls = 0;
      const op = new JoinOperator<Rec, Rec, unknown>({
        name: "Join under test",
        strategy,
        key1: (r) => r[0],
        key2: (r) => r[0],
        join: () => {
          if (++calls === 500) throw new Error("boom in the join function");
        },
      });
      // runTwoInput checks the pages and files after close, before rethrowing
      await expect(runTwoInput(op, left, right, "interleaved", small(strategy).setting)).rejects.toThrow("boom in the join function");
    }
  });

  test("null and undefined keys never match, even each other", async () => {
    const left: Rec[] = [[null, 1, ""], [undefined, 2, ""], [[1, null], 3, ""], [1, 4, ""]];
    const right: Rec[] = [[null, 1, ""], [undefined, 2, ""], [[1, null], 3, ""], [1, 4, ""]];
    const { values } = await runTwoInput(joinOp("hash-build-second", undefined, false), left, right, "interleaved", "ample");
    expect(values).toEqual([[[1, 4, ""], [1, 4, ""]]]);
  });

  test("keys equal by keysEqual join: -0 and 0, NaN and NaN, rows with fields in another order", async () => {
    const left: Rec[] = [[-0, 1, ""], [Number.NaN, 2, ""], [{ a: 1, b: "x" } as unknown, 3, ""]];
    const right: Rec[] = [[0, 1, ""], [Number.NaN, 2, ""], [{ b: "x", a: 1 } as unknown, 3, ""], [1n, 4, ""]];
    const { values } = await runTwoInput(joinOp("hash-build-first", undefined, false), left, right, "first-then-second", "ample");
    expect(values.map((v) => (v as Rec[])[0]![1]).sort()).toEqual([1, 2, 3]);
  });
});

describe("JoinOperator input selection (nextSelection)", () => {
  const op = (strategy: JoinStrategy, readBuildFirst?: boolean) =>
    new JoinOperator<Rec, Rec, unknown>({ name: "Join under test", strategy, key1: (r) => r[0], key2: (r) => r[0], readBuildFirst, join: () => {} });

  test("a hash join asks for its build side until it has ended, then for either", async () => {
    for (const [strategy, build] of [["hash-build-first", 1], ["hash-build-second", 2]] as const) {
      const mem = testMemory("ample");
      const join = op(strategy);
      join.setup(mem.context, { collect() {}, collectSide() {}, emitWatermark() {} });
      await join.open();
      expect(join.nextSelection()).toBe(build);
      join.endInput(build === 1 ? 2 : 1); // the probe side ending changes nothing
      expect(join.nextSelection()).toBe(build);
      join.endInput(build);
      expect(join.nextSelection()).toBe(0);
      await join.close();
      mem.io.close();
    }
  });

  test("sort-merge, and a hash join whose inputs share an upstream operator, read both inputs as they come", () => {
    expect(op("sort-merge").nextSelection()).toBe(0);
    expect(op("hash-build-first", false).nextSelection()).toBe(0);
  });
});
