/** DataSet: a bounded collection of elements of one type, and the transformations that make new data sets. */
import type { ExecutionEnvironment } from "./execution-environment.ts";
import type { Transformation } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import { StreamFilter, StreamFlatMap, StreamMap } from "../../runtime/operators/stream/simple-operators.ts";
import {
  AggregateOperator as AggregateDriver,
  AllReduceOperator,
  type AggregationSpec,
  DistinctOperator,
  FirstNOperator,
  GroupCombineOperator,
  GroupReduceOperator,
  MapPartitionOperator,
  MinMaxByOperator,
  type SortSettings,
} from "../../runtime/operators/batch/index.ts";
import type { FilterFunction, FlatMapFunction, GroupCombineFunction, GroupReduceFunction, MapFunction, MapPartitionFunction, ReduceFunction } from "../functions.ts";
import { resolveKey, type FieldRef, type KeySpec } from "../keys.ts";
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { WriteMode } from "../../connectors/file-sinks.ts";
import { buildPlan, type BuiltPlan, type PlanSpec } from "./batch-plan.ts";
import { userFunction } from "./user-function.ts";
import { aggregationField, aggregationText, callText, comparedFields } from "./field-checks.ts";
import { Aggregations } from "./aggregations.ts";
import { UnsortedGrouping } from "./unsorted-grouping.ts";
import type { OutputFormat } from "./output-format.ts";
import type { DataSink } from "./data-sink.ts";
import * as sinks from "./data-set-sinks.ts";
import { CrossHint, JoinHint } from "../../graph/optimizer/plan-info.ts";
import { JoinOperatorSets, type JoinFunctionAssigner } from "./join-operators.ts";
import { CoGroupOperatorSets, crossOf, type CrossOperatorResult } from "./cogroup-cross.ts";
import { addBroadcastSet } from "./broadcast-sets.ts";
import { partitionByRange } from "./range-partition.ts";
import { sortPartition } from "./sort-partition.ts";
import type { Order } from "./order.ts";
import { declareForwardedFields, registerKeySelector } from "./key-identity.ts";

export class DataSet<T> {
  constructor(
    readonly environment: ExecutionEnvironment,
    readonly transformation: Transformation,
    /** The local (pre-shuffle) operator of this data set's plan, renamed with it. */
    protected readonly local?: Transformation,
    /** The operator always runs with parallelism 1 (non-grouped reduce, first(n)). */
    protected readonly singleton = false,
  ) {}

  getExecutionEnvironment(): ExecutionEnvironment {
    return this.environment;
  }

  /** The element type; GENERIC when none was given or derived. */
  getType(): TypeInformation<T> {
    return (this.transformation.outputType ?? Types.GENERIC) as TypeInformation<T>;
  }

  /** The declared type, or undefined when records are only known at run time. */
  protected knownType(): TypeInformation | undefined {
    return this.transformation.outputType;
  }

  // ---- operator settings ----

  name(name: string): this {
    this.transformation.name = name;
    if (this.local) this.local.name = `Combine (${name})`;
    return this;
  }

  getName(): string {
    return this.transformation.name;
  }

  setParallelism(parallelism: number): this {
    const t = this.transformation;
    checkArgument(Number.isInteger(parallelism) && parallelism > 0, `${t.name}: parallelism must be a positive integer, got ${parallelism}`);
    if (this.singleton && parallelism !== 1) throw new InvalidProgramError(`${t.name}: this operator gathers all its input in one subtask and runs with parallelism 1, not ${parallelism}`);
    if (!t.isPhysical) throw new InvalidProgramError(`${t.name}: a ${t.kind} has no parallelism of its own; set it on the operator before or after it`);
    const limit = t.props.maxParallelism;
    if (limit !== undefined && parallelism > limit) throw new InvalidProgramError(`${t.name}: parallelism ${parallelism} is not supported; this source is non-parallel (at most ${limit})`);
    t.parallelism = parallelism;
    t.parallelismSetByUser = true;
    return this;
  }

