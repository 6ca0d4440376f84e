/** The "flinkts" module that jobs import: the public API of API.md. */
export { StreamExecutionEnvironment, type RuntimeExecutionMode, type CsvReadOptions } from "./api/stream-execution-environment.ts";
export { DataStream, SingleOutputStreamOperator, DataStreamSink } from "./api/datastream/data-stream.ts";
export { KeyedStream } from "./api/datastream/keyed-stream.ts";
export { WindowedStream } from "./api/datastream/windowed-stream.ts";
export { AllWindowedStream } from "./api/datastream/all-windowed-stream.ts";
export * from "./api/windowing/index.ts";
export { ConnectedStreams, type CoMapFunction, type CoFlatMapFunction } from "./api/datastream/connected-streams.ts";
export {
  ProcessFunction,
  KeyedProcessFunction,
  CoProcessFunction,
  KeyedCoProcessFunction,
  RichParallelSourceFunction,
  RichSourceFunction,
  type SourceContext,
  type TimerService,
} from "./api/datastream/process-functions.ts";
export {
  AbstractRichFunction,
  RichMapFunction,
  RichFlatMapFunction,
  RichFilterFunction,
  RichReduceFunction,
  RichMapPartitionFunction,
  RichGroupReduceFunction,
  RichSinkFunction,
  RichCoMapFunction,
  RichCoFlatMapFunction,
  type Collector,
  type MapFunction,
  type FlatMapFunction,
  type FilterFunction,
  type ReduceFunction,
  type KeySelector,
  type SinkFunction,
  type RuntimeContext,
} from "./api/functions.ts";
export { OutputTag } from "./api/output-tag.ts";
export { JobExecutionResult, JobClient } from "./api/job-execution-result.ts";
export {
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  StateTtlConfig,
  type AggregateFunction,
} from "./api/state-descriptors.ts";
export { Time } from "./api/time.ts";
export type { ValueState, ListState, MapState, ReducingState, AggregatingState } from "./runtime/state/state-types.ts";
export { Types } from "./types/types.ts";
export type { TypeInformation } from "./types/type-information.ts";
export { Watermark } from "./core/stream-element.ts";
export { Configuration } from "./core/config.ts";
export { IntCounter, LongCounter, DoubleCounter, AverageAccumulator, IntMaximum, IntMinimum, DoubleMaximum, DoubleMinimum, Histogram, ListAccumulator, type Accumulator } from "./core/accumulators.ts";
export { DataGeneratorSource, RateLimiterStrategy } from "./api/data-generator.ts";
export { ExecutionEnvironment } from "./api/dataset/execution-environment.ts";
export { DataSet, AggregateOperator } from "./api/dataset/data-set.ts";
export { DataSink } from "./api/dataset/data-sink.ts";
export { Grouping } from "./api/dataset/grouping.ts";
export { UnsortedGrouping } from "./api/dataset/unsorted-grouping.ts";
export { SortedGrouping } from "./api/dataset/sorted-grouping.ts";
export { CsvReader } from "./api/dataset/csv-reader.ts";
export { ExecutionConfig, type ExecutionMode } from "./api/dataset/execution-config.ts";
export { Aggregations } from "./api/dataset/aggregations.ts";
export { Order } from "./api/dataset/order.ts";
export type { OutputFormat } from "./api/dataset/output-format.ts";
export type { MapPartitionFunction, GroupReduceFunction, GroupCombineFunction } from "./api/functions.ts";
export { RichGroupCombineFunction } from "./api/dataset/rich-group-combine-function.ts";
export { JoinHint, CrossHint } from "./graph/optimizer/plan-info.ts";
export { JoinOperatorSets, JoinOperatorSetsPredicate, type DefaultJoin, type ProjectJoin, type JoinFunctionAssigner } from "./api/dataset/join-operators.ts";
export { CoGroupOperatorSets, type CrossOperatorResult, type ProjectCross } from "./api/dataset/cogroup-cross.ts";
export { RichCrossFunction, type CrossFunction } from "./api/dataset/binary-functions.ts";
export { WatermarkStrategy, type WatermarkGenerator, type WatermarkOutput, type TimestampAssigner } from "./api/watermark-strategy.ts";
export { NexmarkSource, NexmarkGenerator, type NexmarkSourceOptions, type NexmarkEvent, type Person, type Auction, type Bid } from "./connectors/nexmark/index.ts";
export { JoinedStreams, RichJoinFunction, RichFlatJoinFunction, type JoinFunction, type FlatJoinFunction } from "./api/datastream/joined-streams.ts";
export { CoGroupedStreams, RichCoGroupFunction, type CoGroupFunction } from "./api/datastream/co-grouped-streams.ts";
export { IntervalJoin, IntervalJoined, ProcessJoinFunction, type ProcessJoinFunctionContext } from "./api/datastream/interval-join.ts";
