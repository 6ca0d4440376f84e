/** Generates benchmark inputs once (cached under test/bench/data): text of Zipf-distributed words. */
import { existsSync, mkdirSync, openSync, writeSync, closeSync, statSync } from "node:fs";
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
