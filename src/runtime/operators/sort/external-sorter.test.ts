/**
 * The external sorter against a naive stable sort by compareValues on seeded random data, each
 * case twice: with ample memory and with the fewest pages (every sort spills and merges in
 * several passes). Also the combining and emitting variants, groups, and a heap bound.
 */
import { describe, expect, test } from "bun:test";
import { IOManager } from "../../../io/io-manager.ts";
import { MemoryManager } from "../../../memory/memory-manager.ts";
import { GenericSerializer } from "../../../types/generic-serializer.ts";
import type { KeyField } from "../../../types/sort/key-encoder.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { Types } from "../../../types/types.ts";
import { compareValues } from "../batch/compare-values.ts";
import { ExternalSorter, MIN_SORTER_PAGES, type SortCombiner, type SorterSpec } from "./external-sorter.ts";
import type { GroupReader } from "./group-reader.ts";
import type { SortedCursor } from "./sort-entry.ts";

type Rec = [unknown, number, string, number];

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records [key, n, payload, id]; `key(r, i)` draws the key. */
function records(seed: number, n: number, key: (r: () => number, i: number) => unknown, payload = 12): Rec[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => [key(r, i), Math.floor(r() * 50) - 10, "p".repeat(Math.floor(r() * payload)), i]);
}

const zipf = (r: () => number) => `key-${Math.floor(Math.pow(5000, r()))}`;

interface Dataset {
  name: string;
  data: Rec[];
  /** The key's declared type; undefined keys are GENERIC. */
  keyType?: TypeInformation;
}

const DATASETS: Dataset[] = [
  { name: "empty input", data: [], keyType: Types.STRING },
  { name: "skewed string keys", data: records(1, 6000, zipf), keyType: Types.STRING },
  { name: "duplicate keys", data: records(2, 6000, (r) => `k${Math.floor(r() * 3)}`), keyType: Types.STRING },
  { name: "unique keys sharing a long prefix", data: records(3, 4000, (_r, i) => `a/long/shared/prefix/of/every/key/${(i * 7919) % 4000}`), keyType: Types.STRING },
  { name: "generic keys: null, undefined, numbers, bigints, strings, tuples", data: records(4, 5000, (r) => [null, undefined, 1, 1n, -2.5, "x", ["t", Math.floor(r() * 3)], Math.floor(r() * 100)][Math.floor(r() * 8)]) },
  { name: "one group larger than memory", data: records(5, 3000, () => "the-one-key", 300), keyType: Types.STRING },
  { name: "records larger than a page and than the whole buffer", data: records(6, 40, (r) => Math.floor(r() * 5), 300_000), keyType: Types.INT },
];

const MEMORY = [
  { name: "ample memory", pages: 4096 },
  { name: "forced spill", pages: MIN_SORTER_PAGES },
];

const recordType = (keyType?: TypeInformation): TypeInformation | undefined => (keyType ? Types.TUPLE(keyType, Types.INT, Types.STRING, Types.INT) : undefined);

function serializerOf(keyType?: TypeInformation): TypeSerializer<Rec> {
  const t = recordType(keyType);
  return (t ? t.createSerializer() : new GenericSerializer()) as TypeSerializer<Rec>;
}

/** Sort by key ascending, then n descending. */
function fieldsOf(keyType?: TypeInformation): KeyField<Rec>[] {
  return [
    { selector: (r) => r[0], order: "ASCENDING", type: keyType },
    { selector: (r) => r[1], order: "DESCENDING", type: keyType ? Types.INT : undefined },
  ];
}

/**
 * Keys compareValues calls equal but grouping keeps apart sort after every field by kind: null
 * before undefined, a number before the bigint of the same value.
 */
const refinement = (v: unknown) => (v === undefined || typeof v === "bigint" ? 1 : 0);
const naiveSort = (data: Rec[]) =>
  data.slice().sort((a, b) => compareValues(a[0], b[0]) || compareValues(b[1], a[1]) || refinement(a[0]) - refinement(b[0]) || a[3] - b[3]);

