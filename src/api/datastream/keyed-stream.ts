/** KeyedStream: a stream partitioned by key; operators on it are keyed and may use keyed state. */
import { DataStream, keyedStreamFactory, type SingleOutputStreamOperator } from "./data-stream.ts";
import type { StreamExecutionEnvironment } from "../stream-execution-environment.ts";
import type { Transformation } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { StreamGroupedReduce } from "../../runtime/operators/stream/grouped-reduce.ts";
import { ProcessOperator } from "../../runtime/operators/stream/process-operators.ts";
import { fn, type ReduceFunction } from "../functions.ts";
import { aggregationReducer, type AggregationKind } from "../aggregations.ts";
import type { FieldRef } from "../keys.ts";
import type { KeyedProcessFunction } from "./process-functions.ts";
import { IntervalJoin } from "./interval-join.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { WindowedStream } from "./windowed-stream.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import { GlobalWindows, type WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import { CountTrigger, PurgingTrigger } from "../../runtime/operators/window/triggers.ts";
import { CountEvictor } from "../../runtime/operators/window/evictors.ts";
import { SlidingEventTimeWindows, TumblingEventTimeWindows } from "../../runtime/operators/window/time-window-assigners.ts";
import type { Duration } from "../../runtime/operators/window/duration.ts";

export class KeyedStream<T, K = unknown> extends DataStream<T> {
  override readonly keySelector: (value: T) => unknown;

  constructor(environment: StreamExecutionEnvironment, transformation: Transformation, keySelector: (value: T) => unknown, readonly keyType: TypeInformation | undefined) {
    super(environment, transformation);
    this.keySelector = keySelector;
  }

  getKeySelector(): (value: T) => K {
    return this.keySelector as (value: T) => K;
  }

  reduce(reducer: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    const f = fn<(a: T, b: T) => T>(reducer, "reduce", "Keyed Reduce");
    const env = this.environment;
    return this.transform("Keyed Reduce", "keyed-reduce", this.getType(), () => new StreamGroupedReduce(f.call, env.isBatchMode(), f.lifecycle));
  }

  sum(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.aggregate("sum", field);
  }
  min(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.aggregate("min", field);
  }
  max(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.aggregate("max", field);
  }
  minBy(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.aggregate("minBy", field);
  }
  maxBy(field: FieldRef = 0): SingleOutputStreamOperator<T> {
    return this.aggregate("maxBy", field);
  }

  /** An interval join with another keyed stream: .between(lower, upper).process(fn), in event time. */
  intervalJoin<T2>(other: KeyedStream<T2, K>): IntervalJoin<T, T2, K> {
    return new IntervalJoin(this, other);
  }

  override process<O>(processFunction: KeyedProcessFunction<K, T, O> | any, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    if (typeof processFunction?.processElement !== "function") throw new InvalidProgramError("process(): expected a KeyedProcessFunction with processElement(value, ctx, out)");
    return this.transform("KeyedProcess", "keyed-process", type, () => new ProcessOperator(processFunction, true));
  }

  /** Groups each key's elements into windows of `assigner`. */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this, assigner);
  }

  /** Windows of `size` elements per key; with `slide`, a window of the last `size` elements every `slide` elements. */
  countWindow(size: number, slide?: number): WindowedStream<T, K, Window> {
    const w = this.window<Window>(GlobalWindows.create() as WindowAssigner<T, Window>);
    if (slide === undefined) return w.trigger(PurgingTrigger.of(CountTrigger.of(size)));
    return w.evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide));
  }

  /** Tumbling (or, with `slide`, sliding) event-time windows: Flink's deprecated shortcut. */
  timeWindow(size: Duration, slide?: Duration): WindowedStream<T, K, Window> {
    const assigner = slide === undefined ? TumblingEventTimeWindows.of(size) : SlidingEventTimeWindows.of(size, slide);
    return this.window<Window>(assigner as WindowAssigner<T, Window>);
  }

  private aggregate(kind: AggregationKind, field: FieldRef): SingleOutputStreamOperator<T> {
    const name = "Keyed Aggregation";
    const reducer = aggregationReducer<T>(kind, field, this.getType(), name);
    const env = this.environment;
    return this.transform(name, `keyed-${kind}`, this.getType(), () => new StreamGroupedReduce(reducer, env.isBatchMode(), undefined, name));
  }
}

keyedStreamFactory.create = (env, t, selector, keyType) => new KeyedStream(env, t, selector, keyType);
