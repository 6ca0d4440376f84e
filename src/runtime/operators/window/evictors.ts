/**
 * Flink's evictors: they remove elements from a window's contents just before (or just after)
 * the window function sees them. Count, time and delta evictors, and the Evictor contract.
 */
import { checkArgument } from "../../../core/errors.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { toMillis, type Duration } from "./duration.ts";
import type { Window } from "./windows.ts";

/** An element of a window with the timestamp it arrived with. */
export class TimestampedValue<T> {
  constructor(
    public value: T,
    public timestamp: number = NO_TIMESTAMP,
  ) {}
  getValue(): T {
    return this.value;
  }
  getTimestamp(): number {
    return this.timestamp;
  }
  hasTimestamp(): boolean {
    return this.timestamp !== NO_TIMESTAMP;
  }
}

/** What an evictor may ask the operator. */
export interface EvictorContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
}

/**
 * Removes elements from `elements` in place (splice, or filter into the same array): what is
 * left is what the window function sees, and, after evictAfter, what the window keeps.
 * `size` is the number of elements before eviction.
 */
export interface Evictor<T = any, W extends Window = any> {
  evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
}

/** Keeps the elements for which `keep` is true, in order, in the same array. */
function retain<T>(elements: TimestampedValue<T>[], keep: (e: TimestampedValue<T>) => boolean): void {
  let n = 0;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (keep(e)) elements[n++] = e;
  }
  elements.length = n;
}

/** Keeps at most `maxCount` elements: the latest ones. */
export class CountEvictor<T = unknown> implements Evictor<T, Window> {
  private constructor(
    readonly maxCount: number,
    readonly doEvictAfter: boolean,
  ) {}
  static of<T = unknown>(maxCount: number, doEvictAfter = false): CountEvictor<T> {
    checkArgument(Number.isSafeInteger(maxCount) && maxCount >= 0, `CountEvictor.of: the count must be a non-negative integer, got ${maxCount}`);
    return new CountEvictor<T>(maxCount, doEvictAfter === true);
  }
  evictBefore(elements: TimestampedValue<T>[], size: number): void {
    if (!this.doEvictAfter) this.evict(elements, size);
  }
  evictAfter(elements: TimestampedValue<T>[], size: number): void {
    if (this.doEvictAfter) this.evict(elements, size);
  }
  private evict(elements: TimestampedValue<T>[], size: number): void {
    if (size <= this.maxCount) return;
    elements.splice(0, Math.min(size - this.maxCount, elements.length));
  }
  toString(): string {
    return `CountEvictor(${this.maxCount})`;
  }
}

/**
 * Keeps the elements within `windowSize` of the latest timestamp in the window: those with
 * timestamp > max − windowSize. Does nothing when the elements carry no timestamps.
 */
export class TimeEvictor<T = unknown> implements Evictor<T, Window> {
  private constructor(
    readonly windowSize: number,
    readonly doEvictAfter: boolean,
  ) {}
  static of<T = unknown>(windowSize: Duration, doEvictAfter = false): TimeEvictor<T> {
    return new TimeEvictor<T>(toMillis(windowSize, "TimeEvictor.of: the window size"), doEvictAfter === true);
  }
  evictBefore(elements: TimestampedValue<T>[]): void {
    if (!this.doEvictAfter) this.evict(elements);
  }
  evictAfter(elements: TimestampedValue<T>[]): void {
    if (this.doEvictAfter) this.evict(elements);
  }
  private evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0 || !elements[0]!.hasTimestamp()) return;
    let max = Number.MIN_SAFE_INTEGER;
    for (const e of elements) if (e.timestamp > max) max = e.timestamp;
    const cutoff = max - this.windowSize;
    retain(elements, (e) => e.timestamp > cutoff);
  }
  toString(): string {
    return `TimeEvictor(${this.windowSize})`;
  }
}

/** Flink's DeltaFunction: the distance between two data points. */
export type DeltaFunction<T> = ((oldDataPoint: T, newDataPoint: T) => number) | { getDelta(oldDataPoint: T, newDataPoint: T): number };

/** Evicts the elements whose delta to the last element is at least `threshold`. */
export class DeltaEvictor<T = unknown> implements Evictor<T, Window> {
  private readonly delta: (a: T, b: T) => number;
  private constructor(
    readonly threshold: number,
    deltaFunction: DeltaFunction<T>,
    readonly doEvictAfter: boolean,
  ) {
    this.delta = typeof deltaFunction === "function" ? deltaFunction : (a, b) => deltaFunction.getDelta(a, b);
  }
  static of<T>(threshold: number, deltaFunction: DeltaFunction<T>, doEvictAfter = false): DeltaEvictor<T> {
    checkArgument(typeof threshold === "number" && !Number.isNaN(threshold), `DeltaEvictor.of: the threshold must be a number, got ${String(threshold)}`);
    checkArgument(typeof deltaFunction === "function" || typeof (deltaFunction as { getDelta?: unknown })?.getDelta === "function", "DeltaEvictor.of needs a delta function (old, new) => number");
    return new DeltaEvictor(threshold, deltaFunction, doEvictAfter === true);
  }
  evictBefore(elements: TimestampedValue<T>[]): void {
    if (!this.doEvictAfter) this.evict(elements);
  }
  evictAfter(elements: TimestampedValue<T>[]): void {
    if (this.doEvictAfter) this.evict(elements);
  }
  private evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0) return;
    const last = elements[elements.length - 1]!.value;
    retain(elements, (e) => this.delta(e.value, last) < this.threshold);
  }
  toString(): string {
    return `DeltaEvictor(${this.threshold})`;
  }
}
