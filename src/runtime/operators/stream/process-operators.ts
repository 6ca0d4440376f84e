/** ProcessFunction and KeyedProcessFunction operators: the user sees the record's context and side outputs. */
import { AbstractStreamOperator, type Output } from "../stream-operator.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";
import { MIN_WATERMARK, NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { engineNow } from "../../../core/clock.ts";
import { UserError } from "../../../core/errors.ts";

export interface ProcessFunctionLike<IN, OUT> extends FunctionLifecycle {
  processElement(value: IN, ctx: ProcessContext, out: TimestampedCollector<OUT>): void;
}

export type TagRef = string | { id: string };

/** Flink's TimerService as far as this runtime has it: time queries now, timers with event time. */
export class BasicTimerService {
  watermark = MIN_WATERMARK;
  constructor(private readonly operatorName: string) {}
  currentWatermark(): number {
    return this.watermark;
  }
  currentProcessingTime(): number {
    return engineNow();
  }
  registerEventTimeTimer(): void {
    throw new UserError(`${this.operatorName}: timers are not supported by this operator yet`);
  }
  registerProcessingTimeTimer(): void {
    throw new UserError(`${this.operatorName}: timers are not supported by this operator yet`);
  }
  deleteEventTimeTimer(): void {}
  deleteProcessingTimeTimer(): void {}
}

/** The per-record context, reused for every record of one operator. */
export class ProcessContext {
  ts = NO_TIMESTAMP;
  key: unknown = undefined;
  constructor(private readonly out: Output, private readonly timers: BasicTimerService) {}
  timestamp(): number | null {
    return this.ts === NO_TIMESTAMP ? null : this.ts;
  }
  output(tag: TagRef, value: unknown): void {
    this.out.collectSide(typeof tag === "string" ? tag : tag.id, value, this.ts);
  }
  timerService(): BasicTimerService {
    return this.timers;
  }
  getCurrentKey(): unknown {
    return this.key;
  }
}

export class ProcessOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  protected ctx!: ProcessContext;
  protected collector!: TimestampedCollector<OUT>;
  protected timers!: BasicTimerService;

  constructor(protected readonly fn: ProcessFunctionLike<IN, OUT>, private readonly keyedLabel = false) {
    super();
  }

  override open(): void | Promise<void> {
    this.timers = new BasicTimerService(this.context.operatorName);
    this.ctx = new ProcessContext(this.output, this.timers);
    this.collector = new TimestampedCollector(this.output);
    return openFunction(this.fn, this.context);
  }

  processElement(value: IN, timestamp: number): void {
    const keyed = this.context.keyed;
    if (keyed) this.ctx.key = keyed.getCurrentKey();
    this.ctx.ts = timestamp;
    this.collector.timestamp = timestamp;
    this.fn.processElement(value, this.ctx, this.collector);
  }

  override processWatermark(timestamp: number): void {
    this.timers.watermark = timestamp;
    this.output.emitWatermark(timestamp);
  }

  override close(): void | Promise<void> {
    return closeFunction(this.fn);
  }

  describe(): string {
    return this.keyedLabel ? "KeyedProcess" : "Process";
  }
}
