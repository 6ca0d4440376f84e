/** The peer for the word-count benchmark: a hand-written single-threaded Bun loop (line.split + Map). */
import { openSync, readSync, closeSync } from "node:fs";

const path = process.argv[2]!;
const t0 = performance.now();
const counts = new Map<string, number>();
let words = 0;
const fd = openSync(path, "r");
const chunk = Buffer.allocUnsafe(1 << 20);
let carry = "";
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  const text = carry + chunk.toString("latin1", 0, n);
  const lines = text.split("\n");
  carry = lines.pop()!;
  for (const line of lines) {
    if (!line) continue;
    for (const w of line.split(" ")) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      words++;
    }
  }
}
closeSync(fd);
console.log(`words=${words} distinct=${counts.size} ms=${(performance.now() - t0).toFixed(0)}`);