function makeSorter<T>(spec: SorterSpec<T>, pages: number, options?: ConstructorParameters<typeof ExternalSorter<T>>[2]) {
  const manager = new MemoryManager(4096 * 32 * 1024);
  const io = new IOManager();
  const sorter = new ExternalSorter<T>(spec, { manager, io, owner: "sorter under test (1/1)", pages }, options);
  return { sorter, manager, io };
}

function drain<T>(cursor: SortedCursor, sorter: ExternalSorter<T>): T[] {
  const out: T[] = [];
  while (cursor.next()) out.push(sorter.records.read(cursor));
  return out;
}

const ids = (rs: Rec[]) => rs.map((r) => r[3]);

describe("external sort against a naive stable sort", () => {
  for (const ds of DATASETS) {
    for (const mem of MEMORY) {
      test(`${ds.name} — ${mem.name}`, () => {
        const { sorter, manager, io } = makeSorter<Rec>({ fields: fieldsOf(ds.keyType), groupFields: 2, serializer: serializerOf(ds.keyType) }, mem.pages);
        for (const r of ds.data) sorter.add(r);
        const sorted = drain(sorter.finish(), sorter);
        expect(ids(sorted)).toEqual(ids(naiveSort(ds.data)));
        expect(sorted).toEqual(naiveSort(ds.data));
        if (mem.pages === MIN_SORTER_PAGES && ds.data.length > 0) expect(sorter.spilledBytes).toBeGreaterThan(0);
        if (mem.pages !== MIN_SORTER_PAGES && !ds.name.startsWith("records larger")) expect(sorter.spilledBytes).toBe(0);
        expect(sorter.pagesHeld).toBeLessThanOrEqual(mem.pages);
        sorter.close();
        expect(io.bytesOnDisk()).toBe(0);
        expect(manager.availablePages()).toBe(manager.totalPages);
        io.close();
      });
    }
  }

  test("a STRING sorted by itself is stored once and read back from its key", () => {
    const r = mulberry32(9);
    const lines = Array.from({ length: 20_000 }, () => `${zipf(r)} ${zipf(r)}${r() < 0.1 ? "é\u0001\u0000" : ""}`);
    for (const mem of MEMORY) {
      for (const order of ["ASCENDING", "DESCENDING"] as const) {
        const { sorter, io } = makeSorter<string>({ fields: [{ selector: (s) => s, order, type: Types.STRING }], groupFields: 1, serializer: Types.STRING.createSerializer(), keyIsRecord: true }, mem.pages);
        for (const l of lines) sorter.add(l);
        const expected = lines.slice().sort();
        if (order === "DESCENDING") expected.reverse();
        expect(drain(sorter.finish(), sorter)).toEqual(expected);
        sorter.close();
        io.close();
      }
    }
  });
});

