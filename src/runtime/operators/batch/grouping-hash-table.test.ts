/** GroupingHashTable against a Map reference: final tables that spill partitions over several levels, combiners that drain, values that change length. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IOManager } from "../../../io/io-manager.ts";
import { MemoryManager } from "../../../memory/memory-manager.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { Types } from "../../../types/types.ts";
import { GenericSerializer } from "../../../types/generic-serializer.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { PagePool } from "../join/page-pool.ts";
import { random } from "../join/join-test-support.ts";
import { GROUPING_MIN_PAGES, GroupingHashTable } from "./grouping-hash-table.ts";

const root = mkdtempSync(join(tmpdir(), "flinkts-grouping-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** [key, count, text]: merging adds counts and concatenates texts, so values grow and change length. */
type Rec = [unknown, number, string];

const merge = (a: Rec, b: Rec): Rec => [a[0], a[1] + b[1], (a[2] + b[2]).slice(-40)];

function reference(input: readonly Rec[]): Map<unknown, Rec> {
  const groups = new Map<unknown, Rec>();
  for (const r of input) {
    const k = keyToMapKey(r[0]);
    const g = groups.get(k);
    groups.set(k, g === undefined ? r : merge(g, r));
  }
  return groups;
}

interface Setting {
  name: string;
  pageSize: number;
  pages: number;
  records: number;
  keys: (rnd: () => number, i: number) => unknown;
  serializer: TypeSerializer<Rec>;
}

const typed = Types.TUPLE(Types.GENERIC, Types.INT, Types.STRING).createSerializer() as TypeSerializer<Rec>;
const SETTINGS: Setting[] = [
  { name: "ample memory, int keys", pageSize: 32 * 1024, pages: 64, records: 20_000, keys: (rnd) => Math.floor(rnd() * 3000), serializer: typed },
  { name: "5 pages of 1 KiB: spills over several levels", pageSize: 1024, pages: GROUPING_MIN_PAGES.final, records: 6000, keys: (rnd) => Math.floor(rnd() * 1500), serializer: typed },
  { name: "16 pages of 1 KiB, string and composite keys, GENERIC", pageSize: 1024, pages: 16, records: 5000, keys: (rnd, i) => (i % 2 === 0 ? `k${Math.floor(rnd() * 700)}` : [Math.floor(rnd() * 20), rnd() < 0.5 ? null : "x"]), serializer: new GenericSerializer() as TypeSerializer<Rec> },
  { name: "one hot key and many cold ones, tiny memory", pageSize: 1024, pages: 12, records: 5000, keys: (rnd) => (rnd() < 0.5 ? 7 : Math.floor(rnd() * 4000)), serializer: typed },
];

function inputOf(s: Setting, seed: number): Rec[] {
  const rnd = random(seed);
  return Array.from({ length: s.records }, (_, i) => [s.keys(rnd, i), 1 + Math.floor(rnd() * 5), String.fromCharCode(97 + Math.floor(rnd() * 26)).repeat(1 + Math.floor(rnd() * 3))]);
}

function pool(s: Setting, manager: MemoryManager): PagePool {
  return PagePool.lazy(manager, new IOManager([root]), "grouping under test", s.pages);
}

describe("GroupingHashTable", () => {
  for (const s of SETTINGS) {
    test(`${s.name}: a final table gives every group once, as the reference`, () => {
      const input = inputOf(s, s.records);
      const manager = new MemoryManager(s.pages * s.pageSize, s.pageSize);
      const p = pool(s, manager);
      const out: Rec[] = [];
      const table = new GroupingHashTable<Rec>(p, { key: (r) => r[0], first: (r) => r, merge, serializer: s.serializer }, "final", (r) => out.push(r));
      try {
        for (const r of input) table.add(r);
        table.finish();
      } finally {
        table.close();
      }
      const expected = reference(input);
      expect(out.length).toBe(expected.size);
      for (const r of out) expect(r).toEqual(expected.get(keyToMapKey(r[0]))!);
      if (s.pages * s.pageSize < 16 * 1024) expect(p.io.spilledBytes).toBeGreaterThan(0);
      expect(p.io.bytesOnDisk()).toBe(0);
      expect(p.available()).toBe(s.pages);
      p.release();
      expect(manager.availablePages()).toBe(manager.totalPages);
    });

    test(`${s.name}: a combiner that drains when full gives partials that merge to the reference`, () => {
      const input = inputOf(s, s.records + 1);
      const manager = new MemoryManager(s.pages * s.pageSize, s.pageSize);
      const p = pool(s, manager);
      const partials: Rec[] = [];
      const table = new GroupingHashTable<Rec>(p, { key: (r) => r[0], first: (r) => r, merge, serializer: s.serializer }, "combine", (r) => partials.push(r));
      let drains = 0;
      try {
        for (const r of input) {
          table.add(r);
          if (table.size > 400) {
            drains++;
            table.drain();
          }
        }
        table.drain();
      } finally {
        table.close();
      }
      expect(p.io.spilledBytes).toBe(0);
      const expected = reference(input);
      const merged = reference(partials);
      expect(merged.size).toBe(expected.size);
      for (const [k, r] of expected) expect(merged.get(k)![1]).toBe(r[1]);
      // drained (past 400 groups or memory) before the end, so some keys came out more than once
      expect(partials.length).toBeGreaterThan(expected.size);
      if (s.pages >= 64) expect(drains).toBeGreaterThan(0);
      p.release();
      expect(manager.availablePages()).toBe(manager.totalPages);
    });
  }

  test("a final table with too little memory for one entry fails with a MemoryAllocationError naming its owner", () => {
    const manager = new MemoryManager(GROUPING_MIN_PAGES.final * 1024, 1024);
    const p = PagePool.lazy(manager, new IOManager([root]), "tiny grouping", GROUPING_MIN_PAGES.final);
    const table = new GroupingHashTable<Rec>(p, { key: (r) => r[0], first: (r) => r, merge, serializer: typed }, "final", () => {});
    try {
      expect(() => {
        table.add([1, 1, "x".repeat(20_000)]);
        table.finish();
      }).toThrow("tiny grouping");
    } finally {
      table.close();
      p.release();
    }
  });
});
