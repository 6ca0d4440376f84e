/**
 * Test support for the binary drivers: a context with a small MemoryManager and IOManager, a
 * runner that feeds both inputs in a chosen interleaving, seeded data sets with the hard cases
 * (skew, null keys, empty sides, one key larger than memory), and naive references.
 */
import { expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Configuration } from "../../../core/config.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { IOManager } from "../../../io/io-manager.ts";
import { MemoryManager } from "../../../memory/memory-manager.ts";
import { keysEqual, keyToMapKey } from "../../../types/key-hashing.ts";
import type { OperatorContext } from "../operator-context.ts";
import type { Output, TwoInputStreamOperator } from "../stream-operator.ts";
import { isNullKey } from "./join-key.ts";

export const testRoot = mkdtempSync(join(tmpdir(), "flinkts-join-test-"));

/**
 * Ample: 8 MiB of 32 KiB pages. Tiny: 12 pages of 1 KiB, so the data sets below spill. Tiny
 * sort: 12 pages of 32 KiB (the sorter's page size), for data sets of scale 20.
 */
export const MEMORY = {
  ample: { bytes: 256 * 32 * 1024, pageSize: 32 * 1024 },
  tiny: { bytes: 12 * 1024, pageSize: 1024 },
  tinySort: { bytes: 12 * 32 * 1024, pageSize: 32 * 1024 },
} as const;
export type MemorySetting = keyof typeof MEMORY;

export interface TestMemory {
  manager: MemoryManager;
  io: IOManager;
  context: OperatorContext;
}

export function testMemory(setting: MemorySetting | { bytes: number; pageSize: number }): TestMemory {
  const { bytes, pageSize } = typeof setting === "string" ? MEMORY[setting] : setting;
  const manager = new MemoryManager(bytes, pageSize);
  const io = new IOManager([testRoot]);
  const context: OperatorContext = {
    operatorId: 1,
    operatorName: "Join under test",
    taskNameWithSubtask: "Join under test (1/1)",
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: 128,
    config: new Configuration(),
    addAccumulator() {},
    getAccumulator: () => undefined,
    executeInMailbox: (action) => void action(),
    sendToClient() {},
    memory: { manager, io, fraction: 1 },
  };
  return { manager, io, context };
}

class CollectingOutput implements Output<unknown> {
  readonly values: unknown[] = [];
  collect(value: unknown, timestamp: number): void {
    if (timestamp !== NO_TIMESTAMP) throw new Error(`result with timestamp ${timestamp}`);
    this.values.push(value);
  }
  collectSide(): void {
    throw new Error("no side outputs");
  }
  emitWatermark(): void {}
}

/** How the inputs arrive: all of one side then the other, or randomly interleaved. */
export type Arrival = "first-then-second" | "second-then-first" | "interleaved";

export interface RunResult {
  values: unknown[];
  spilledBytes: number;
}

/**
 * Runs a two-input operator to the end (or its failure), closes it, then checks that it gave
 * back every page and left no spill file behind. endInput(i) is called right after input i's
 * last record.
 */
export async function runTwoInput(
  op: TwoInputStreamOperator,
  in1: readonly unknown[],
  in2: readonly unknown[],
  arrival: Arrival,
  setting: MemorySetting | { bytes: number; pageSize: number },
  seed = 7,
): Promise<RunResult> {
  const mem = testMemory(setting);
  const out = new CollectingOutput();
  op.setup(mem.context, out);
  await op.open();
  let failure: unknown;
  try {
    feed(op, in1, in2, arrival, seed);
  } catch (e) {
    failure = e;
  }
  await op.close();
  expect(mem.manager.availablePages()).toBe(mem.manager.totalPages);
  expect(mem.io.bytesOnDisk()).toBe(0);
  const spilledBytes = mem.io.spilledBytes;
  mem.io.close();
  if (failure !== undefined) throw failure;
  return { values: out.values, spilledBytes };
}

function feed(op: TwoInputStreamOperator, in1: readonly unknown[], in2: readonly unknown[], arrival: Arrival, seed: number): void {
  const rnd = random(seed);
  let i = 0;
  let j = 0;
  const feed1 = () => {
    op.processElement1(in1[i++], 1000);
    if (i === in1.length) op.endInput(1);
  };
  const feed2 = () => {
    op.processElement2(in2[j++], 1000);
    if (j === in2.length) op.endInput(2);
  };
  const drain1 = () => {
    if (in1.length === 0) op.endInput(1);
    while (i < in1.length) feed1();
  };
  const drain2 = () => {
    if (in2.length === 0) op.endInput(2);
    while (j < in2.length) feed2();
  };
  if (arrival === "first-then-second") {
    drain1();
    drain2();
  } else if (arrival === "second-then-first") {
    drain2();
    drain1();
  } else {
    if (in1.length === 0) op.endInput(1);
    if (in2.length === 0) op.endInput(2);
    while (i < in1.length || j < in2.length) {
      if (j >= in2.length || (i < in1.length && rnd() < in1.length / (in1.length + in2.length))) feed1();
      else feed2();
    }
  }
}

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A record: [key, side-specific id, padding] (key may be null, composite or a string). */
export type Rec = [unknown, number, string];

