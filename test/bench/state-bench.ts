/** Micro benchmark: keyed ValueState read-modify-write per record on the heap backend, beside a hand-written Map loop. */
import { KeyedStateBackend } from "../../src/runtime/state/keyed-state-backend.ts";
import type { ValueState } from "../../src/runtime/state/state-types.ts";
import { hashKey } from "../../src/types/key-hashing.ts";

const KEYS = 100_000;
const RECORDS = 5_000_000;
const ROUNDS = 7;
const MAX_P = 128;

// Distinct string keys with their key groups computed up front, as the caller of setCurrentKey does.
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i.toString(36)}-${(i * 2654435761) >>> 0}`);
const keyGroups = Int32Array.from(keys, (k) => (hashKey(k) >>> 0) % MAX_P);
// Records visit every key RECORDS / KEYS times, in a seeded random order (Fisher-Yates, xorshift32).
let seed = 7;
const rnd = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), (seed >>> 0) / 2 ** 32);
const stream = Int32Array.from({ length: RECORDS }, (_, i) => i % KEYS);
for (let i = RECORDS - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [stream[i], stream[j]] = [stream[j]!, stream[i]!];
}

function viaBackend(): number {
  const backend = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
  const count = backend.getPartitionedState<ValueState<number>>({ name: "count", kind: "value" });
  const t0 = performance.now();
  for (let i = 0; i < RECORDS; i++) {
    const k = stream[i]!;
    backend.setCurrentKey(keys[k], keyGroups[k]!);
    count.update((count.value() ?? 0) + 1);
  }
  const ms = performance.now() - t0;
  if (backend.numKeyValueStateEntries() !== KEYS) throw new Error("lost keys");
  return ms;
}

function viaMap(): number {
  const counts = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < RECORDS; i++) {
    const key = keys[stream[i]!]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ms = performance.now() - t0;
  if (counts.size !== KEYS) throw new Error("lost keys");
  return ms;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const rows: [string, number][] = [];
for (const [name, run] of [["heap backend: setCurrentKey + value() + update()", viaBackend], ["hand-written Map get + set", viaMap]] as const) {
  const times = Array.from({ length: ROUNDS }, run);
  rows.push([name, RECORDS / (median(times) / 1000)]);
}
console.log(`${RECORDS.toLocaleString()} records over ${KEYS.toLocaleString()} distinct string keys, median of ${ROUNDS} rounds`);
for (const [name, opsPerSec] of rows) console.log(`${name.padEnd(52)} ${(opsPerSec / 1e6).toFixed(1).padStart(6)} M records/s`);
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
