/** ProcessFunction and KeyedProcessFunction operators: the user sees the record's context and side outputs. */
import { AbstractStreamOperator, type Output } from "../stream-operator.ts";
import type { OperatorContext } from "../operator-context.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { InternalTimer, InternalTimerService, Triggerable } from "../timers/internal-timer-service.ts";
import type { InternalTimeServiceManager } from "../timers/internal-time-service-manager.ts";
import { NonKeyedTimerService, SimpleTimerService, type TimerServiceLike } from "../timers/simple-timer-service.ts";

/** The name of the timer service user functions register timers with (as in Flink). */
export const USER_TIMERS = "user-timers";

export interface ProcessFunctionLike<IN, OUT> extends FunctionLifecycle {
  processElement(value: IN, ctx: ProcessContext, out: TimestampedCollector<OUT>): void;
  onTimer?(timestamp: number, ctx: ProcessContext, out: TimestampedCollector<OUT>): void;
}

export type TimeDomain = "EVENT_TIME" | "PROCESSING_TIME";

export type TagRef = string | { id: string };

/** The per-record context, reused for every record of one operator; in onTimer also the OnTimerContext. */
export class ProcessContext {
  ts = NO_TIMESTAMP;
  key: unknown = undefined;
  domain: TimeDomain | null = null;
  constructor(private readonly out: Output, private readonly timers: TimerServiceLike) {}
  timestamp(): number | null {
    return this.ts === NO_TIMESTAMP ? null : this.ts;
  }
  output(tag: TagRef, value: unknown): void {
    this.out.collectSide(typeof tag === "string" ? tag : tag.id, value, this.ts);
  }
  timerService(): TimerServiceLike {
    return this.timers;
  }
  getCurrentKey(): unknown {
    return this.key;
  }
  /** In onTimer: the domain of the firing timer. */
  timeDomain(): TimeDomain | null {
    return this.domain;
  }
}

/**
 * The timers of one operator: keyed ones fire through `internal`, the "user-timers" service of
 * the operator's InternalTimeServiceManager; non-keyed ones refuse registration.
 */
export class OperatorTimers {
  readonly internal: InternalTimerService | null;
  readonly service: TimerServiceLike;
  readonly timerCtx: ProcessContext;
  private readonly manager: InternalTimeServiceManager | undefined;

  constructor(context: OperatorContext, output: Output, triggerable: Triggerable) {
    this.manager = context.keyed?.timeServiceManager;
    this.internal = this.manager?.getInternalTimerService(USER_TIMERS, triggerable) ?? null;
    this.service = this.internal ? new SimpleTimerService(this.internal) : new NonKeyedTimerService();
    this.timerCtx = new ProcessContext(output, this.service);
  }

  /** Fires due event-time timers (keyed) or records the watermark (non-keyed); the caller forwards it. */
  advanceWatermark(watermark: number): void {
    if (this.manager) this.manager.advanceWatermark(watermark);
    else (this.service as NonKeyedTimerService).watermark = watermark;
  }

  /** Prepares the OnTimerContext and collector for one timer; returns the timestamp records of onTimer carry. */
  prepare(timer: InternalTimer, domain: TimeDomain, collector: TimestampedCollector<unknown>): ProcessContext {
    const ctx = this.timerCtx;
    ctx.ts = timer.timestamp;
    ctx.key = timer.key;
    ctx.domain = domain;
    collector.timestamp = domain === "EVENT_TIME" ? timer.timestamp : NO_TIMESTAMP;
    return ctx;
  }

  dispose(): void {
    this.manager?.dispose();
  }
}

/**
 * Lifecycle: open creates the timer service (keyed streams only); close disposes it, so no
 * processing-time timer fires after close.
 */
export class ProcessOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> implements Triggerable {
  protected ctx!: ProcessContext;
  protected collector!: TimestampedCollector<OUT>;
  protected timers!: OperatorTimers;

  constructor(protected readonly fn: ProcessFunctionLike<IN, OUT>, private readonly keyedLabel = false) {
    super();
  }

  override open(): void | Promise<void> {
    this.timers = new OperatorTimers(this.context, this.output, this);
    this.ctx = new ProcessContext(this.output, this.timers.service);
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
    this.timers.advanceWatermark(timestamp);
    this.output.emitWatermark(timestamp);
  }

  onEventTime(timer: InternalTimer): void {
    this.invokeOnTimer(timer, "EVENT_TIME");
  }

  onProcessingTime(timer: InternalTimer): void {
    this.invokeOnTimer(timer, "PROCESSING_TIME");
  }

  override close(): void | Promise<void> {
    this.timers?.dispose();
    return closeFunction(this.fn);
  }

  private invokeOnTimer(timer: InternalTimer, domain: TimeDomain): void {
    const collector = this.collector as TimestampedCollector<unknown>;
    const ctx = this.timers.prepare(timer, domain, collector);
    this.fn.onTimer?.(timer.timestamp, ctx, this.collector);
  }

  describe(): string {
    return this.keyedLabel ? "KeyedProcess" : "Process";
  }
}
