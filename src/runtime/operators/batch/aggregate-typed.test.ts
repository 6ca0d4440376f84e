/** AggregateOperator on typed records (partials serialized with widened SUM fields) against untyped ones and a naive reference, with ample and tiny memory. */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { Types } from "../../../types/types.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import { random, testMemory, testRoot } from "../join/join-test-support.ts";
import type { Output } from "../stream-operator.ts";
import type { AggregationSpec } from "./aggregation.ts";
import { AggregateOperator } from "./aggregate-operator.ts";
import { fixedAggregateLayout } from "./fixed-aggregate-table.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

type Rec = [number, number, number, number, number];
const TUPLE = Types.TUPLE(Types.INT, Types.INT, Types.LONG, Types.DOUBLE, Types.FLOAT);
const ROW = Types.ROW({ k: Types.INT, a: Types.INT, b: Types.LONG, c: Types.DOUBLE, d: Types.FLOAT });
const toRow = (r: Rec) => ({ k: r[0], a: r[1], b: r[2], c: r[3], d: r[4] });

function data(n: number, keys: number): Rec[] {
  const rnd = random(n + keys);
  return Array.from({ length: n }, () => [
    Math.floor(rnd() * keys) - 5,
    Math.floor(rnd() * 2 ** 31) - 2 ** 30,
    Math.floor(rnd() * 2 ** 40) - 2 ** 39,
    Math.round(rnd() * 1e6) / 100,
    Math.fround(rnd() * 100 - 50),
  ]);
}

async function run(
  input: readonly unknown[],
  aggs: AggregationSpec[],
  type: TypeInformation | undefined,
  memory: "ample" | "tiny" | "small" | "medium",
  options: { keyField?: number; combine?: boolean; pauses?: { count: number } } = {},
): Promise<unknown[]> {
  const sizes = { ample: { bytes: 4 << 20, pageSize: 32 * 1024 }, tiny: { bytes: 8 * 1024, pageSize: 1024 }, small: { bytes: 24 * 1024, pageSize: 1024 }, medium: { bytes: 128 * 1024, pageSize: 4096 } };
  const mem = testMemory(sizes[memory]);
  const values: unknown[] = [];
  const out: Output<unknown> = { collect: (v, ts) => (expect(ts).toBe(NO_TIMESTAMP), values.push(v)), collectSide() {}, emitWatermark() {} };
  const key = (r: any) => (Array.isArray(r) ? r[0] : r.k);
  const op = new AggregateOperator<any>(key, aggs, options.combine === true, { inputType: type, keyField: options.keyField });
  const pauses = options.pauses;
  op.setup(pauses ? { ...mem.context, yieldIfDue: () => (pauses.count++, Promise.resolve()) } : mem.context, out);
  await op.open();
  for (const r of input) op.processElement(r);
  await op.endInput();
  await op.close();
  expect(mem.manager.availablePages()).toBe(mem.manager.totalPages);
  if (memory === "tiny" && options.combine !== true) expect(mem.io.spilledBytes).toBeGreaterThan(0);
  mem.io.close();
  return values;
}

/** Per key: the last record with each aggregated field folded (SUM adds, MIN/MAX compare). */
function reference(input: readonly Rec[], aggs: AggregationSpec[], asRow: boolean): unknown[] {
  const byKey = new Map<number, any>();
  for (const r of input) {
    const rec: any = asRow ? toRow(r) : r.slice();
    const prev = byKey.get(r[0]);
    if (prev) {
      for (const { agg, field } of aggs) {
        const f = field as any;
        rec[f] = agg === "SUM" ? prev[f] + rec[f] : agg === "MIN" ? Math.min(prev[f], rec[f]) : Math.max(prev[f], rec[f]);
      }
    }
    byKey.set(r[0], rec);
  }
  return [...byKey.values()];
}

const canonical = (vs: readonly unknown[]) => vs.map((v) => JSON.stringify(v)).sort();

