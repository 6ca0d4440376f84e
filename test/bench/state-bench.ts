/** Micro benchmark: keyed ValueState read-modify-write per record on the heap backend, beside hand-written Map loops. */
import { KeyedStateBackend } from "../../src/runtime/state/keyed-state-backend.ts";
import type { ValueState } from "../../src/runtime/state/state-types.ts";
import { hashKey } from "../../src/types/key-hashing.ts";

const KEYS = 100_000;
const RECORDS = 5_000_000;
const ROUNDS = 5;
const MAX_P = 128;

// Distinct string keys with their key groups computed up front, as the caller of setCurrentKey does.
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i.toString(36)}-${(i * 2654435761) >>> 0}`);
const keyGroups = Int32Array.from(keys, (k) => (hashKey(k) >>> 0) % MAX_P);

let seed = 7;
const rnd = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), (seed >>> 0) / 2 ** 32);

/** Record streams: which key each record has. Every stream touches every key at least once. */
function cycle(): Int32Array {
  return Int32Array.from({ length: RECORDS }, (_, i) => i % KEYS);
}
function shuffled(): Int32Array {
  const s = cycle();
  for (let i = RECORDS - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  return s;
}
/** Zipf(1.0) over the keys after one pass over all of them: a few hot keys, a long tail. */
function zipf(): Int32Array {
  const cdf = new Float64Array(KEYS);
  let sum = 0;
  for (let i = 0; i < KEYS; i++) cdf[i] = sum += 1 / (i + 1);
  const s = cycle();
  for (let i = KEYS; i < RECORDS; i++) {
    const u = rnd() * sum;
    let lo = 0;
    let hi = KEYS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    s[i] = (lo * 7919) % KEYS; // hot keys spread over the key groups
  }
  return s;
}

type Impl = (stream: Int32Array) => () => void;

const viaBackend: Impl = (stream) => {
  const backend = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
  const count = backend.getPartitionedState<ValueState<number>>({ name: "count", kind: "value" });
  return () => {
    for (let i = 0; i < RECORDS; i++) {
      const k = stream[i]!;
      backend.setCurrentKey(keys[k], keyGroups[k]!);
      count.update((count.value() ?? 0) + 1);
    }
  };
};

const viaOneMap: Impl = (stream) => {
  const counts = new Map<string, number>();
  return () => {
    for (let i = 0; i < RECORDS; i++) {
      const key = keys[stream[i]!]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
};

const viaKeyGroupMaps: Impl = (stream) => {
  const maps = Array.from({ length: MAX_P }, () => new Map<string, number>());
  return () => {
    for (let i = 0; i < RECORDS; i++) {
      const k = stream[i]!;
      const map = maps[keyGroups[k]!]!;
      const key = keys[k]!;
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  };
};

const impls: [string, Impl][] = [
  ["heap backend: setCurrentKey + value() + update()", viaBackend],
  ["hand-written: one Map, get + set", viaOneMap],
  ["hand-written: a Map per key group, get + set", viaKeyGroupMaps],
];
const patterns: [string, () => Int32Array][] = [
  ["keys in turn", cycle],
  ["uniform random", shuffled],
  ["zipf 1.0", zipf],
];

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${RECORDS.toLocaleString()} records over ${KEYS.toLocaleString()} distinct string keys; M records/s, median of ${ROUNDS} rounds\n`);
console.log(`| ${"".padEnd(50)} | ${patterns.map(([p]) => p.padStart(14)).join(" | ")} |`);
console.log(`|${"-".repeat(52)}|${patterns.map(() => "-".repeat(16)).join("|")}|`);
const streams = patterns.map(([, make]) => make());
for (const [name, impl] of impls) {
  const cells = streams.map((stream) => {
    const run = impl(stream);
    const times = Array.from({ length: ROUNDS }, () => {
      const t0 = performance.now();
      run();
      return performance.now() - t0;
    });
    return (RECORDS / median(times) / 1000).toFixed(1);
  });
  console.log(`| ${name.padEnd(50)} | ${cells.map((c) => c.padStart(14)).join(" | ")} |`);
}
console.log(`\npeak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
