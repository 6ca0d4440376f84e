/**
 * Flink's TimestampsAndWatermarksOperator: gives each record its event timestamp and runs the
 * strategy's WatermarkGenerator, asking it for a watermark every autoWatermarkInterval ms.
 *
 * Watermarks: only advancing ones leave; upstream watermarks are swallowed except the final
 * MAX_WATERMARK of a bounded input. Status: the output is idle while the generator says so
 * (withIdleness) or the whole input is idle; a record makes it active again.
 * Threading: the periodic timer (the context's processing time: real timers in a task, the
 * test's clock in a harness) only posts mail; the generator runs on the task's thread.
 * Lifecycle: the timer starts in open, is set again after each emit, and stops at endInput or close.
 */
import { AbstractStreamOperator } from "../stream-operator.ts";
import { MAX_WATERMARK, MIN_WATERMARK, type Watermark } from "../../../core/stream-element.ts";
import {
  WatermarksWithIdleness,
  type TimestampAssigner,
  type WatermarkGenerator,
  type WatermarkOutput,
  type WatermarkStrategy,
} from "../../../api/watermark-strategy.ts";
import { WALL_CLOCK } from "../timers/internal-timer-service.ts";

export class TimestampsAndWatermarksOperator<T> extends AbstractStreamOperator<T, T> implements WatermarkOutput {
  private generator!: WatermarkGenerator<T>;
  private readonly assigner: TimestampAssigner<T> | undefined;
  private currentWatermark = MIN_WATERMARK;
  private generatorIdle = false;
  private inputIdle = false;
  private emittedIdle = false;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    /** ms between periodic emits; 0 or less: never asked periodically (Flink: periodic emission off). */
    private readonly interval: number,
  ) {
    super();
    this.assigner = strategy.timestampAssigner;
  }

  override open(): void {
    const inner = this.strategy.createWatermarkGenerator({ autoWatermarkInterval: this.interval });
    this.generator = this.strategy.idleTimeout > 0 ? new WatermarksWithIdleness(inner, this.strategy.idleTimeout, (this.context.processingTime ?? WALL_CLOCK).clock) : inner;
    this.schedulePeriodicEmit();
  }

  private schedulePeriodicEmit(): void {
    if (this.interval <= 0 || this.stopped) return;
    const { scheduler } = this.context.processingTime ?? WALL_CLOCK;
    this.timer = scheduler.schedule(this.interval, () => {
      this.timer = undefined;
      this.context.executeInMailbox(() => this.onPeriodicEmit());
      this.schedulePeriodicEmit();
    });
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }

  processElement(value: T, timestamp: number): void {
    const ts = this.assigner === undefined ? timestamp : this.assigner(value, timestamp);
    if (this.inputIdle) {
      this.inputIdle = false;
      this.updateStatus();
    }
    this.output.collect(value, ts);
    this.generator.onEvent(value, ts, this);
  }

  /** Runs on the mailbox: one periodic emit. */
  onPeriodicEmit(): void {
    if (!this.stopped) this.generator.onPeriodicEmit(this);
  }

  override processWatermark(timestamp: number): void {
    // the final watermark of a bounded input passes, so every window downstream fires
    if (timestamp === MAX_WATERMARK && this.currentWatermark !== MAX_WATERMARK) {
      this.currentWatermark = MAX_WATERMARK;
      this.generatorIdle = this.inputIdle = false;
      this.updateStatus();
      this.output.emitWatermark(MAX_WATERMARK);
    }
  }

  override processWatermarkStatus(idle: boolean): void {
    this.inputIdle = idle;
    this.updateStatus();
  }

  // ---- WatermarkOutput, for the generator ----

  emitWatermark(watermark: Watermark): void {
    const ts = watermark.timestamp;
    if (ts <= this.currentWatermark) return;
    this.currentWatermark = ts;
    this.markActive();
    this.output.emitWatermark(ts);
  }

  markIdle(): void {
    this.generatorIdle = true;
    this.updateStatus();
  }

  markActive(): void {
    this.generatorIdle = false;
    this.updateStatus();
  }

  private updateStatus(): void {
    const idle = this.generatorIdle || this.inputIdle;
    if (idle === this.emittedIdle) return;
    this.emittedIdle = idle;
    this.output.emitWatermarkStatus?.(idle);
  }

  override endInput(): void {
    this.stop();
  }

  override close(): void {
    this.stop();
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) (this.context.processingTime ?? WALL_CLOCK).scheduler.cancel(this.timer);
    this.timer = undefined;
  }

  describe(): string {
    return "Timestamps/Watermarks";
  }
}
