/** DataStream: a stream of elements of one type, and the transformations that make new streams. */
import type { StreamExecutionEnvironment } from "../stream-execution-environment.ts";
import type { Transformation, TransformationProps } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import { StreamFilter, StreamFlatMap, StreamMap } from "../../runtime/operators/stream/simple-operators.ts";
import { ProcessOperator } from "../../runtime/operators/stream/process-operators.ts";
import { TimestampsAndWatermarksOperator } from "../../runtime/operators/stream/timestamps-and-watermarks-operator.ts";
import type { WatermarkStrategy } from "../watermark-strategy.ts";
import { CollectSinkOperator, PrintSinkOperator, SinkFunctionOperator, SinkOperator } from "../../runtime/operators/stream/sink-operators.ts";
import { TextFileSink, csvFormatter } from "../../connectors/file-sinks.ts";
import type { PartitionerKind } from "../../runtime/jobgraph/job-graph.ts";
import { fn, type FilterFunction, type FlatMapFunction, type MapFunction, type Partitioner, type SinkFunction } from "../functions.ts";
import { resolveKey, type KeySpec } from "../keys.ts";
import { formatValue } from "../format.ts";
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { OutputTag } from "../output-tag.ts";
import type { ProcessFunction } from "./process-functions.ts";
import type { KeyedStream } from "./keyed-stream.ts";
import { ConnectedStreams } from "./connected-streams.ts";
import { JoinedStreams } from "./joined-streams.ts";
import { CoGroupedStreams } from "./co-grouped-streams.ts";
import { AllWindowedStream } from "./all-windowed-stream.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import { GlobalWindows, type WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import { CountTrigger, PurgingTrigger } from "../../runtime/operators/window/triggers.ts";
import { CountEvictor } from "../../runtime/operators/window/evictors.ts";
import { SlidingEventTimeWindows, TumblingEventTimeWindows } from "../../runtime/operators/window/time-window-assigners.ts";
import type { Duration } from "../../runtime/operators/window/duration.ts";

export type WriteMode = "NO_OVERWRITE" | "OVERWRITE";

/** Set by keyed-stream.ts (it extends DataStream, so this file cannot import it). */
export const keyedStreamFactory: {
  create?: (env: StreamExecutionEnvironment, t: Transformation, selector: (v: any) => unknown, keyType: TypeInformation | undefined) => KeyedStream<any, any>;
} = {};

export class DataStream<T> {
  /** The key selector when this stream is keyed (a KeyedStream). */
  readonly keySelector: ((value: T) => unknown) | undefined = undefined;

