/** FixedAggregateTable on its own: compaction in place, a full table, an index too small for a partition's groups. */
import { describe, expect, test } from "bun:test";
import { IOManager } from "../../../io/io-manager.ts";
import { MemoryManager } from "../../../memory/memory-manager.ts";
import { Types } from "../../../types/types.ts";
import { PagePool } from "../join/page-pool.ts";
import { random, testRoot } from "../join/join-test-support.ts";
import { FixedAggregateTable, fixedAggregateLayout } from "./fixed-aggregate-table.ts";

type Rec = [number, number, number];
// (INT key, INT last value, DOUBLE sum): rows of 16 bytes
const layout = fixedAggregateLayout(Types.TUPLE(Types.INT, Types.INT, Types.DOUBLE), 0, [{ agg: "SUM", field: 2 }])!;

function table(pages: number, pageSize = 1024) {
  const manager = new MemoryManager(pages * pageSize, pageSize);
  const pool = new PagePool(manager.allocatePages("table under test", pages), new IOManager([testRoot]), "table under test");
  const out: Rec[] = [];
  return { pool, out, table: new FixedAggregateTable(pool, layout, (v) => out.push(v as Rec)) };
}

function records(n: number, keys: number, seed: number): Rec[] {
  const rnd = random(seed);
  return Array.from({ length: n }, (_, i) => [Math.floor(rnd() * keys) - 3, i, Math.floor(rnd() * 1000) / 4]);
}

/** Per key: the sum of field 2 and the last record's field 1. */
function reference(input: readonly Rec[]): Map<number, [number, number]> {
  const groups = new Map<number, [number, number]>();
  for (const [k, last, x] of input) groups.set(k, [last, (groups.get(k)?.[1] ?? 0) + x]);
  return groups;
}

/** Folds emitted rows (partials, maybe several per key) the same way, checking their order per key. */
function fold(rows: readonly Rec[]): Map<number, [number, number]> {
  return reference(rows);
}

describe("FixedAggregateTable", () => {
  test("rows compact in place as the pool fills: a final table never full with few groups, one row per group", () => {
    const { pool, out, table: t } = table(48);
    const input = records(40_000, 300, 1); // 640 KB of rows through 48 KB of pages
    for (const r of input) expect(t.add(r)).toBe(true);
    expect(t.full).toBe(false);
    expect(t.compact()).toBe(true);
    expect(t.size).toBe(300);
    t.emitAll();
    expect(out.length).toBe(300);
    expect(fold(out)).toEqual(reference(input));
    t.close();
    expect(pool.available()).toBe(48);
  });

  test("with few groups the table compacts early and folds records into cached group rows: it stays small", () => {
    const { pool, out, table: t } = table(4096); // 4 MiB: room for all 200,000 rows, were they kept
    const input = records(65_536 + 60_000, 500, 5);
    for (const r of input) expect(t.add(r)).toBe(true);
    // compacted at 65,536 rows, after which the records of cached keys (most of the 500) fold straight in:
    // without the cache the 60,000 records after it would be rows
    expect(t.size).toBeLessThan(20_000);
    expect(pool.available()).toBeGreaterThan(4096 - 1100);
    expect(t.compact()).toBe(true);
    expect(t.size).toBe(500);
    t.emitAll();
    expect(fold(out)).toEqual(reference(input));
    t.close();
  });

  test("a table whose compaction frees too little refuses the record and is full; drain empties it", () => {
    const { out, table: t } = table(24);
    const input = records(5000, 4000, 2);
    let taken = 0;
    while (taken < input.length && t.add(input[taken]!)) taken++;
    expect(taken).toBeLessThan(input.length);
    expect(t.full).toBe(true);
    expect(t.drain()).toBe(out.length);
    expect(t.full).toBe(false);
    for (; taken < input.length; taken++) {
      if (t.add(input[taken]!)) continue;
      t.drain();
      expect(t.add(input[taken]!)).toBe(true);
    }
    t.drain();
    expect(fold(out)).toEqual(reference(input));
    t.close();
  });

  test("an index too small for a partition's groups leaves rows unfolded: compact is false, the table full, the rows still the records", () => {
    // 6 pages: one partition, 1 page kept for an index of 256 slots (192 groups), 5 row pages of 64 rows
    const { out, table: t } = table(6);
    const input: Rec[] = Array.from({ length: 400 }, (_, i) => [(i * 7) % 1000, i, i / 4]); // no key twice
    let taken = 0;
    while (taken < input.length && t.add(input[taken]!)) taken++;
    expect(taken).toBe(5 * 64);
    expect(t.full).toBe(true);
    expect(t.compact()).toBe(false);
    expect(t.size).toBe(5 * 64);
    t.emitAll();
    expect(fold(out)).toEqual(reference(input.slice(0, taken)));
    t.close();
  });

  test("a handed-over table gives every row as a record and all its pages back", () => {
    const { pool, table: t } = table(48);
    const input = records(2000, 500, 4);
    for (const r of input) expect(t.add(r)).toBe(true);
    const handed: Rec[] = [];
    t.handOver((v) => handed.push(v as Rec));
    expect(handed.length).toBe(2000); // nothing compacted yet: two partitions of 16 pages
    expect(fold(handed)).toEqual(reference(input));
    expect(pool.available()).toBe(48);
  });
});
