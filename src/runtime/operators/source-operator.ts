/**
 * The head of a source task: wraps a SplitSource and turns what it emits into records and
 * watermarks for the chain. A bounded source ends with the maximum watermark, so every
 * event-time window downstream fires. markIdle() tells downstream not to wait for this subtask's
 * watermarks (Flink's WatermarkStatus.IDLE); the next record or watermark makes it active again.
 */
import { AbstractStreamOperator } from "./stream-operator.ts";
import type { SourceOutput, SplitSource } from "./source.ts";
import { MAX_WATERMARK, NO_TIMESTAMP } from "../../core/stream-element.ts";

export class SourceOperator<T = unknown> extends AbstractStreamOperator<never, T> implements SourceOutput<T> {
  private idle = false;
  /** Records this source has emitted. */
  emitted = 0;

  constructor(readonly source: SplitSource<T>) {
    super();
  }

  override open(): void | Promise<void> {
    this.source.bind?.(this, this.context);
    return this.source.open(this.context.subtaskIndex, this.context.parallelism);
  }

  emitNext(budget: number): boolean | Promise<boolean> {
    return this.source.emitNext(this, budget);
  }

  collect(value: T): void {
    this.emitted++;
    if (this.idle) this.markActive();
    this.output.collect(value, NO_TIMESTAMP);
  }

  collectWithTimestamp(value: T, timestamp: number): void {
    this.emitted++;
    if (this.idle) this.markActive();
    this.output.collect(value, timestamp);
  }

  emitWatermark(timestamp: number): void {
    if (this.idle) this.markActive();
    this.output.emitWatermark(timestamp);
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.output.emitWatermarkStatus?.(true);
  }

  private markActive(): void {
    this.idle = false;
    this.output.emitWatermarkStatus?.(false);
  }

  isIdle(): boolean {
    return this.idle;
  }

  processElement(): void {
    throw new Error("a source has no input");
  }

  override endInput(): void {
    if (this.idle) this.markActive();
    if (this.source.bounded) this.output.emitWatermark(MAX_WATERMARK);
  }

  cancel(): void {
    this.source.cancel();
  }

  override close(): void | Promise<void> {
    return this.source.close();
  }

  describe(): string {
    return `Source: ${this.source.describe()}`;
  }
}
