/** CrossOperator against the naive product: both block sides, every arrival order, with ample memory and memory so small it spills. */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Types } from "../../../types/types.ts";
import { CROSS_MIN_PAGES, CrossOperator } from "./cross-operator.ts";
import { type Arrival, canonical, type MemorySetting, random, type Rec, runTwoInput, testRoot } from "./join-test-support.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

const RECORD_TYPE = Types.TUPLE(Types.GENERIC, Types.INT, Types.STRING);

function records(n: number, seed: number, padLen: number): Rec[] {
  const rnd = random(seed);
  return Array.from({ length: n }, (_, i) => [rnd() < 0.1 ? null : Math.floor(rnd() * 50), i, "p".repeat(padLen)]);
}

const CASES: { name: string; a: Rec[]; b: Rec[] }[] = [
  { name: "both larger than tiny memory", a: records(500, 1, 30), b: records(300, 2, 25) },
  { name: "one large record side", a: records(40, 3, 2000), b: records(200, 4, 5) },
  { name: "empty first", a: [], b: records(100, 5, 5) },
  { name: "empty second", a: records(100, 6, 5), b: [] },
  { name: "single records", a: records(1, 7, 5), b: records(1, 8, 5) },
];

const product = (a: Rec[], b: Rec[]) => a.flatMap((x) => b.map((y) => [x, y]));

describe.each(["ample", "tiny"] as MemorySetting[])("CrossOperator, %s memory", (setting) => {
  for (const blockSide of [1, 2] as const) {
    test(`block side ${blockSide}: every pair, once, for every arrival order`, async () => {
      for (const [c, { name, a, b }] of CASES.entries()) {
        const expected = canonical(product(a, b));
        for (const [k, arrival] of (["first-then-second", "second-then-first", "interleaved"] as Arrival[]).entries()) {
          const typed = (c + k) % 2 === 0;
          const op = new CrossOperator<Rec, Rec, unknown>({
            name: "Cross under test",
            blockSide,
            ...(typed ? { type1: RECORD_TYPE, type2: RECORD_TYPE } : {}),
            cross: (x, y, out) => out.collect([x, y]),
          });
          const { values, spilledBytes } = await runTwoInput(op, a, b, arrival, setting, c * 7 + k);
          const got = canonical(values);
          if (got.length !== expected.length || got.some((v, i) => v !== expected[i])) throw new Error(`${name}, ${arrival}: ${got.length} pairs, expected ${expected.length}`);
          // the block side spills when it arrives first and is larger than memory
          const block = blockSide === 1 ? a : b;
          const blockFirst = (arrival === "first-then-second") === (blockSide === 1);
          if (setting === "tiny" && c < 2 && blockFirst && JSON.stringify(block).length > 24 * 1024) expect(spilledBytes).toBeGreaterThan(0);
          if (setting === "ample") expect(spilledBytes).toBe(0);
        }
      }
    });
  }
});

describe("CrossOperator memory", () => {
  test("runs at its minimum memory, and a failing function still frees pages and files", async () => {
    const [a, b] = [records(300, 9, 30), records(200, 10, 30)];
    const make = (cross: (x: Rec, y: Rec, out: { collect(v: unknown): void }) => void) => new CrossOperator<Rec, Rec, unknown>({ name: "Cross under test", blockSide: 1, cross });
    const { values, spilledBytes } = await runTwoInput(make((x, y, out) => out.collect([x, y])), a, b, "first-then-second", { bytes: CROSS_MIN_PAGES * 1024, pageSize: 1024 });
    expect(spilledBytes).toBeGreaterThan(0);
    expect(canonical(values)).toEqual(canonical(product(a, b)));
    let calls = 0;
    const failing = make(() => {
      if (++calls === 1000) throw new Error("boom in the cross function");
    });
    await expect(runTwoInput(failing, a, b, "first-then-second", "tiny")).rejects.toThrow("boom in the cross function");
  });
});
