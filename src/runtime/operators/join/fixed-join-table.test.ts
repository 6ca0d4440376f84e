/**
 * Hash joins whose build side is tuples of numbers keyed by an int32 field (FixedJoinTable) against
 * the same joins on the general table and a nested-loop reference: duplicate build keys, probe keys
 * that match nothing or are not int32s, outer probe sides, and build sides too large for memory.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Types } from "../../../types/types.ts";
import { fixedJoinLayout } from "./fixed-join-table.ts";
import { JoinOperator, type JoinStrategy, type OuterJoinType } from "./join-operator.ts";
import { type Arrival, canonical, random, runTwoInput, testRoot } from "./join-test-support.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

type Row = unknown[];
const ORDERS = Types.TUPLE(Types.INT, Types.LONG, Types.DOUBLE);
// GENERIC keys: probe records carry keys of other kinds, which never match an int32
const ITEMS = Types.TUPLE(Types.GENERIC, Types.INT);

/**
 * Build keys (-3 .. keys-4) × spread with duplicates (spread 1: dense keys, a direct index;
 * larger: a hashed one); probe keys beyond them too, some null, 1.5 or "3".
 */
function data(builds: number, probes: number, keys: number, seed: number, spread = 1): { build: Row[]; probe: Row[] } {
  const rnd = random(seed);
  const build = Array.from({ length: builds }, (_, i) => [(Math.floor(rnd() * keys) - 3) * spread, i * 2 ** 33, Math.round(rnd() * 1e4) / 100]);
  const probe = Array.from({ length: probes }, (_, i): Row => {
    const r = rnd();
    const key = r < 0.02 ? null : r < 0.03 ? 1.5 : r < 0.04 ? "3" : (Math.floor(rnd() * keys * 1.2) - 3) * spread;
    return [key, i];
  });
  return { build, probe };
}

/** Nested loops over (build, probe): inner pairs, plus unmatched probe records when the probe side is outer. */
function reference(build: Row[], probe: Row[], probeOuter: boolean): unknown[] {
  const out: unknown[] = [];
  for (const p of probe) {
    let matched = false;
    for (const b of build) {
      if (p[0] !== null && b[0] === p[0]) {
        out.push([b, p]);
        matched = true;
      }
    }
    if (!matched && probeOuter) out.push([null, p]);
  }
  return out;
}

async function join(build: Row[], probe: Row[], outer: OuterJoinType | undefined, fieldKnown: boolean, arrival: Arrival, setting: "ample" | "small") {
  // input 1 is the build side (hash-build-first); a right outer join keeps unmatched probe records
  const op = new JoinOperator<Row, Row, unknown>({
    name: "Join under test",
    strategy: "hash-build-first" as JoinStrategy,
    outer,
    key1: (r) => r[0],
    key2: (r) => r[0],
    type1: ORDERS,
    type2: ITEMS,
    ...(fieldKnown ? { keyField1: 0, keyField2: 0 } : {}),
    join: (b, p, out) => out.collect([b, p]),
  });
  const memory = setting === "ample" ? { bytes: 256 * 32 * 1024, pageSize: 32 * 1024 } : { bytes: 16 * 1024, pageSize: 1024 };
  return runTwoInput(op, build, probe, arrival, memory);
}

describe("FixedJoinTable", () => {
  test("the layout: build tuples of non-null numbers keyed by an int32 field", () => {
    expect(fixedJoinLayout(ORDERS, 0)).not.toBeNull();
    expect(fixedJoinLayout(ORDERS, 1)).toBeNull(); // LONG key
    expect(fixedJoinLayout(ORDERS, 2)).toBeNull(); // DOUBLE key
    expect(fixedJoinLayout(ORDERS, undefined)).toBeNull();
    expect(fixedJoinLayout(Types.TUPLE(Types.INT, Types.STRING), 0)).toBeNull();
    expect(fixedJoinLayout(Types.ROW({ k: Types.INT }), "k")).toBeNull();
    // float64 fields first (8-aligned), then the 4-byte ones, then the chain word; rows padded to 8 bytes
    expect(fixedJoinLayout(Types.TUPLE(Types.INT, Types.DOUBLE, Types.FLOAT), 0)).toMatchObject({ offsets: Int32Array.from([2, 0, 3]), next: 4, words: 6 });
    expect(fixedJoinLayout(Types.TUPLE(Types.INT, Types.INT, Types.INT), 0)).toMatchObject({ offsets: Int32Array.from([0, 1, 2]), next: 3, words: 4 });
  });

  test("FLOAT build fields come back as the serializer would give them", async () => {
    const type = Types.TUPLE(Types.INT, Types.FLOAT, Types.INT);
    const build = Array.from({ length: 50 }, (_, i) => [i, i / 10, -i]);
    const probe = Array.from({ length: 60 }, (_, i) => [i, i]);
    const run = (keyField1: number | undefined) =>
      runTwoInput(
        new JoinOperator<Row, Row, unknown>({ name: "Join under test", strategy: "hash-build-first", key1: (r) => r[0], key2: (r) => r[0], type1: type, type2: ITEMS, keyField1, join: (b, p, out) => out.collect([b, p]) }),
        build,
        probe,
        "first-then-second",
        { bytes: 256 * 32 * 1024, pageSize: 32 * 1024 },
      );
    const fixed = (await run(0)).values;
    expect(canonical(fixed)).toEqual(canonical((await run(undefined)).values));
    expect(fixed).toContainEqual([[3, Math.fround(0.3), -3], [3, 3]]);
  });

  for (const [index, spread] of [["direct", 1], ["hashed", 7919]] as const) {
    for (const setting of ["ample", "small"] as const) {
      for (const arrival of ["first-then-second", "interleaved"] as const) {
        for (const outer of [undefined, "right"] as const) {
          test(`${index} index, ${outer ?? "inner"} join, ${setting} memory, ${arrival}: the reference's pairs, as the general table gives them`, async () => {
            const { build, probe } = data(1500, 2500, 400, 11, spread);
            const fixed = await join(build, probe, outer, true, arrival, setting);
            const general = await join(build, probe, outer, false, arrival, setting);
            const expected = canonical(reference(build, probe, outer === "right"));
            expect(canonical(fixed.values)).toEqual(expected);
            expect(canonical(general.values)).toEqual(expected);
            // small memory: the build side does not fit, the rows go over to the spilling table
            if (setting === "small") expect(fixed.spilledBytes).toBeGreaterThan(0);
            else expect(fixed.spilledBytes).toBe(0);
          });
        }
      }
    }
  }

  test("a build record that does not fit the layout goes to the general table, which names the bad field as it would without the fixed table", async () => {
    const { build, probe } = data(800, 1200, 200, 5);
    build[500]![2] = "not a number";
    const message = "field 2: expected DOUBLE";
    await expect(join(build, probe, undefined, true, "first-then-second", "ample")).rejects.toThrow(message);
    await expect(join(build, probe, undefined, false, "first-then-second", "ample")).rejects.toThrow(message);
  });
});
