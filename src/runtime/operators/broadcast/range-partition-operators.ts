/**
 * The operators of partitionByRange: each input subtask samples the keys it sees (a reservoir),
 * the samples are broadcast to the range assigners, which cut the weighted sample into as many
 * ranges as they have subtasks and tag every record with the index of its key's range; a custom
 * partitioner then sends each record to the subtask of that index. Equal keys land in one range;
 * range i holds smaller keys than range i + 1 (compareValues' order).
 */
import { AbstractStreamOperator } from "../stream-operator.ts";
import { compareValues } from "../batch/compare-values.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { InternalError } from "../../../core/errors.ts";
import type { BroadcastRecord } from "./broadcast-input-operator.ts";

/** The broadcast variable the samples travel in. */
export const RANGE_SAMPLES = "__range_samples";

/** Keys sampled per input subtask. */
export const RANGE_SAMPLE_SIZE = 1000;

/** One subtask's sample: how many records it saw, and a uniform sample of their keys. */
export type RangeSample = [count: number, keys: unknown[]];

/**
 * Reservoir sampling (Algorithm R) of the keys of one subtask; emits its sample once, at the
 * end, as a broadcast record for the assigners.
 * The random stream is seeded by the subtask index, so a rerun picks the same sample.
 */
export class RangeSampleOperator<T> extends AbstractStreamOperator<T, BroadcastRecord> {
  private readonly sample: unknown[] = [];
  private count = 0;
  private state = 0;

  constructor(
    private readonly keyOf: (value: T) => unknown,
    private readonly size = RANGE_SAMPLE_SIZE,
  ) {
    super();
  }

  override open(): void {
    this.state = (this.context.subtaskIndex + 1) * 0x9e3779b1;
  }

  processElement(value: T): void {
    const n = this.count++;
    if (n < this.size) this.sample.push(detached(this.keyOf(value)));
    else {
      const j = Math.floor(this.random() * (n + 1));
      if (j < this.size) this.sample[j] = detached(this.keyOf(value));
    }
  }

  override endInput(): void {
    const sample: RangeSample = [this.count, this.sample];
    this.output.collect([RANGE_SAMPLES, sample], NO_TIMESTAMP);
  }

  override processWatermark(): void {}

  describe(): string {
    return `RangeSample (${this.size} keys per subtask)`;
  }

  /** mulberry32: a small seeded generator. */
  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * A copy of a sampled key that shares no memory with its record. A line of a text file is a
 * substring of the 1 MiB chunk it was decoded from and keeps the whole chunk alive: a reservoir
 * of such keys spread over the input held ~all of a 400 MB file in memory (measured).
 */
function detached(key: unknown): unknown {
  return typeof key === "object" || typeof key === "string" ? structuredClone(key) : key;
}

/**
 * Tags each record with its range: `[index, record]`. Opens after the samples arrived (it runs
 * inside a BroadcastInputOperator) and computes the boundaries for its own parallelism.
 */
export class RangeAssignOperator<T> extends AbstractStreamOperator<T, [number, T]> {
  private boundaries: unknown[] = [];

  constructor(private readonly keyOf: (value: T) => unknown) {
    super();
  }

  override open(): void {
    const samples = this.context.broadcastVariables?.get(RANGE_SAMPLES) as RangeSample[] | undefined;
    if (!samples) throw new InternalError(`${this.context.operatorName}: the range boundaries' samples did not arrive`);
    this.boundaries = rangeBoundaries(samples, this.context.parallelism);
  }

  processElement(value: T, timestamp: number): void {
    this.output.collect([rangeIndex(this.boundaries, this.keyOf(value)), value], timestamp);
  }

  describe(): string {
    return `RangeAssign (${this.boundaries.length + 1} ranges)`;
  }
}

/**
 * The upper bounds of ranges 0 .. n-2 (range n-1 is unbounded): keys at equal steps of the
 * sample's weight, where each subtask's sampled keys weigh its record count over its sample size.
 */
export function rangeBoundaries(samples: readonly RangeSample[], n: number): unknown[] {
  const weighted: { key: unknown; weight: number }[] = [];
  let total = 0;
  for (const [count, keys] of samples) {
    if (keys.length === 0) continue;
    const weight = count / keys.length;
    for (const key of keys) weighted.push({ key, weight });
    total += count;
  }
  if (weighted.length === 0 || n <= 1) return [];
  weighted.sort((a, b) => compareValues(a.key, b.key));
  const bounds: unknown[] = [];
  let cumulative = 0;
  let next = 1;
  for (const w of weighted) {
    cumulative += w.weight;
    while (next < n && cumulative >= (total * next) / n) {
      if (bounds.length === 0 || compareValues(bounds[bounds.length - 1], w.key) < 0) bounds.push(w.key);
      next++;
    }
  }
  return bounds;
}

/** The first range whose upper bound is at least `key`; the last range when none is. */
export function rangeIndex(boundaries: readonly unknown[], key: unknown): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareValues(key, boundaries[mid]) <= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
