/**
 * WatermarkStrategy: how a stream gets event timestamps and watermarks (Flink's
 * WatermarkStrategy, WatermarkGenerator, TimestampAssigner and their built-in generators).
 */
import { Watermark, MIN_WATERMARK } from "../core/stream-element.ts";
import { checkArgument } from "../core/errors.ts";
import { Time } from "./time.ts";

/** Where a WatermarkGenerator puts its watermarks. */
export interface WatermarkOutput {
  emitWatermark(watermark: Watermark): void;
  /** No events for a while: downstream watermarks must not wait for this stream. */
  markIdle(): void;
  /** Events again after markIdle (emitting a watermark does this too). */
  markActive(): void;
}

/** Flink's WatermarkGenerator: sees every event, and is asked periodically for a watermark. */
export interface WatermarkGenerator<T> {
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Extracts the event timestamp; `recordTimestamp` is the one the record had (NO_TIMESTAMP when none). */
export type TimestampAssigner<T> = (element: T, recordTimestamp: number) => number;

/** What a generator factory is given; empty for now, as Flink's context is for most generators. */
export interface WatermarkGeneratorContext {
  readonly autoWatermarkInterval: number;
}

export type WatermarkGeneratorSupplier<T> = (context: WatermarkGeneratorContext) => WatermarkGenerator<T>;

function toMillis(d: number | Time, what: string): number {
  const ms = typeof d === "number" ? d : d.toMilliseconds();
  checkArgument(Number.isFinite(ms) && ms >= 0, `${what} must be a non-negative number of milliseconds, got ${ms}`);
  return ms;
}

export class WatermarkStrategy<T> {
  private constructor(
    readonly createWatermarkGenerator: WatermarkGeneratorSupplier<T>,
    /** Undefined: keep the timestamp the record already has. */
    readonly timestampAssigner: TimestampAssigner<T> | undefined,
    /** 0: never mark idle. */
    readonly idleTimeout: number,
  ) {}

  /** Timestamps never decrease: the watermark is the largest timestamp seen, minus 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0), undefined, 0);
  }

  /** Events may be late by up to `maxOutOfOrderness`: watermark = max timestamp - bound - 1. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: number | Time): WatermarkStrategy<T> {
    const bound = toMillis(maxOutOfOrderness, "forBoundedOutOfOrderness: the out-of-orderness bound");
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(bound), undefined, 0);
  }

  /** No watermarks at all (processing-time jobs, or timestamps only). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), undefined, 0);
  }

  /** A custom generator, made once per parallel subtask. */
  static forGenerator<T>(supplier: WatermarkGeneratorSupplier<T>): WatermarkStrategy<T> {
    checkArgument(typeof supplier === "function", "forGenerator needs a function (context) => WatermarkGenerator");
    return new WatermarkStrategy<T>(supplier, undefined, 0);
  }

  withTimestampAssigner(assigner: TimestampAssigner<T> | { extractTimestamp: TimestampAssigner<T> }): WatermarkStrategy<T> {
    const fn = typeof assigner === "function" ? assigner : (e: T, ts: number) => assigner.extractTimestamp(e, ts);
    return new WatermarkStrategy<T>(this.createWatermarkGenerator, fn, this.idleTimeout);
  }

  /** Marks the stream idle when no event came for `idleTimeout`, so it holds no watermark back. */
  withIdleness(idleTimeout: number | Time): WatermarkStrategy<T> {
    const ms = toMillis(idleTimeout, "withIdleness: the idle timeout");
    checkArgument(ms > 0, `withIdleness: the idle timeout must be positive, got ${ms}`);
    return new WatermarkStrategy<T>(this.createWatermarkGenerator, this.timestampAssigner, ms);
  }
}

/** Flink's BoundedOutOfOrdernessWatermarks (monotonous is the bound 0). */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp: number;

  constructor(private readonly outOfOrderness: number) {
    // start so that the first watermark, before any event, is MIN_WATERMARK
    this.maxTimestamp = MIN_WATERMARK + outOfOrderness + 1;
  }

  onEvent(_event: T, eventTimestamp: number): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(new Watermark(this.maxTimestamp - this.outOfOrderness - 1));
  }
}

export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(): void {}
  onPeriodicEmit(): void {}
}

/**
 * Flink's WatermarksWithIdleness: wraps a generator; marks idle once no event came for the
 * timeout, measured between periodic emits with the clock given.
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private lastActivity: number;
  private idle = false;
  private eventSinceEmit = false;

  constructor(private readonly inner: WatermarkGenerator<T>, private readonly timeout: number, private readonly clock: () => number = () => performance.now()) {
    this.lastActivity = clock();
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.inner.onEvent(event, eventTimestamp, output);
    this.eventSinceEmit = true;
    if (this.idle) {
      this.idle = false;
      output.markActive();
    }
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.eventSinceEmit) {
      this.eventSinceEmit = false;
      this.lastActivity = this.clock();
    }
    if (this.idle) return;
    if (this.clock() - this.lastActivity >= this.timeout) {
      this.idle = true;
      output.markIdle();
    } else this.inner.onPeriodicEmit(output);
  }
}