  /** The parallelism set on this operator, or -1 when it takes the environment's default. */
  getParallelism(): number {
    return this.transformation.parallelism;
  }

  returns(type: TypeInformation<T>): this {
    this.transformation.outputType = type;
    return this;
  }

  // ---- record-at-a-time transformations ----

  map<O>(mapper: MapFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(v: T) => O>(mapper, "map", "Map");
    return this.oneInput("Map", "map", type, () => new StreamMap(f.call, f.lifecycle));
  }

  flatMap<O>(flatMapper: FlatMapFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(v: T, out: any) => void>(flatMapper, "flatMap", "FlatMap");
    return this.oneInput("FlatMap", "flatMap", type, () => new StreamFlatMap(f.call, f.lifecycle));
  }

  filter(filter: FilterFunction<T>): DataSet<T> {
    const f = userFunction<(v: T) => boolean>(filter, "filter", "Filter");
    return this.oneInput("Filter", "filter", this.knownType(), () => new StreamFilter(f.call, f.lifecycle));
  }

  /** Calls the function once per parallel subtask with all the records of that subtask. */
  mapPartition<O>(mapPartition: MapPartitionFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: Iterable<T>, out: any) => void>(mapPartition, "mapPartition", "MapPartition");
    return this.oneInput("MapPartition", "mapPartition", type, () => new MapPartitionOperator(f.call, f.lifecycle));
  }

  // ---- whole-data-set transformations ----

  /** Folds all records into one: a combiner per subtask, then the final reduce in one subtask. */
  reduce(reducer: ReduceFunction<T>): DataSet<T> {
    const f = userFunction<(a: T, b: T) => T>(reducer, "reduce", "Reduce");
    const c = f.forCombiner();
    return this.plan({
      name: "Reduce",
      kind: "reduce",
      type: this.knownType(),
      local: { name: "Combine (Reduce)", kind: "reduce-combine", create: () => new AllReduceOperator(c.call, true, c.lifecycle) },
      shuffle: { kind: "global" },
      final: () => new AllReduceOperator(f.call, false, f.lifecycle),
    });
  }

  /** Calls the function once with every record of the data set (in one subtask); not at all when it is empty. */
  reduceGroup<O>(reducer: GroupReduceFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(reducer, "reduce", "GroupReduce");
    const settings = { inputType: this.knownType() };
    return this.plan({ name: "GroupReduce", kind: "group-reduce", type, shuffle: { kind: "global" }, managedMemory: true, final: () => new GroupReduceOperator(null, f.call, undefined, f.lifecycle, settings) });
  }

  /** Calls the function on each subtask's records, possibly several times on parts of them (no shuffle). */
  combineGroup<O>(combiner: GroupCombineFunction<T, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = userFunction<(vs: T[], out: any) => void>(combiner, "combine", "GroupCombine");
    const settings = { inputType: this.knownType() };
    return this.plan({ name: "GroupCombine", kind: "group-combine", type, shuffle: { kind: "forward" }, managedMemory: true, final: () => new GroupCombineOperator(null, f.call, undefined, undefined, f.lifecycle, settings) });
  }

  aggregate(agg: Aggregations, field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this, null, agg, field, "aggregate");
  }
  sum(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this, null, Aggregations.SUM, field, "sum");
  }
  min(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this, null, Aggregations.MIN, field, "min");
  }
  max(field: FieldRef): AggregateOperator<T> {
    return aggregatePlan(this, null, Aggregations.MAX, field, "max");
  }

  /** The record with the smallest values of `fields` (compared in order); the first one seen on ties. */
  minBy(...fields: FieldRef[]): DataSet<T> {
    return this.minMaxBy("MIN", fields);
  }
  maxBy(...fields: FieldRef[]): DataSet<T> {
    return this.minMaxBy("MAX", fields);
  }

  private minMaxBy(mode: "MIN" | "MAX", fields: FieldRef[]): DataSet<T> {
    const name = mode === "MIN" ? "MinBy" : "MaxBy";
    const props = comparedFields(fields, this.knownType(), callText(name === "MinBy" ? "minBy" : "maxBy", fields, this.getName()));
    return this.plan({
      name,
      kind: name.toLowerCase(),
      type: this.knownType(),
      local: { name: `Combine (${name})`, kind: `${name.toLowerCase()}-combine`, create: () => new MinMaxByOperator(null, props, mode, true) },
      shuffle: { kind: "global" },
      final: () => new MinMaxByOperator(null, props, mode),
    });
  }

  /** The records with distinct keys (the whole record when no keys are given); the first one seen of each. */
  distinct(keys?: KeySpec<T>): DataSet<T> {
    const resolved = keys === undefined ? undefined : resolveKey(keys, this.knownType(), callText("distinct", [keys], this.getName()));
    const key = resolved === undefined ? (v: T) => v : resolved.selector;
    const settings = { inputType: this.knownType(), keyType: resolved === undefined ? this.knownType() : resolved.type };
    if (keys !== undefined) registerKeySelector(keys, this.knownType(), key);
    return this.plan({
      name: "Distinct",
      kind: "distinct",
      type: this.knownType(),
      local: { name: "Combine (Distinct)", kind: "distinct-combine", create: () => new DistinctOperator(key, true, settings), managedMemory: true },
      shuffle: { kind: "hash", key },
      managedMemory: true,
      final: () => new DistinctOperator(key, false, settings),
    });
  }

  /** Any n records of the data set (the first ones each subtask sees). */
  first(n: number): DataSet<T> {
    checkArgument(Number.isInteger(n) && n >= 1, `first(${n}) on '${this.getName()}': n must be a positive integer`);
    return this.plan({
      name: `First(${n})`,
      kind: "first",
      type: this.knownType(),
      local: { name: `Combine (First(${n}))`, kind: "first-combine", create: () => new FirstNOperator<T>(n, null) },
      shuffle: { kind: "global" },
      final: () => new FirstNOperator<T>(n, null),
    });
  }

  groupBy(keys: KeySpec<T>): UnsortedGrouping<T> {
    const resolved = resolveKey(keys, this.knownType(), callText("groupBy", [keys], this.getName()));
    registerKeySelector(keys, this.knownType(), resolved.selector);
    return new UnsortedGrouping<T>(this, resolved.selector, resolved.fields);
  }

  union(...others: DataSet<T>[]): DataSet<T> {
    checkArgument(others.length > 0, `union on '${this.getName()}': give at least one other data set`);
    const a = this.getType().toString();
    for (const o of others) {
      if (o.environment !== this.environment) throw new InvalidProgramError(`union on '${this.getName()}': both data sets must belong to the same ExecutionEnvironment`);
      const b = o.getType().toString();
      if (a !== b && a !== "GENERIC" && b !== "GENERIC") throw new InvalidProgramError(`union on '${this.getName()}': cannot union a data set of ${a} with one of ${b}`);
    }
    const t = this.environment.addTransformation("union", [this.transformation, ...others.map((o) => o.transformation)], { name: "Union", outputType: this.knownType() });
    return new DataSet<T>(this.environment, t);
  }

  // ---- partitioning ----

  partitionByHash(keys: KeySpec<T>): DataSet<T> {
    const key = resolveKey(keys, this.knownType(), callText("partitionByHash", [keys], this.getName())).selector;
    registerKeySelector(keys, this.knownType(), key);
    const t = this.environment.addTransformation("partition", [this.transformation], { name: "Partition (hash)", partitioner: "hash", partitionKeySelector: key as (v: unknown) => unknown, outputType: this.knownType() });
    return new DataSet<T>(this.environment, t);
  }

  /** Sends each record to the subtask owning its key's range; ranges follow the keys' ascending order, cut from a sample. */
  partitionByRange(keys: KeySpec<T>): DataSet<T> {
    return partitionByRange(this, keys);
  }

  /**
   * Sorts each parallel partition by `field` in managed memory (spilling when it does not fit),
   * without a shuffle; calling sortPartition on the result adds a field to the same sort.
   */
  sortPartition(field: KeySpec<T>, order: Order): DataSet<T> {
    return sortPartition(this, field, order);
  }

  rebalance(): DataSet<T> {
    const t = this.environment.addTransformation("partition", [this.transformation], { name: "Rebalance", partitioner: "rebalance", outputType: this.knownType() });
    return new DataSet<T>(this.environment, t);
  }

  // ---- binary operators ----

  /** Joins with `other` on keys named next: `.where(k1).equalTo(k2)`, then optionally `.with(fn)`. */
  join<R>(other: DataSet<R>, hint: JoinHint = JoinHint.OPTIMIZER_CHOOSES): JoinOperatorSets<T, R> {
    return new JoinOperatorSets<T, R>(this, other, hint);
  }
  /** A join that broadcasts `other` (JoinHint.BROADCAST_HASH_SECOND). */
  joinWithTiny<R>(other: DataSet<R>): JoinOperatorSets<T, R> {
    return new JoinOperatorSets<T, R>(this, other, JoinHint.BROADCAST_HASH_SECOND);
  }
  /** A join that broadcasts this data set (JoinHint.BROADCAST_HASH_FIRST). */
  joinWithHuge<R>(other: DataSet<R>): JoinOperatorSets<T, R> {
    return new JoinOperatorSets<T, R>(this, other, JoinHint.BROADCAST_HASH_FIRST);
  }
  /** Every record of this data set, joined with its matches in `other` or with null; needs `.with(fn)`. */
  leftOuterJoin<R>(other: DataSet<R>, hint: JoinHint = JoinHint.OPTIMIZER_CHOOSES): JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>> {
    return new JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>>(this, other, hint, "left");
  }
  rightOuterJoin<R>(other: DataSet<R>, hint: JoinHint = JoinHint.OPTIMIZER_CHOOSES): JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>> {
    return new JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>>(this, other, hint, "right");
  }
  fullOuterJoin<R>(other: DataSet<R>, hint: JoinHint = JoinHint.OPTIMIZER_CHOOSES): JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>> {
    return new JoinOperatorSets<T, R, JoinFunctionAssigner<T, R>>(this, other, hint, "full");
  }
  coGroup<R>(other: DataSet<R>): CoGroupOperatorSets<T, R> {
    return new CoGroupOperatorSets<T, R>(this, other);
  }
  /** Every pair of a record of this data set and one of `other`. */
  cross<R>(other: DataSet<R>): CrossOperatorResult<T, R> {
    return crossOf(this, other);
  }
  /** A cross that broadcasts `other` (CrossHint.SECOND_IS_SMALL). */
  crossWithTiny<R>(other: DataSet<R>): CrossOperatorResult<T, R> {
    return crossOf(this, other, CrossHint.SECOND_IS_SMALL);
  }
  /** A cross that broadcasts this data set (CrossHint.FIRST_IS_SMALL). */
  crossWithHuge<R>(other: DataSet<R>): CrossOperatorResult<T, R> {
    return crossOf(this, other, CrossHint.FIRST_IS_SMALL);
  }

  // ---- semantic properties and broadcast sets ----

  /**
   * Makes every record of `set` available to this operator's function as
   * `getRuntimeContext().getBroadcastVariable(name)`, complete before the function opens.
   */
  withBroadcastSet(set: DataSet<any>, name: string): this {
    addBroadcastSet(this.environment, this.transformation, this.local, set, name);
    return this;
  }

  /**
   * Declares fields this operator's function copies unchanged from input to output, so the
   * optimizer may keep the input's partitioning on them (Flink's forwarded fields): `"0"`,
   * `"0;2"`, `"1->0"`, `"f0->f1"`, or row field names.
   */
  withForwardedFields(...fields: string[]): this {
    declareForwardedFields(this.transformation, fields, this.getName());
    return this;
  }

  // ---- sinks ----

  /** Executes the program, collects this data set to the client and prints one line per record on its stdout. */
  print(): Promise<void> {
    return sinks.printOnClient(this, "stdout");
  }
  printToErr(): Promise<void> {
    return sinks.printOnClient(this, "stderr");
  }
  /** Executes the program and returns the records of this data set. */
  collect(): Promise<T[]> {
    return sinks.collect(this);
  }
  /** Executes the program and returns the number of records of this data set. */
  count(): Promise<number> {
    return sinks.count(this);
  }
  writeAsText(path: string, writeMode: WriteMode = "NO_OVERWRITE"): DataSink<T> {
    return sinks.writeAsText(this, path, writeMode);
  }
  writeAsCsv(path: string, rowDelimiter = "\n", fieldDelimiter = ",", writeMode: WriteMode = "NO_OVERWRITE"): DataSink<T> {
    return sinks.writeAsCsv(this, path, rowDelimiter, fieldDelimiter, writeMode);
  }
  output(outputFormat: OutputFormat<T>): DataSink<T> {
    return sinks.output(this, outputFormat);
  }

  // ---- plumbing shared with groupings ----

  /** Adds one operator fed by this data set's partitions as they are. */
  protected oneInput<O>(name: string, kind: string, type: TypeInformation | undefined, create: () => AnyOperator): DataSet<O> {
    const t = this.environment.addTransformation("one-input", [this.transformation], { name, operatorKind: kind, outputType: type, createOperator: create });
    return new DataSet<O>(this.environment, t);
  }

  /** Builds a local -> shuffle -> final plan on this data set and wraps its result. */
  plan<O>(spec: PlanSpec): DataSet<O> {
    return wrapPlan<O>(this.environment, buildPlan(this.environment, this.transformation, spec));
  }
}

