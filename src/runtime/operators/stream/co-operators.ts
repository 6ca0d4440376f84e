/** Two-input operators of connected streams: CoMap, CoFlatMap, CoProcess (keyed or not). */
import type { Output, TwoInputStreamOperator } from "../stream-operator.ts";
import type { OperatorContext } from "../operator-context.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";
import type { InternalTimer, Triggerable } from "../timers/internal-timer-service.ts";
import { OperatorTimers, ProcessContext, type TimeDomain } from "./process-operators.ts";

export interface CoFunctions extends FunctionLifecycle {
  /** Called with (value, collector, ctx); map variants return a value instead. */
  first(value: unknown, out: TimestampedCollector<unknown>, ctx: ProcessContext): unknown;
  second(value: unknown, out: TimestampedCollector<unknown>, ctx: ProcessContext): unknown;
  /** KeyedCoProcessFunction.onTimer; timers can only be registered on keyed connected streams. */
  onTimer?(timestamp: number, ctx: ProcessContext, out: TimestampedCollector<unknown>): void;
}

/**
 * One class for every co-operator: `mode` says whether the functions return their result (map)
 * or emit through the collector (flatMap, process).
 * Lifecycle: open creates the timer service (keyed streams only); close disposes it.
 */
export class CoStreamOperator implements TwoInputStreamOperator, Triggerable {
  readonly twoInput = true as const;
  private output!: Output;
  private context!: OperatorContext;
  private collector!: TimestampedCollector<unknown>;
  private ctx!: ProcessContext;
  private timers!: OperatorTimers;

  constructor(private readonly fns: CoFunctions, private readonly mode: "map" | "emit", private readonly label: string) {}

  setup(context: OperatorContext, output: Output): void {
    this.context = context;
    this.output = output;
  }

  open(): void | Promise<void> {
    this.timers = new OperatorTimers(this.context, this.output, this);
    this.ctx = new ProcessContext(this.output, this.timers.service);
    this.collector = new TimestampedCollector(this.output);
    return openFunction(this.fns, this.context);
  }

  processElement1(value: unknown, timestamp: number): void {
    this.prepare(timestamp);
    const r = this.fns.first(value, this.collector, this.ctx);
    if (this.mode === "map") this.output.collect(r, timestamp);
  }

  processElement2(value: unknown, timestamp: number): void {
    this.prepare(timestamp);
    const r = this.fns.second(value, this.collector, this.ctx);
    if (this.mode === "map") this.output.collect(r, timestamp);
  }

  processWatermark(timestamp: number): void {
    this.timers.advanceWatermark(timestamp);
    this.output.emitWatermark(timestamp);
  }

  onEventTime(timer: InternalTimer): void {
    this.invokeOnTimer(timer, "EVENT_TIME");
  }

  onProcessingTime(timer: InternalTimer): void {
    this.invokeOnTimer(timer, "PROCESSING_TIME");
  }

  endInput(): void {}

  close(): void | Promise<void> {
    this.timers?.dispose();
    return closeFunction(this.fns);
  }

  describe(): string {
    return this.label;
  }

  private invokeOnTimer(timer: InternalTimer, domain: TimeDomain): void {
    const ctx = this.timers.prepare(timer, domain, this.collector);
    this.fns.onTimer?.(timer.timestamp, ctx, this.collector);
  }

  private prepare(timestamp: number): void {
    this.ctx.ts = timestamp;
    this.collector.timestamp = timestamp;
    const keyed = this.context.keyed;
    if (keyed) this.ctx.key = keyed.getCurrentKey();
  }
}