describe("groups, combining and emitting", () => {
  const data = records(11, 8000, (r) => `k${Math.floor(r() * r() * 60)}`);
  const byKey = [{ selector: (r: Rec) => r[0], order: "ASCENDING" as const, type: Types.STRING }];
  const naiveSums = () => {
    const sums = new Map<unknown, number>();
    for (const r of data) sums.set(r[0], (sums.get(r[0]) ?? 0) + r[1]);
    return [...sums].sort((a, b) => compareValues(a[0], b[0]));
  };

  for (const mem of MEMORY) {
    test(`groups by key, sorted within by n descending — ${mem.name}`, () => {
      const { sorter, io } = makeSorter<Rec>({ fields: [...byKey, { selector: (r) => r[1], order: "DESCENDING", type: Types.INT }], groupFields: 1, serializer: serializerOf(Types.STRING) }, mem.pages);
      for (const r of data) sorter.add(r);
      const groups = sorter.groups();
      const seen: Rec[][] = [];
      while (groups.nextGroup()) seen.push(groups.groupToArray());
      const expected = new Map<unknown, Rec[]>();
      for (const r of naiveSort(data)) expected.set(r[0], [...(expected.get(r[0]) ?? []), r]);
      expect(seen.map(ids)).toEqual([...expected.values()].map(ids));
      sorter.close();
      io.close();
    });

    test(`a combining sorter sums each key's n before spilling — ${mem.name}`, () => {
      const combiner: SortCombiner<Rec> = {
        combineGroup(group: GroupReader<Rec>, out) {
          const first = group.record();
          let sum = first[1];
          while (group.nextInGroup()) sum += group.record()[1];
          out.writeRecord([first[0], sum, "", 0]);
        },
      };
      const plain = makeSorter<Rec>({ fields: byKey, groupFields: 1, serializer: serializerOf(Types.STRING) }, mem.pages);
      const combining = makeSorter<Rec>({ fields: byKey, groupFields: 1, serializer: serializerOf(Types.STRING) }, mem.pages, { combiner });
      for (const r of data) {
        plain.sorter.add(r);
        combining.sorter.add(r);
      }
      const groups = combining.sorter.groups();
      const sums: [unknown, number][] = [];
      while (groups.nextGroup()) {
        const key = groups.record()[0];
        let sum = 0;
        do sum += groups.record()[1];
        while (groups.nextInGroup());
        sums.push([key, sum]);
      }
      expect(sums).toEqual(naiveSums());
      if (mem.pages === MIN_SORTER_PAGES) expect(combining.sorter.spilledBytes).toBeLessThan(plain.sorter.spilledBytes / 2);
      for (const s of [plain, combining]) {
        s.sorter.close();
        expect(s.io.bytesOnDisk()).toBe(0);
        s.io.close();
      }
    });
  }

  test("emitting full buffers: every batch sorted, together the input", () => {
    const batches: Rec[][] = [];
    let sorter!: ExternalSorter<Rec>;
    const made = makeSorter<Rec>({ fields: byKey, groupFields: 1, serializer: serializerOf(Types.STRING) }, MIN_SORTER_PAGES, {
      emitWhenFull: (cursor) => void batches.push(drain(cursor, sorter)),
    });
    sorter = made.sorter;
    for (const r of data) sorter.add(r);
    batches.push(drain(sorter.finish(), sorter));
    expect(batches.length).toBeGreaterThan(2);
    for (const b of batches) expect(ids(b)).toEqual(ids(b.slice().sort((x, y) => compareValues(x[0], y[0]) || x[3] - y[3])));
    expect(batches.flat().map((r) => r[3]).sort((a, b) => a - b)).toEqual(data.map((r) => r[3]));
    expect(sorter.spilledBytes).toBe(0);
    sorter.close();
    made.io.close();
  });
});

describe("memory", () => {
  test("the JS heap does not grow with the input: 10x the budget sorted in 128 pages", () => {
    const pages = 128; // 4 MiB
    const { sorter, io } = makeSorter<Rec>({ fields: fieldsOf(Types.STRING), groupFields: 2, serializer: serializerOf(Types.STRING) }, pages);
    const r = mulberry32(21);
    const n = 400_000; // about 100 bytes each: 40 MB
    Bun.gc(true);
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const sample = () => {
      Bun.gc(true);
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    };
    for (let i = 0; i < n; i++) {
      sorter.add([zipf(r), i % 1000, "x".repeat(80), i]);
      if (i % 50_000 === 0) sample();
    }
    const cursor = sorter.finish();
    let count = 0;
    let last: Rec | undefined;
    while (cursor.next()) {
      const rec = sorter.records.read(cursor);
      if (last) expect(compareValues(last[0], rec[0])).toBeLessThanOrEqual(0);
      last = rec;
      if (++count % 50_000 === 0) sample();
    }
    expect(count).toBe(n);
    expect(sorter.spilledBytes).toBeGreaterThan(10 * pages * 32 * 1024 * 0.8);
    // the index (a few MiB at most) and per-run buffers, not the 40 MB of records
    expect(peak).toBeLessThan(16 * 1024 * 1024);
    sorter.close();
    io.close();
  });
});
