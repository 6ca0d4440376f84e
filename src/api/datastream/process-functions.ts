/** Base classes for process functions, as in Flink: rich functions with processElement and onTimer. */
import { AbstractRichFunction, type Collector } from "../functions.ts";
import type { OutputTag } from "../output-tag.ts";
import type { TimerServiceLike } from "../../runtime/operators/timers/simple-timer-service.ts";

/** Flink's TimerService: the runtime's interface, under the API's name. */
export type TimerService = TimerServiceLike;

export interface ProcessFunctionContext {
  timestamp(): number | null;
  timerService(): TimerService;
  output<X>(tag: OutputTag<X>, value: X): void;
}

export interface KeyedProcessFunctionContext<K> extends ProcessFunctionContext {
  getCurrentKey(): K;
}

export interface OnTimerContext<K = unknown> extends KeyedProcessFunctionContext<K> {
  timeDomain(): "EVENT_TIME" | "PROCESSING_TIME";
}

export abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: ProcessFunctionContext, out: Collector<O>): void;
  onTimer(_timestamp: number, _ctx: OnTimerContext, _out: Collector<O>): void {}
}

export abstract class KeyedProcessFunction<K, I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: KeyedProcessFunctionContext<K>, out: Collector<O>): void;
  onTimer(_timestamp: number, _ctx: OnTimerContext<K>, _out: Collector<O>): void {}
}

export abstract class CoProcessFunction<I1, I2, O> extends AbstractRichFunction {
  abstract processElement1(value: I1, ctx: ProcessFunctionContext, out: Collector<O>): void;
  abstract processElement2(value: I2, ctx: ProcessFunctionContext, out: Collector<O>): void;
  onTimer(_timestamp: number, _ctx: OnTimerContext, _out: Collector<O>): void {}
}

export abstract class KeyedCoProcessFunction<K, I1, I2, O> extends AbstractRichFunction {
  abstract processElement1(value: I1, ctx: KeyedProcessFunctionContext<K>, out: Collector<O>): void;
  abstract processElement2(value: I2, ctx: KeyedProcessFunctionContext<K>, out: Collector<O>): void;
  onTimer(_timestamp: number, _ctx: OnTimerContext<K>, _out: Collector<O>): void {}
}

/** Sources: a class extending this runs one instance per subtask. */
export abstract class RichParallelSourceFunction<T> extends AbstractRichFunction {
  static readonly isParallelSource = true;
  abstract run(ctx: SourceContext<T>): void | Promise<void>;
  abstract cancel(): void;
}

export abstract class RichSourceFunction<T> extends AbstractRichFunction {
  abstract run(ctx: SourceContext<T>): void | Promise<void>;
  abstract cancel(): void;
}

export interface SourceContext<T> {
  /** Returns a Promise when the source should pause (its batch is done; downstream may be backpressured); an async run() should await it. */
  collect(value: T): Promise<void> | undefined;
  collectWithTimestamp(value: T, timestamp: number): Promise<void> | undefined;
  emitWatermark(mark: { timestamp: number }): void;
  markAsTemporarilyIdle(): void;
  getCheckpointLock(): object;
}