describe("AggregateOperator on typed records", () => {
  const tupleAggs: AggregationSpec[] = [{ agg: "SUM", field: 1 }, { agg: "SUM", field: 2 }, { agg: "SUM", field: 3 }, { agg: "MAX", field: 4 }, { agg: "MIN", field: 1 }];
  const rowAggs: AggregationSpec[] = [{ agg: "SUM", field: "c" }, { agg: "MIN", field: "a" }, { agg: "MAX", field: "b" }];
  for (const memory of ["ample", "tiny"] as const) {
    test(`tuples, ${memory} memory: the same groups as untyped records and the reference`, async () => {
      const input = data(6000, 900);
      // SUM and MIN of one field: MIN sees the partial sums, exactly as the untyped operator does
      const typed = await run(input, tupleAggs, TUPLE, memory);
      const untyped = await run(input, tupleAggs, undefined, memory);
      expect(canonical(typed)).toEqual(canonical(untyped));
      const plain: AggregationSpec[] = [{ agg: "SUM", field: 2 }, { agg: "SUM", field: 3 }, { agg: "MAX", field: 4 }, { agg: "MIN", field: 1 }];
      expect(canonical(await run(input, plain, TUPLE, memory))).toEqual(canonical(reference(input, plain, false)));
    });

    test(`rows, ${memory} memory: the same groups as the reference`, async () => {
      const input = data(5000, 700);
      expect(canonical(await run(input.map(toRow), rowAggs, ROW, memory))).toEqual(canonical(reference(input, rowAggs, true)));
    });
  }
});

