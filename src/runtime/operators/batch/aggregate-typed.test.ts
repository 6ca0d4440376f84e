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

async function run(input: readonly unknown[], aggs: AggregationSpec[], type: TypeInformation | undefined, memory: "ample" | "tiny"): Promise<unknown[]> {
  const mem = testMemory(memory === "ample" ? { bytes: 4 << 20, pageSize: 32 * 1024 } : { bytes: 8 * 1024, pageSize: 1024 });
  const values: unknown[] = [];
  const out: Output<unknown> = { collect: (v, ts) => (expect(ts).toBe(NO_TIMESTAMP), values.push(v)), collectSide() {}, emitWatermark() {} };
  const key = (r: any) => (Array.isArray(r) ? r[0] : r.k);
  const op = new AggregateOperator<any>(key, aggs, false, { inputType: type });
  op.setup(mem.context, out);
  await op.open();
  for (const r of input) op.processElement(r);
  await op.endInput();
  await op.close();
  expect(mem.manager.availablePages()).toBe(mem.manager.totalPages);
  if (memory === "tiny") expect(mem.io.spilledBytes).toBeGreaterThan(0);
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