  constructor(readonly environment: StreamExecutionEnvironment, readonly transformation: Transformation) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }
  getType(): TypeInformation<T> | undefined {
    return this.transformation.outputType as TypeInformation<T> | undefined;
  }
  getParallelism(): number {
    return this.transformation.parallelism > 0 ? this.transformation.parallelism : this.environment.getParallelism();
  }
  getId(): number {
    return this.transformation.id;
  }

  // ---- one-input transformations ----

  map<O>(mapper: MapFunction<T, O>, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    const f = fn<(v: T) => O>(mapper, "map", "Map");
    return this.transform("Map", "map", type, () => new StreamMap(f.call, f.lifecycle));
  }

  flatMap<O>(flatMapper: FlatMapFunction<T, O>, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    const f = fn<(v: T, out: any) => void>(flatMapper, "flatMap", "Flat Map");
    return this.transform("Flat Map", "flatMap", type, () => new StreamFlatMap(f.call, f.lifecycle));
  }

  filter(filter: FilterFunction<T>): SingleOutputStreamOperator<T> {
    const f = fn<(v: T) => boolean>(filter, "filter", "Filter");
    return this.transform("Filter", "filter", this.getType(), () => new StreamFilter(f.call, f.lifecycle));
  }

  /**
   * Gives records event timestamps and the stream watermarks from `strategy`; watermarks are
   * asked for every getConfig().getAutoWatermarkInterval() ms. Upstream watermarks are dropped
   * (except the final one of a bounded input).
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    checkArgument(strategy !== null && typeof strategy === "object" && typeof strategy.createWatermarkGenerator === "function", "assignTimestampsAndWatermarks needs a WatermarkStrategy, e.g. WatermarkStrategy.forMonotonousTimestamps()");
    const env = this.environment;
    return this.transform("Timestamps/Watermarks", "timestampsAndWatermarks", this.getType(), () => new TimestampsAndWatermarksOperator(strategy, env.getConfig().getAutoWatermarkInterval()));
  }

  process<O>(processFunction: ProcessFunction<T, O>, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    if (typeof (processFunction as any)?.processElement !== "function") throw new InvalidProgramError("process(): expected a ProcessFunction with processElement(value, ctx, out)");
    return this.transform("Process", "process", type, () => new ProcessOperator(processFunction as any, this.keySelector !== undefined));
  }

  keyBy<K = unknown>(key: KeySpec<T>): KeyedStream<T, K> {
    const resolved = resolveKey(key, this.getType(), "keyBy");
    const t = this.environment.addTransformation("partition", [this.transformation], {
      name: "keyBy",
      partitioner: "hash",
      partitionKeySelector: resolved.selector as (v: unknown) => unknown,
      outputType: this.getType(),
    });
    return keyedStreamFactory.create!(this.environment, t, resolved.selector, resolved.type) as KeyedStream<T, K>;
  }

  union(...others: DataStream<T>[]): DataStream<T> {
    const type = unionType([this, ...others].map((d) => d.getType()));
    const t = this.environment.addTransformation("union", [this.transformation, ...others.map((o) => o.transformation)], { name: "Union", outputType: type });
    return new DataStream<T>(this.environment, t);
  }

  /** A window join with `other`: .where(k).equalTo(k).window(assigner).apply(joinFn). */
  join<U>(other: DataStream<U>): JoinedStreams<T, U> {
    return new JoinedStreams(this, other);
  }

  /** A window coGroup with `other`: .where(k).equalTo(k).window(assigner).apply(coGroupFn). */
  coGroup<U>(other: DataStream<U>): CoGroupedStreams<T, U> {
    return new CoGroupedStreams(this, other);
  }

  connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    return new ConnectedStreams<T, U>(this.environment, this, other);
  }

  // ---- windows over the whole stream (one subtask) ----

  /** Groups all elements into windows of `assigner`; the window operator runs at parallelism 1. */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this, assigner);
  }

  /** Windows of `size` elements; with `slide`, the last `size` elements every `slide` elements. */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, Window> {
    const w = this.windowAll<Window>(GlobalWindows.create() as WindowAssigner<T, Window>);
    if (slide === undefined) return w.trigger(PurgingTrigger.of(CountTrigger.of(size)));
    return w.evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide));
  }

  /** Tumbling (or, with `slide`, sliding) event-time windows over the whole stream. */
  timeWindowAll(size: Duration, slide?: Duration): AllWindowedStream<T, Window> {
    const assigner = slide === undefined ? TumblingEventTimeWindows.of(size) : SlidingEventTimeWindows.of(size, slide);
    return this.windowAll<Window>(assigner as WindowAssigner<T, Window>);
  }

  // ---- partitioning ----

  rebalance(): DataStream<T> {
    return this.partition("rebalance");
  }
  rescale(): DataStream<T> {
    return this.partition("rescale");
  }
  shuffle(): DataStream<T> {
    return this.partition("shuffle");
  }
  forward(): DataStream<T> {
    return this.partition("forward");
  }
  broadcast(): DataStream<T> {
    return this.partition("broadcast");
  }
  global(): DataStream<T> {
    return this.partition("global");
  }
  partitionCustom<K>(partitioner: Partitioner<K>, key: KeySpec<T>): DataStream<T> {
    const p = fn<(k: K, n: number) => number>(partitioner, "partition", "partitionCustom");
    const k = resolveKey(key, this.getType(), "partitionCustom");
    return this.partition("custom", { partitionKeySelector: k.selector as (v: unknown) => unknown, customPartitioner: p.call as (k: unknown, n: number) => number });
  }

  private partition(kind: PartitionerKind, extra: Partial<TransformationProps> = {}): DataStream<T> {
    const t = this.environment.addTransformation("partition", [this.transformation], { name: kind, partitioner: kind, outputType: this.getType(), ...extra });
    return new DataStream<T>(this.environment, t);
  }

  // ---- sinks ----

  print(prefix?: string): DataStreamSink<T> {
    return this.sink("Print to Std. Out", "print", () => new PrintSinkOperator<T>(formatValue, "stdout", prefix));
  }

  printToErr(prefix?: string): DataStreamSink<T> {
    return this.sink("Print to Std. Err", "print", () => new PrintSinkOperator<T>(formatValue, "stderr", prefix));
  }

  addSink(sinkFunction: SinkFunction<T>): DataStreamSink<T> {
    const f = fn<(v: T, ctx: any) => void>(sinkFunction, "invoke", "Sink");
    const target = typeof sinkFunction === "function" ? { invoke: f.call } : (sinkFunction as any);
    return this.sink("Unnamed", "sink", () => new SinkFunctionOperator<T>(target));
  }

  writeAsText(path: string, writeMode: WriteMode = "NO_OVERWRITE"): DataStreamSink<T> {
    return this.sink(`TextFileSink ${path}`, "file-sink", () => new SinkOperator<T>(new TextFileSink<T>(path, formatValue, writeMode)));
  }

  writeAsCsv(path: string, writeMode: WriteMode = "NO_OVERWRITE", rowDelimiter = "\n", fieldDelimiter = ","): DataStreamSink<T> {
    const type = this.getType();
    if (type && type.kind !== "TUPLE" && type.kind !== "ROW") throw new InvalidProgramError(`writeAsCsv: only tuple and row streams can be written as CSV, this one is ${type.toString()}`);
    return this.sink(`CsvFileSink ${path}`, "file-sink", () => new SinkOperator<T>(new TextFileSink<T>(path, csvFormatter(rowDelimiter, fieldDelimiter) as any, writeMode)));
  }

  /** Executes the program and returns the elements of this stream (at most `limit`). */
  async executeAndCollect(limitOrName?: number | string, limit?: number): Promise<T[]> {
    const max = typeof limitOrName === "number" ? limitOrName : limit;
    const name = typeof limitOrName === "string" ? limitOrName : undefined;
    const channel = `collect-${this.transformation.id}`;
    // one collecting subtask, as Flink's CollectStreamSink: an ordered stream arrives in order
    const sink = this.environment.addTransformation("sink", [this.transformation], { name: "Collect Sink", operatorKind: "collect", parallelism: 1, createOperator: () => new CollectSinkOperator(channel) });
    const all = (await this.environment.collectWith(sink, channel, name, max)) as T[];
    return max === undefined ? all : all.slice(0, max);
  }

  protected sink(name: string, kind: string, create: () => AnyOperator): DataStreamSink<T> {
    const t = this.environment.addTransformation("sink", [this.transformation], { name, operatorKind: kind, createOperator: create });
    this.environment.addSink(t);
    return new DataStreamSink<T>(t);
  }

  /** Adds a one-input operator; on a keyed stream the operator is keyed. */
  transform<O>(name: string, kind: string, type: TypeInformation<O> | undefined, create: () => AnyOperator): SingleOutputStreamOperator<O> {
    const keySelector = this.keySelector as ((v: unknown) => unknown) | undefined;
    const t = this.environment.addTransformation("one-input", [this.transformation], { name, operatorKind: kind, outputType: type, createOperator: create, keySelector });
    return new SingleOutputStreamOperator<O>(this.environment, t);
  }
}

