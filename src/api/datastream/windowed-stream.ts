/** WindowedStream: a keyed stream grouped into windows (keyedStream.window(assigner)), as Flink's. */
import type { TypeInformation } from "../../types/type-information.ts";
import type { WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import type { AggregateFunction } from "../state-descriptors.ts";
import type { Collector, ReduceFunction } from "../functions.ts";
import type { FieldRef } from "../keys.ts";
import type { ProcessWindowFunction, ProcessWindowFunctionContext, WindowFunction } from "../windowing/window-functions.ts";
import { WindowedStreamBase } from "../windowing/windowed-stream-base.ts";
import type { SingleOutputStreamOperator } from "./data-stream.ts";
import type { KeyedStream } from "./keyed-stream.ts";

/** The key as functions see it: any when the stream's key type was not given (keyBy infers none). */
export type KeyArg<K> = unknown extends K ? any : K;

/** A ProcessWindowFunction given as a plain function. */
export type ProcessWindowFunctionLike<IN, OUT, K, W extends Window> =
  | ProcessWindowFunction<IN, OUT, KeyArg<K>, W>
  | ((key: KeyArg<K>, context: ProcessWindowFunctionContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void);

/**
 * Configure with trigger / evictor / allowedLateness / sideOutputLateData, then give the window
 * function. reduce and aggregate keep one value per window (incremental); process and apply keep
 * every element. A second function to reduce/aggregate sees the single result with the window.
 */
export class WindowedStream<T, K = unknown, W extends Window = Window> extends WindowedStreamBase<T, W> {
  constructor(input: KeyedStream<T, K>, assigner: WindowAssigner<T, W>) {
    super(input, assigner, false);
  }

  /**
   * Reduces each window incrementally; with `windowFunction` (a ProcessWindowFunction, or a
   * WindowFunction object with apply) the reduced value is handed to it with key and window.
   */
  reduce(reducer: ReduceFunction<T>): SingleOutputStreamOperator<T>;
  reduce<R>(reducer: ReduceFunction<T>, windowFunction: ProcessWindowFunctionLike<T, R, K, W> | WindowFunction<T, R, KeyArg<K>, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R>;
  reduce<R>(reducer: ReduceFunction<T>, windowFunction?: unknown, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doReduce(reducer, windowFunction, type);
  }

  /** Aggregates each window incrementally (merge() is needed for session windows). */
  aggregate<ACC, V>(aggregateFunction: AggregateFunction<T, ACC, V>, resultType?: TypeInformation<V>): SingleOutputStreamOperator<V>;
  aggregate<ACC, V, R>(aggregateFunction: AggregateFunction<T, ACC, V>, windowFunction: ProcessWindowFunctionLike<V, R, K, W> | WindowFunction<V, R, KeyArg<K>, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R>;
  aggregate<R>(aggregateFunction: AggregateFunction<T, any, any>, windowFunctionOrType?: unknown, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doAggregate(aggregateFunction, windowFunctionOrType, type);
  }

  /** Calls the function with all elements of a window when it fires. */
  process<R>(processWindowFunction: ProcessWindowFunctionLike<T, R, K, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doProcess(processWindowFunction, type);
  }

  /** Calls apply(key, window, elements, out) when a window fires. */
  apply<R>(windowFunction: WindowFunction<T, R, KeyArg<K>, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doApply(windowFunction, type);
  }

  sum(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.doAggregation("sum", field);
  }
  min(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.doAggregation("min", field);
  }
  max(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.doAggregation("max", field);
  }
  minBy(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.doAggregation("minBy", field);
  }
  maxBy(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.doAggregation("maxBy", field);
  }
}
