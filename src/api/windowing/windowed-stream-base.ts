/**
 * What keyed and non-keyed windowed streams share: the window settings (trigger, evictor,
 * lateness, late-data tag) and turning a window function into a window operator.
 */
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { toMillis, type Duration } from "../../runtime/operators/window/duration.ts";
import { EvictingWindowOperator } from "../../runtime/operators/window/evicting-window-operator.ts";
import type { Evictor } from "../../runtime/operators/window/evictors.ts";
import type { Trigger } from "../../runtime/operators/window/trigger.ts";
import type { WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import type { AggregateFunctionLike, InternalWindowFunction, WindowContents } from "../../runtime/operators/window/window-function.ts";
import { WindowOperator, type WindowOperatorOptions } from "../../runtime/operators/window/window-operator.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import { aggregationReducer, type AggregationKind } from "../aggregations.ts";
import { fn } from "../functions.ts";
import type { FieldRef } from "../keys.ts";
import type { OutputTag } from "../output-tag.ts";
import type { SingleOutputStreamOperator } from "../datastream/data-stream.ts";
import type { KeyedStream } from "../datastream/keyed-stream.ts";
import { functionName, internalWindowFunction, passThrough, rejectRich, type InputShape, type WindowFunctionShape } from "./internal-window-functions.ts";

function isTypeInfo(x: unknown): x is TypeInformation {
  return x !== null && typeof x === "object" && typeof (x as TypeInformation).createSerializer === "function" && typeof (x as TypeInformation).kind === "string";
}

/**
 * Settings apply to the window function given next (reduce, aggregate, process, apply, sum...),
 * as in Flink; each of those adds one window operator after the keyed input.
 */
export abstract class WindowedStreamBase<T, W extends Window> {
  protected windowTrigger: Trigger;
  protected windowEvictor: Evictor | undefined = undefined;
  protected lateness = 0;
  protected lateDataTag: OutputTag<T> | undefined = undefined;

  protected constructor(
    protected readonly keyedInput: KeyedStream<T, any>,
    readonly windowAssigner: WindowAssigner<T, W>,
    private readonly allWindows: boolean,
  ) {
    checkArgument(windowAssigner !== null && typeof windowAssigner === "object" && typeof windowAssigner.assignWindows === "function", `${this.kind()}: expected a WindowAssigner such as TumblingEventTimeWindows.of(5000), got ${String(windowAssigner)}`);
    this.windowTrigger = windowAssigner.getDefaultTrigger();
  }

  /** The trigger that decides when windows fire (replaces the assigner's default). */
  trigger(trigger: Trigger<T, W>): this {
    checkArgument(trigger !== null && typeof trigger === "object" && typeof trigger.onElement === "function" && typeof trigger.onEventTime === "function" && typeof trigger.onProcessingTime === "function",
      `${this.kind()}.trigger: expected a Trigger with onElement, onEventTime and onProcessingTime`);
    if (this.windowAssigner.isMerging() && !(typeof trigger.canMerge === "function" && trigger.canMerge())) {
      throw new InvalidProgramError(`A merging window assigner cannot be used with a trigger that does not support merging: ${String(trigger)} with ${String(this.windowAssigner)}`);
    }
    this.windowTrigger = trigger;
    return this;
  }

  /** Removes elements before and/or after the window function; the window then keeps every element. */
  evictor(evictor: Evictor<T, W>): this {
    checkArgument(evictor !== null && typeof evictor === "object" && typeof evictor.evictBefore === "function" && typeof evictor.evictAfter === "function",
      `${this.kind()}.evictor: expected an Evictor with evictBefore and evictAfter, such as CountEvictor.of(10)`);
    this.windowEvictor = evictor;
    return this;
  }

  /** How long (ms or Time) an event-time window is kept after it fired; late elements re-fire it. */
  allowedLateness(lateness: Duration): this {
    const ms = toMillis(lateness, `${this.kind()}.allowedLateness`);
    checkArgument(ms >= 0, `The allowed lateness cannot be negative, got ${ms}`);
    this.lateness = ms;
    return this;
  }

  /** Elements too late for every window they belong to go to this side output instead of being dropped. */
  sideOutputLateData(tag: OutputTag<T>): this {
    checkArgument(tag !== null && typeof tag === "object" && typeof tag.id === "string", `${this.kind()}.sideOutputLateData: expected an OutputTag`);
    this.lateDataTag = tag;
    return this;
  }

  getExecutionEnvironment() {
    return this.keyedInput.getExecutionEnvironment();
  }

  getInputType(): TypeInformation<T> | undefined {
    return this.keyedInput.getType();
  }

  // ---- the window functions, for the typed subclasses ----

  protected doReduce<R>(reducer: unknown, windowFn: unknown, type: TypeInformation<R> | undefined): SingleOutputStreamOperator<R> {
    rejectRich(reducer, "ReduceFunction of reduce", "reduce(ReduceFunction, WindowFunction)");
    const r = fn<(a: T, b: T) => T>(reducer, "reduce", `${this.kind()}.reduce`);
    const reduceName = functionName(reducer, "ReduceFunction");
    const contents: WindowContents = { kind: "reduce", reduce: r.call };
    if (windowFn === undefined || windowFn === null) return this.build(contents, passThrough(`${reduceName}, PassThroughWindowFunction`), this.getInputType() as TypeInformation<R> | undefined);
    return this.build(contents, this.userFunction(windowFn, "process", "single", reduceName), type);
  }

  protected doAggregate<R>(aggregateFn: unknown, windowFnOrType: unknown, type: TypeInformation<R> | undefined): SingleOutputStreamOperator<R> {
    const agg = aggregateFn as AggregateFunctionLike;
    checkArgument(agg !== null && typeof agg === "object" && typeof agg.createAccumulator === "function" && typeof agg.add === "function" && typeof agg.getResult === "function",
      `${this.kind()}.aggregate: expected an AggregateFunction with createAccumulator, add and getResult`);
    rejectRich(aggregateFn, "This aggregation function", "aggregate(AggregateFunction, WindowFunction)");
    const aggName = functionName(aggregateFn, "AggregateFunction");
    const contents: WindowContents = { kind: "aggregate", aggregate: agg };
    if (windowFnOrType === undefined || windowFnOrType === null || isTypeInfo(windowFnOrType)) {
      return this.build(contents, passThrough(`${aggName}, PassThroughWindowFunction`), (windowFnOrType as TypeInformation<R> | undefined) ?? type);
    }
    return this.build(contents, this.userFunction(windowFnOrType, "process", "single", aggName), type);
  }

  protected doProcess<R>(processFn: unknown, type: TypeInformation<R> | undefined): SingleOutputStreamOperator<R> {
    return this.build({ kind: "list" }, this.userFunction(processFn, "process", "list", ""), type);
  }

  protected doApply<R>(windowFn: unknown, type: TypeInformation<R> | undefined): SingleOutputStreamOperator<R> {
    return this.build({ kind: "list" }, this.userFunction(windowFn, "apply", "list", ""), type);
  }

  protected doAggregation(kind: AggregationKind, field: FieldRef): SingleOutputStreamOperator<T> {
    const reducer = aggregationReducer<T>(kind, field, this.getInputType(), `${this.kind()}.${kind}`);
    const contents: WindowContents = { kind: "reduce", reduce: reducer };
    const label = `${kind[0]!.toUpperCase()}${kind.slice(1)}Aggregator(${field}), PassThroughWindowFunction`;
    return this.build(contents, passThrough(label), this.getInputType());
  }

  /** Which call shape a user window function has: objects say by their method; plain functions take `plain`. */
  private userFunction(f: unknown, plain: "process" | "apply", input: InputShape, label: string): InternalWindowFunction {
    const o = f as { process?: unknown; apply?: unknown } | null;
    let shape: "process" | "apply" = plain;
    if (o !== null && typeof o === "object") shape = typeof o.process === "function" ? "process" : "apply";
    const full = (this.allWindows ? `${shape}All` : shape) as WindowFunctionShape;
    return internalWindowFunction(f, full, input, label, `${this.kind()}.${shape}`);
  }

  /** Adds the window operator; settings are captured now, as Flink's builder does. */
  private build<R>(contents: WindowContents, windowFn: InternalWindowFunction, type: TypeInformation<R> | undefined): SingleOutputStreamOperator<R> {
    const options: WindowOperatorOptions = {
      assigner: this.windowAssigner,
      trigger: this.windowTrigger,
      allowedLateness: this.lateness,
      lateDataTag: this.lateDataTag?.id,
      contents,
      fn: windowFn,
      evictor: this.windowEvictor,
    };
    const parts = [String(options.assigner), String(options.trigger)];
    if (options.evictor) parts.push(String(options.evictor));
    parts.push(windowFn.label);
    const name = `${this.allWindows ? "AllWindow" : "Window"}(${parts.join(", ")})`;
    const create = options.evictor ? () => new EvictingWindowOperator(options) : () => new WindowOperator(options);
    const result = this.keyedInput.transform<R>(name, this.allWindows ? "window-all" : "window", type, create);
    if (this.allWindows) {
      result.setParallelism(1);
      result.setMaxParallelism(1);
    }
    return result;
  }

  private kind(): string {
    return this.allWindows ? "AllWindowedStream" : "WindowedStream";
  }
}
