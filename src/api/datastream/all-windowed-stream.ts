/**
 * AllWindowedStream: a whole (non-keyed) stream grouped into windows (stream.windowAll(assigner)).
 * As in Flink, every element goes to one key and the window operator runs at parallelism 1.
 */
import type { TypeInformation } from "../../types/type-information.ts";
import type { WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import type { AggregateFunction } from "../state-descriptors.ts";
import type { Collector, ReduceFunction } from "../functions.ts";
import type { FieldRef } from "../keys.ts";
import type { AllWindowFunction, ProcessAllWindowFunction, ProcessWindowFunctionContext } from "../windowing/window-functions.ts";
import { WindowedStreamBase } from "../windowing/windowed-stream-base.ts";
import type { DataStream, SingleOutputStreamOperator } from "./data-stream.ts";

/** A ProcessAllWindowFunction given as a plain function. */
export type ProcessAllWindowFunctionLike<IN, OUT, W extends Window> =
  | ProcessAllWindowFunction<IN, OUT, W>
  | ((context: ProcessWindowFunctionContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void);

/** The all-stream single key (Flink's NullByteKeySelector). */
const ALL = () => 0;

export class AllWindowedStream<T, W extends Window = Window> extends WindowedStreamBase<T, W> {
  constructor(input: DataStream<T>, assigner: WindowAssigner<T, W>) {
    super(input.keyBy(ALL), assigner, true);
  }

  reduce(reducer: ReduceFunction<T>): SingleOutputStreamOperator<T>;
  reduce<R>(reducer: ReduceFunction<T>, windowFunction: ProcessAllWindowFunctionLike<T, R, W> | AllWindowFunction<T, R, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R>;
  reduce<R>(reducer: ReduceFunction<T>, windowFunction?: unknown, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doReduce(reducer, windowFunction, type);
  }

  aggregate<ACC, V>(aggregateFunction: AggregateFunction<T, ACC, V>, resultType?: TypeInformation<V>): SingleOutputStreamOperator<V>;
  aggregate<ACC, V, R>(aggregateFunction: AggregateFunction<T, ACC, V>, windowFunction: ProcessAllWindowFunctionLike<V, R, W> | AllWindowFunction<V, R, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R>;
  aggregate<R>(aggregateFunction: AggregateFunction<T, any, any>, windowFunctionOrType?: unknown, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doAggregate(aggregateFunction, windowFunctionOrType, type);
  }

  process<R>(processWindowFunction: ProcessAllWindowFunctionLike<T, R, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
    return this.doProcess(processWindowFunction, type);
  }

  apply<R>(windowFunction: AllWindowFunction<T, R, W>, type?: TypeInformation<R>): SingleOutputStreamOperator<R> {
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
