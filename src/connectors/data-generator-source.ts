/** Flink's DataGeneratorSource: records made by a function of their index, optionally rate-limited. */
import { checkArgument } from "../core/errors.ts";
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";

/** Flink's GeneratorFunction: the record for one index of [0, count). */
export type GeneratorFunction<T> = (index: number) => T;

/**
 * Subtask i of p generates the indices i, i + p, i + 2p, ... below `count` (Infinity for an
 * unbounded source), so every parallelism covers [0, count) exactly once and an unbounded run
 * advances through the index space evenly.
 *
 * Throttling: with `recordsPerSecond`, each subtask emits at most recordsPerSecond / p per
 * second (Flink's RateLimiterStrategy.perSecond); record k of a subtask is due k / rate seconds
 * after its first emitNext, and emitNext returns a Promise that sleeps until the next one is due.
 */
export class DataGeneratorSource<T> implements SplitSource<T> {
  readonly bounded: boolean;
  private next = 0;
  private stride = 1;
  /** Records per millisecond for this subtask; 0 when not throttled. */
  private ratePerMs = 0;
  private startTime = -1;
  private emitted = 0;
  private cancelled = false;
  private sleeping: { timer: ReturnType<typeof setTimeout>; wake: (more: boolean) => void } | null = null;

  constructor(
    readonly generator: GeneratorFunction<T>,
    readonly count: number,
    readonly recordsPerSecond?: number,
  ) {
    checkArgument(
      count === Infinity || (Number.isSafeInteger(count) && count >= 0),
      `generator record count must be a non-negative integer or Infinity, got ${count}`,
    );
    checkArgument(
      recordsPerSecond === undefined || (recordsPerSecond > 0 && Number.isFinite(recordsPerSecond)),
      `generator records per second must be a positive number, got ${recordsPerSecond}`,
    );
    this.bounded = count !== Infinity;
  }

  open(subtaskIndex: number, parallelism: number): void {
    this.next = subtaskIndex;
    this.stride = parallelism;
    this.ratePerMs = this.recordsPerSecond === undefined ? 0 : this.recordsPerSecond / parallelism / 1000;
    this.startTime = -1;
    this.emitted = 0;
  }

  emitNext(output: SourceOutput<T>, budget: number): boolean | Promise<boolean> {
    if (this.cancelled || this.next >= this.count) return false;
    let n = budget;
    if (this.ratePerMs > 0) {
      const now = performance.now();
      if (this.startTime < 0) this.startTime = now;
      const due = Math.floor((now - this.startTime) * this.ratePerMs) + 1 - this.emitted;
      if (due <= 0) return this.sleep(this.startTime + this.emitted / this.ratePerMs - now);
      if (due < n) n = due;
    }
    const generator = this.generator;
    const count = this.count;
    const stride = this.stride;
    let index = this.next;
    for (let k = 0; k < n && index < count; k++, index += stride) output.collect(generator(index));
    this.emitted += Math.ceil((index - this.next) / stride);
    this.next = index;
    return index < count;
  }

  private sleep(ms: number): Promise<boolean> {
    return new Promise((wake) => {
      const timer = setTimeout(() => {
        this.sleeping = null;
        wake(true);
      }, Math.max(1, Math.ceil(ms)));
      this.sleeping = { timer, wake };
    });
  }

  cancel(): void {
    this.cancelled = true;
    if (this.sleeping !== null) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake(false);
      this.sleeping = null;
    }
  }

  close(): void {
    this.cancel();
  }

  describe(): string {
    const rate = this.recordsPerSecond === undefined ? "" : `, ${this.recordsPerSecond}/s`;
    return `DataGenerator (${this.count === Infinity ? "unbounded" : this.count} records${rate})`;
  }
}