export interface DataSet {
  name: string;
  left: Rec[];
  right: Rec[];
}

/**
 * Seeded data sets with the hard cases of joins; `scale` multiplies record counts and key ranges
 * (the sorter works in 32 KiB pages, so its tests need more data to spill).
 */
export function dataSets(seed: number, scale = 1): DataSet[] {
  const rnd = random(seed);
  const pad = (n: number) => "x".repeat(n);
  const side = (n: number, key: (i: number) => unknown, padLen: number): Rec[] => Array.from({ length: n * scale }, (_, i) => [key(i), i, pad(padLen)]);
  const uniform = (range: number, nulls: number) => () => (rnd() < nulls ? null : Math.floor(rnd() * range * scale));
  const skewed = () => Math.floor(200 * scale * rnd() ** 2);
  const big = (i: number) => (i % 3 === 0 ? Math.floor(rnd() * 100 * scale) : 7);
  return [
    { name: "uniform with null keys", left: side(1500, uniform(300, 0.05), 12), right: side(2500, uniform(300, 0.05), 20) },
    { name: "skewed", left: side(1200, skewed, 10), right: side(1800, skewed, 6) },
    { name: "empty left", left: [], right: side(500, uniform(50, 0.1), 8) },
    { name: "empty right", left: side(500, uniform(50, 0.1), 8), right: [] },
    { name: "both empty", left: [], right: [] },
    // key 7: 600 * scale records of ~40 bytes on the left, far more than the tiny settings' memory
    { name: "one key larger than memory", left: side(900, big, 30), right: side(300, (i) => (i % (20 * scale) === 0 ? 7 : Math.floor(rnd() * 100 * scale)), 4) },
    {
      name: "composite keys with null fields and strings",
      left: side(800, () => [Math.floor(rnd() * 20 * scale), rnd() < 0.05 ? null : `s${Math.floor(rnd() * 5)}`], 5),
      right: side(900, () => [Math.floor(rnd() * 20 * scale), `s${Math.floor(rnd() * 5)}`], 9),
    },
    { name: "string keys, large records", left: side(400, () => `k${Math.floor(rnd() * 60 * scale)}`, scale > 1 ? 200 : 1500), right: side(700, () => `k${Math.floor(rnd() * 80 * scale)}`, 100) },
  ];
}

/**
 * The naive join: every pair with keysEqual non-null keys (found through a Map on keyToMapKey,
 * so large inputs stay quick), plus unmatched records of outer sides.
 */
export function referenceJoin(left: readonly Rec[], right: readonly Rec[], outer: "left" | "right" | "full" | undefined): unknown[] {
  const out: unknown[] = [];
  const byKey = new Map<unknown, number[]>();
  right.forEach((r, j) => {
    if (isNullKey(r[0])) return;
    const k = keyToMapKey(r[0]);
    const list = byKey.get(k);
    if (list) list.push(j);
    else byKey.set(k, [j]);
  });
  const rightMatched = new Array<boolean>(right.length).fill(false);
  for (const l of left) {
    const matches = isNullKey(l[0]) ? undefined : byKey.get(keyToMapKey(l[0]));
    for (const j of matches ?? []) {
      if (!keysEqual(l[0], right[j]![0])) throw new Error("keyToMapKey and keysEqual disagree");
      out.push([l, right[j]]);
      rightMatched[j] = true;
    }
    if (matches === undefined && (outer === "left" || outer === "full")) out.push([l, null]);
  }
  if (outer === "right" || outer === "full") right.forEach((r, j) => rightMatched[j] || out.push([null, r]));
  return out;
}

/** The naive coGroup: per key of either side (null keys form groups too), the records of each side in input order. */
export function referenceCoGroup(left: readonly Rec[], right: readonly Rec[]): [Rec[], Rec[]][] {
  const groups = new Map<unknown, [Rec[], Rec[]]>();
  const add = (r: Rec, side: 0 | 1) => {
    const k = keyToMapKey(r[0]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = [[], []]));
    g[side].push(r);
  };
  for (const l of left) add(l, 0);
  for (const r of right) add(r, 1);
  return [...groups.values()];
}

/** Sorts results by their JSON text, so multisets compare with toEqual. */
export function canonical(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}