describe("AggregateOperator on tuples of numbers grouped by an integer field (FixedAggregateTable)", () => {
  const aggs: AggregationSpec[] = [{ agg: "SUM", field: 2 }, { agg: "SUM", field: 3 }, { agg: "MAX", field: 4 }, { agg: "MIN", field: 1 }];
  test("the layout: tuples of non-null numbers, an integer key field that is not aggregated", () => {
    expect(fixedAggregateLayout(TUPLE, 0, aggs)).not.toBeNull();
    expect(fixedAggregateLayout(Types.TUPLE(Types.LONG, Types.DOUBLE), 0, [{ agg: "SUM", field: 1 }])?.int32Key).toBe(false);
    expect(fixedAggregateLayout(ROW, "k", [{ agg: "SUM", field: "c" }])).toBeNull();
    expect(fixedAggregateLayout(TUPLE, 3, aggs.slice(0, 1))).toBeNull(); // DOUBLE key
    expect(fixedAggregateLayout(TUPLE, 1, aggs)).toBeNull(); // the key is aggregated
    expect(fixedAggregateLayout(TUPLE, undefined, aggs)).toBeNull();
    expect(fixedAggregateLayout(Types.TUPLE(Types.INT, Types.STRING, Types.INT), 0, [{ agg: "SUM", field: 2 }])).toBeNull();
    expect(fixedAggregateLayout(Types.TUPLE(Types.INT, Types.NULLABLE(Types.INT)), 0, [{ agg: "SUM", field: 1 }])).toBeNull();
    expect(fixedAggregateLayout(TUPLE, 0, [{ agg: "SUM", field: 2 }, { agg: "MIN", field: 2 }])).toBeNull(); // two on one field
    // rows: float64 words first (every SUM, LONG, DOUBLE), then int32 and float32 ones, padded to 8 bytes
    const lineitem = fixedAggregateLayout(Types.TUPLE(Types.INT, Types.INT, Types.DOUBLE), 0, [{ agg: "SUM", field: 2 }])!;
    expect([...lineitem.offsets]).toEqual([2, 3, 0]);
    expect(lineitem.words).toBe(4); // 16 bytes
    const widened = fixedAggregateLayout(Types.TUPLE(Types.INT, Types.INT, Types.FLOAT), 0, [{ agg: "SUM", field: 1 }, { agg: "MAX", field: 2 }])!;
    expect([...widened.offsets]).toEqual([2, 0, 3]); // the INT sum is a float64, the FLOAT max a float32
    expect(widened.words).toBe(4);
  });

  // ample: all groups fit; small: the table hands its groups over to the spilling table mid-input; tiny: at once
  for (const memory of ["ample", "small", "tiny"] as const) {
    test(`final instance, ${memory} memory: the groups of the reference`, async () => {
      const input = data(8000, 1500);
      expect(canonical(await run(input, aggs, TUPLE, memory, { keyField: 0 }))).toEqual(canonical(reference(input, aggs, false)));
    });

    test(`combiner, ${memory} memory: its partials fold to the reference's groups`, async () => {
      const input = data(8000, 1500);
      const partials = (await run(input, aggs, TUPLE, memory, { keyField: 0, combine: true })) as Rec[];
      if (memory !== "ample") expect(partials.length).toBeGreaterThan(new Set(input.map((r) => r[0])).size); // it drained mid-input
      // partial SUMs widen INT to LONG; the final instance folds partials as records
      const final = await run(partials, aggs, Types.TUPLE(Types.INT, Types.LONG, Types.LONG, Types.DOUBLE, Types.FLOAT), "ample", { keyField: 0 });
      // combining adds the DOUBLE field in another order: compare it to the cent
      const cents = (vs: readonly unknown[]) => canonical(vs.map((v) => (v as Rec).map((x, i) => (i === 3 ? Math.round(x * 100) : x))));
      expect(cents(final)).toEqual(cents(reference(input, aggs, false)));
    });
  }

  test("final instance, more groups than memory holds: the general table takes the rows over and spills", async () => {
    // 32 pages: the general table needs pages for its partitions before the fixed table's come back (headroom)
    const input = data(30_000, 25_000);
    expect(canonical(await run(input, aggs, TUPLE, "medium", { keyField: 0 }))).toEqual(canonical(reference(input, aggs, false)));
  });

  test("with a slot to share (yieldIfDue), the result is emitted page by page, pausing between pages", async () => {
    const input = data(20_000, 6000);
    const pauses = { count: 0 };
    const result = await run(input, aggs, TUPLE, "ample", { keyField: 0, pauses });
    expect(canonical(result)).toEqual(canonical(reference(input, aggs, false)));
    expect(pauses.count).toBeGreaterThan(1); // 6000 groups of 32 bytes: several 32 KiB pages
  });

  test("LONG keys beyond 32 bits and NaN in MIN/MAX fields order as compareValues", async () => {
    const type = Types.TUPLE(Types.LONG, Types.DOUBLE, Types.DOUBLE);
    const input: [number, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const key = (i % 300) * 2 ** 33 + (i % 7) - 2 ** 40;
      input.push([key, i % 11 === 0 ? NaN : i, i % 13 === 0 ? NaN : -i]);
    }
    const minMax: AggregationSpec[] = [{ agg: "MIN", field: 1 }, { agg: "MAX", field: 2 }];
    const fixed = await run(input, minMax, type, "ample", { keyField: 0 });
    const general = await run(input, minMax, type, "ample");
    expect(fixed.length).toBe(new Set(input.map((r) => r[0])).size);
    expect(canonical(fixed)).toEqual(canonical(general));
  });

  test("a record that does not fit the layout goes to the general table, which names the bad field as it would without the fixed table", async () => {
    const input = data(4000, 600) as unknown[][];
    input[2500]![1] = 2.5; // not an int32 in an INT field
    const message = "TUPLE(INT, INT, LONG, DOUBLE, FLOAT) field 1: expected INT, got 2.5";
    await expect(run(input, aggs.slice(0, 3), TUPLE, "ample", { keyField: 0 })).rejects.toThrow(message);
    await expect(run(input, aggs.slice(0, 3), TUPLE, "ample")).rejects.toThrow(message);
  });
});