export function wrapPlan<O>(env: ExecutionEnvironment, built: BuiltPlan): DataSet<O> {
  return new DataSet<O>(env, built.final, built.local, built.singleton);
}

/**
 * What aggregate() returns: the aggregated data set, to which and() adds further aggregations
 * (Flink's AggregateOperator). The plan is a combiner chained to the input, then the final
 * aggregation after a hash shuffle by the grouping key (or in one subtask, without a grouping).
 */
export class AggregateOperator<T> extends DataSet<T> {
  constructor(
    environment: ExecutionEnvironment,
    built: BuiltPlan,
    private readonly input: DataSet<T>,
    private readonly specs: AggregationSpec[],
  ) {
    super(environment, built.final, built.local, built.singleton);
  }

  and(agg: Aggregations, field: FieldRef): AggregateOperator<T> {
    const what = aggregationText("and", agg, field, this.getName());
    this.specs.push({ agg, field: aggregationField(agg, field, this.input.transformation.outputType, what) });
    return this;
  }
  andSum(field: FieldRef): AggregateOperator<T> {
    return this.and(Aggregations.SUM, field);
  }
  andMin(field: FieldRef): AggregateOperator<T> {
    return this.and(Aggregations.MIN, field);
  }
  andMax(field: FieldRef): AggregateOperator<T> {
    return this.and(Aggregations.MAX, field);
  }
}

/** aggregate(agg, field) on a data set (key null) or a grouping. */
export function aggregatePlan<T>(input: DataSet<T>, key: ((v: T) => unknown) | null, agg: Aggregations, field: FieldRef, method: string, grouping: SortSettings = {}): AggregateOperator<T> {
  const type = input.transformation.outputType;
  const what = aggregationText(method, agg, field, input.getName());
  const specs: AggregationSpec[] = [{ agg, field: aggregationField(agg, field, type, what) }];
  const env = input.environment;
  const settings: SortSettings = { inputType: type, keyType: grouping.keyType, keyField: grouping.keyField };
  const built = buildPlan(env, input.transformation, {
    name: "Aggregate",
    kind: "aggregate",
    type,
    local: { name: "Combine (Aggregate)", kind: "aggregate-combine", create: () => new AggregateDriver(key, specs, true, settings), managedMemory: key !== null },
    shuffle: key === null ? { kind: "global" } : { kind: "hash", key },
    managedMemory: key !== null,
    final: () => new AggregateDriver(key, specs, false, settings),
  });
  return new AggregateOperator<T>(env, built, input, specs);
}
