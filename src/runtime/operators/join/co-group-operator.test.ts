/** CoGroupOperator against a naive grouping: with ample memory and with memory so small the sorters spill. */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { UserError } from "../../../core/errors.ts";
import { Types } from "../../../types/types.ts";
import { MIN_SORTER_PAGES } from "../sort/external-sorter.ts";
import { CoGroupOperator } from "./co-group-operator.ts";
import { type Arrival, dataSets, MEMORY, type MemorySetting, type Rec, referenceCoGroup, runTwoInput, testRoot } from "./join-test-support.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

const RECORD_TYPE = Types.TUPLE(Types.GENERIC, Types.INT, Types.STRING);
const ARRIVALS: Arrival[] = ["first-then-second", "second-then-first", "interleaved"];

/** A group as text: the ids of each side, sorted (the order within a group is not part of the contract). */
function groupText(first: Rec[], second: Rec[]): string {
  return JSON.stringify([first.map((r) => r[1]).sort((a, b) => a - b), second.map((r) => r[1]).sort((a, b) => a - b), first[0]?.[0] ?? second[0]?.[0] ?? "none"]);
}

function coGroupOp(typed: boolean, secondFirst: boolean): CoGroupOperator<Rec, Rec, string> {
  return new CoGroupOperator<Rec, Rec, string>({
    name: "CoGroup under test",
    key1: (r) => r[0],
    key2: (r) => r[0],
    ...(typed ? { type1: RECORD_TYPE, type2: RECORD_TYPE } : {}),
    coGroup: (first, second, out) => {
      // read the two sides in either order: each streams from its own sorter
      const b = secondFirst ? Array.from(second) : [];
      const a = Array.from(first);
      out.collect(groupText(a, secondFirst ? b : Array.from(second)));
    },
  });
}

describe.each([
  ["ample", "ample", 1],
  ["small", "tinySort", 20],
] as [string, MemorySetting, number][])("CoGroupOperator, %s memory", (_label, setting, scale) => {
  test("one call per key of either side, with exactly that key's records", async () => {
    const sets = dataSets(5, scale);
    for (let s = 0; s < sets.length; s++) {
      const { name, left, right } = sets[s]!;
      const expected = referenceCoGroup(left, right).map(([a, b]) => groupText(a, b)).sort();
      const arrivals = scale > 1 ? [ARRIVALS[s % 3]!] : ARRIVALS;
      for (let a = 0; a < arrivals.length; a++) {
        const { values, spilledBytes } = await runTwoInput(coGroupOp((s + a) % 2 === 0, a === 1), left, right, arrivals[a]!, setting, s * 13 + a);
        const got = (values as string[]).sort();
        if (got.length !== expected.length || got.some((v, i) => v !== expected[i])) throw new Error(`${name}, ${arrivals[a]}: ${got.length} groups, expected ${expected.length}`);
        if (setting === "ample") expect(spilledBytes).toBe(0);
        else if (JSON.stringify(left).length + JSON.stringify(right).length > 2 * MEMORY[setting].bytes) expect(spilledBytes).toBeGreaterThan(0);
      }
    }
  });
});

describe("CoGroupOperator memory", () => {
  test("runs at its minimum memory, and a failing function still frees pages and files", async () => {
    const { left, right } = dataSets(8, 20)[0]!;
    const expected = referenceCoGroup(left, right).map(([a, b]) => groupText(a, b)).sort();
    const { values, spilledBytes } = await runTwoInput(coGroupOp(true, false), left, right, "interleaved", { bytes: 2 * MIN_SORTER_PAGES * 32 * 1024, pageSize: 32 * 1024 });
    expect(spilledBytes).toBeGreaterThan(0);
    expect((values as string[]).sort()).toEqual(expected);
    let calls = 0;
    const failing = new CoGroupOperator<Rec, Rec, unknown>({
      name: "CoGroup under test",
      key1: (r) => r[0],
      key2: (r) => r[0],
      coGroup: () => {
        if (++calls === 100) throw new Error("boom in the coGroup function");
      },
    });
    await expect(runTwoInput(failing, left, right, "interleaved", "tinySort")).rejects.toThrow("boom in the coGroup function");
  });
});

describe("CoGroupOperator iterables", () => {
  const left: Rec[] = [[1, 0, ""], [1, 1, ""], [2, 2, ""], [null, 3, ""]];
  const right: Rec[] = [[1, 10, ""], [3, 11, ""], [null, 12, ""], [undefined, 13, ""]];

  test("groups left partly read do not leak into the next call; null keys group with null, undefined with undefined", async () => {
    const op = new CoGroupOperator<Rec, Rec, unknown>({
      name: "CoGroup under test",
      key1: (r) => r[0],
      key2: (r) => r[0],
      coGroup: (first, second, out) => {
        const it = first[Symbol.iterator]().next();
        out.collect([it.done ? null : it.value[1], Array.from(second).map((r) => r[1])]);
      },
    });
    const { values } = await runTwoInput(op, left, right, "interleaved", "ample");
    expect(canonicalPairs(values)).toEqual(canonicalPairs([[0, [10]], [2, []], [null, [11]], [3, [12]], [null, [13]]]));
  });

  test("a group is traversable once, and only during its call", async () => {
    const kept: Iterable<Rec>[] = [];
    const op = new CoGroupOperator<Rec, Rec, unknown>({
      name: "CoGroup under test",
      key1: (r) => r[0],
      key2: (r) => r[0],
      coGroup: (first, second) => {
        kept.push(second);
        Array.from(first);
        expect(() => Array.from(first)).toThrow(UserError);
        expect(() => Array.from(first)).toThrow(/CoGroup under test: a coGroup group can be iterated once/);
      },
    });
    await runTwoInput(op, left, right, "first-then-second", "ample");
    expect(kept.length).toBe(5);
    expect(() => Array.from(kept[0]!)).toThrow(UserError);
  });
});

function canonicalPairs(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}