/** The stream an operator produces: settings of that operator, and its side outputs. */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  setParallelism(parallelism: number): this {
    checkArgument(Number.isInteger(parallelism) && parallelism > 0, `${this.transformation.name}: parallelism must be a positive integer, got ${parallelism}`);
    this.transformation.parallelism = parallelism;
    this.transformation.parallelismSetByUser = true;
    return this;
  }
  setMaxParallelism(maxParallelism: number): this {
    this.transformation.maxParallelism = maxParallelism;
    return this;
  }
  name(name: string): this {
    this.transformation.name = name;
    return this;
  }
  getName(): string {
    return this.transformation.name;
  }
  uid(uid: string): this {
    this.transformation.uid = uid;
    return this;
  }
  returns(type: TypeInformation<T>): this {
    this.transformation.outputType = type;
    return this;
  }
  disableChaining(): this {
    this.transformation.chaining = "NEVER";
    return this;
  }
  startNewChain(): this {
    this.transformation.chaining = "HEAD";
    return this;
  }
  slotSharingGroup(name: string): this {
    this.transformation.slotSharingGroup = name;
    return this;
  }
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t = this.environment.addTransformation("side-output", [this.transformation], { name: `SideOutput ${tag.id}`, sideOutputTag: tag.id, outputType: tag.type });
    return new DataStream<X>(this.environment, t);
  }
}

/** What a sink returns: settings of the sink operator. */
export class DataStreamSink<T> {
  constructor(readonly transformation: Transformation) {}
  setParallelism(parallelism: number): this {
    checkArgument(Number.isInteger(parallelism) && parallelism > 0, `sink parallelism must be a positive integer, got ${parallelism}`);
    this.transformation.parallelism = parallelism;
    this.transformation.parallelismSetByUser = true;
    return this;
  }
  name(name: string): this {
    this.transformation.name = name;
    return this;
  }
  uid(uid: string): this {
    this.transformation.uid = uid;
    return this;
  }
  disableChaining(): this {
    this.transformation.chaining = "NEVER";
    return this;
  }
  slotSharingGroup(name: string): this {
    this.transformation.slotSharingGroup = name;
    return this;
  }
  /** For type inference parity with Flink's DataStreamSink<T>. */
  declare readonly __type?: T;
}

const NUMBERS = new Set(["INT", "LONG", "DOUBLE", "FLOAT"]);

/** The type of a union: the inputs' common type; numbers of different kinds meet as DOUBLE; GENERIC when one is unknown. */
function unionType(types: (TypeInformation | undefined)[]): TypeInformation | undefined {
  if (types.some((t) => t === undefined)) return undefined;
  const names = new Set(types.map((t) => t!.toString()));
  if (names.size === 1) return types[0];
  if (types.every((t) => NUMBERS.has(t!.kind))) return Types.DOUBLE;
  throw new InvalidProgramError(`union: cannot union streams of ${[...names].join(" and ")}`);
}
