/**
 * Sorting 1M (string, int) records: the sorter's normalized-key index (native BigUint64Array
 * sort, records serialized in pages) beside Array.prototype.sort with a compareValues
 * comparator on the JS records. Prints one table; `bun test/bench/normalized-key-sort.ts [n]`.
 */
import { IOManager } from "../../src/io/io-manager.ts";
import { MemoryManager } from "../../src/memory/memory-manager.ts";
import { compareValues } from "../../src/runtime/operators/batch/compare-values.ts";
import { ExternalSorter } from "../../src/runtime/operators/sort/external-sorter.ts";
import type { TypeSerializer } from "../../src/types/type-serializer.ts";
import { Types } from "../../src/types/types.ts";
import { prng } from "./data-gen.ts";

type Rec = [string, number];
const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 3;

function records(kind: "random" | "zipf"): Rec[] {
  const r = prng(7);
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  const vocab: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    let w = "";
    for (let j = 0, n = 2 + Math.floor(r() * 8); j < n; j++) w += letters[Math.floor(r() * 26)];
    vocab.push(w);
  }
  const out: Rec[] = new Array(N);
  for (let i = 0; i < N; i++) {
    let s = "";
    if (kind === "random") for (let j = 0, n = 4 + Math.floor(r() * 12); j < n; j++) s += letters[Math.floor(r() * 36)];
    else s = vocab[Math.floor(Math.pow(50_000, r())) - 1]!;
    out[i] = [s, Math.floor(r() * 1e6)];
  }
  return out;
}

const type = Types.TUPLE(Types.STRING, Types.INT);
const fields = [
  { selector: (v: Rec) => v[0], order: "ASCENDING" as const, type: Types.STRING },
  { selector: (v: Rec) => v[1], order: "ASCENDING" as const, type: Types.INT },
];

function comparatorSort(data: Rec[]): number {
  const t0 = performance.now();
  data.slice().sort((a, b) => compareValues(a[0], b[0]) || compareValues(a[1], b[1]));
  return performance.now() - t0;
}

function sorterSort(data: Rec[]): { add: number; sort: number; read: number } {
  const manager = new MemoryManager(1 << 30);
  const io = new IOManager();
  const sorter = new ExternalSorter<Rec>({ fields, groupFields: 2, serializer: type.createSerializer() as TypeSerializer<Rec> }, { manager, io, owner: "bench", pages: manager.totalPages });
  const t0 = performance.now();
  for (let i = 0; i < data.length; i++) sorter.add(data[i]!);
  const t1 = performance.now();
  const cursor = sorter.finish();
  const t2 = performance.now();
  let n = 0;
  while (cursor.next()) {
    sorter.records.read(cursor);
    n++;
  }
  const t3 = performance.now();
  if (n !== data.length) throw new Error(`sorted ${n} of ${data.length}`);
  if (sorter.spilledBytes !== 0) throw new Error("the benchmark sort spilled");
  sorter.close();
  io.close();
  return { add: t1 - t0, sort: t2 - t1, read: t3 - t2 };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`${N.toLocaleString("en")} (string, int) records, best of ${ROUNDS}`);
console.log("| keys | comparator sort (Array.sort + compareValues) | sorter: serialize + index | sorter: sort index | sorter: read back records | sort vs comparator |");
console.log("|---|---|---|---|---|---|");
for (const kind of ["random", "zipf"] as const) {
  const data = records(kind);
  let cmp = Infinity;
  let best = { add: Infinity, sort: Infinity, read: Infinity };
  for (let r = 0; r < ROUNDS; r++) {
    cmp = Math.min(cmp, comparatorSort(data));
    const s = sorterSort(data);
    best = { add: Math.min(best.add, s.add), sort: Math.min(best.sort, s.sort), read: Math.min(best.read, s.read) };
  }
  const label = kind === "random" ? "random strings (4-15 chars)" : "Zipf words (50k vocabulary), ties on the int";
  console.log(`| ${label} | ${ms(cmp)} | ${ms(best.add)} | ${ms(best.sort)} | ${ms(best.read)} | ${(cmp / best.sort).toFixed(1)}x faster |`);
}
