/** Generates benchmark inputs once (cached under test/bench/data): text of Zipf-distributed words. */
import { existsSync, mkdirSync, openSync, writeSync, closeSync, statSync, renameSync } from "node:fs";
import { join } from "node:path";

export const DATA_DIR = join(import.meta.dir, "data");

/** A deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ~`megabytes` MB of lines of 8–12 words from a 50,000-word vocabulary (Zipf-like, s ≈ 1). */
export function wordsFile(megabytes: number): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `words-${megabytes}mb.txt`);
  if (existsSync(path) && statSync(path).size >= megabytes * 1e6) return path;
  const rand = prng(42);
  const vocab: string[] = [];
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let i = 0; i < 50_000; i++) {
    const len = 2 + Math.floor(rand() * 8);
    let w = "";
    for (let j = 0; j < len; j++) w += letters[Math.floor(rand() * 26)];
    vocab.push(w);
  }
  const fd = openSync(path, "w");
  let written = 0;
  const target = megabytes * 1e6;
  while (written < target) {
    const lines: string[] = [];
    for (let l = 0; l < 10_000; l++) {
      const n = 8 + Math.floor(rand() * 5);
      const words: string[] = [];
      for (let k = 0; k < n; k++) words.push(vocab[Math.floor(Math.pow(50_000, rand())) - 1]!);
      lines.push(words.join(" "));
    }
    const chunk = lines.join("\n") + "\n";
    writeSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
  return path;
}

/**
 * Two CSV tables for the join and group-by benchmarks (cached): orders(okey, custkey, prio) with
 * `orders` rows and keys 0..orders-1 shuffled, and lineitem(okey, qty, price) with `lineitems`
 * rows whose okey is uniform over the orders.
 */
export function joinTables(orders: number, lineitems: number): { orders: string; lineitem: string } {
  mkdirSync(DATA_DIR, { recursive: true });
  const ordersPath = join(DATA_DIR, `orders-${orders}.csv`);
  const lineitemPath = join(DATA_DIR, `lineitem-${lineitems}-${orders}.csv`);
  const rand = prng(7);
  const writeTable = (path: string, rows: number, row: (i: number) => string) => {
    if (existsSync(path)) return;
    const fd = openSync(path + ".tmp", "w");
    for (let i = 0; i < rows; i += 100_000) {
      let chunk = "";
      for (let j = i; j < Math.min(rows, i + 100_000); j++) chunk += row(j);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    renameSync(path + ".tmp", path);
  };
  writeTable(ordersPath, orders, (i) => `${i},${Math.floor(rand() * (orders / 10))},${1 + Math.floor(rand() * 5)}\n`);
  writeTable(lineitemPath, lineitems, () => `${Math.floor(rand() * orders)},${1 + Math.floor(rand() * 50)},${(rand() * 1000).toFixed(2)}\n`);
  return { orders: ordersPath, lineitem: lineitemPath };
}
