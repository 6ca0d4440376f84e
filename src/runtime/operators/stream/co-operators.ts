/** Two-input operators of connected streams: CoMap, CoFlatMap, CoProcess (keyed or not). */
import type { Output, TwoInputStreamOperator } from "../stream-operator.ts";
import type { OperatorContext } from "../operator-context.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";
import { BasicTimerService, ProcessContext } from "./process-operators.ts";

export interface CoFunctions extends FunctionLifecycle {
  /** Called with (value, collector, ctx); map variants return a value instead. */
  first(value: unknown, out: TimestampedCollector<unknown>, ctx: ProcessContext): unknown;
  second(value: unknown, out: TimestampedCollector<unknown>, ctx: ProcessContext): unknown;
}

/**
 * One class for every co-operator: `mode` says whether the functions return their result (map)
 * or emit through the collector (flatMap, process).
 */
export class CoStreamOperator implements TwoInputStreamOperator {
  readonly twoInput = true as const;
  private output!: Output;
  private context!: OperatorContext;
  private collector!: TimestampedCollector<unknown>;
  private ctx!: ProcessContext;
  private timers!: BasicTimerService;

  constructor(private readonly fns: CoFunctions, private readonly mode: "map" | "emit", private readonly label: string) {}

  setup(context: OperatorContext, output: Output): void {
    this.context = context;
    this.output = output;
  }

  open(): void | Promise<void> {
    this.timers = new BasicTimerService(this.context.operatorName);
    this.ctx = new ProcessContext(this.output, this.timers);
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
    this.timers.watermark = timestamp;
    this.output.emitWatermark(timestamp);
  }

  endInput(): void {}

  close(): void | Promise<void> {
    return closeFunction(this.fns);
  }

  describe(): string {
    return this.label;
  }

  private prepare(timestamp: number): void {
    this.ctx.ts = timestamp;
    this.collector.timestamp = timestamp;
    const keyed = this.context.keyed;
    if (keyed) this.ctx.key = keyed.getCurrentKey();
  }
}
