/**
 * Interval joins, as Flink's KeyedStream.intervalJoin: `a.keyBy(k).intervalJoin(b.keyBy(k))
 * .between(lower, upper).process(fn)` pairs each a with the b's of its key whose timestamps lie
 * in [a.ts + lower, a.ts + upper], in event time.
 */
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import { IntervalJoinOperator, type ProcessJoinFunctionLike } from "../../runtime/operators/stream/interval-join-operator.ts";
import { toMillis, type Duration } from "../../runtime/operators/window/duration.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { AbstractRichFunction, describeValue, type Collector } from "../functions.ts";
import type { OutputTag } from "../output-tag.ts";
import { SingleOutputStreamOperator } from "./data-stream.ts";
import type { KeyedStream } from "./keyed-stream.ts";

/** What a ProcessJoinFunction sees besides the pair. */
export interface ProcessJoinFunctionContext {
  getLeftTimestamp(): number;
  getRightTimestamp(): number;
  /** The pair's timestamp: the larger of the two, which results carry. */
  getTimestamp(): number;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** Called once per joined pair. */
export abstract class ProcessJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract processElement(left: IN1, right: IN2, ctx: ProcessJoinFunctionContext, out: Collector<OUT>): void;
}

export type ProcessJoinFunctionArg<IN1, IN2, OUT> =
  | ProcessJoinFunction<IN1, IN2, OUT>
  | { processElement(left: IN1, right: IN2, ctx: ProcessJoinFunctionContext, out: Collector<OUT>): void }
  | ((left: IN1, right: IN2, ctx: ProcessJoinFunctionContext, out: Collector<OUT>) => void);

/** The two keyed streams of an interval join, before the bounds are given. */
export class IntervalJoin<T1, T2, K = unknown> {
  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
  ) {}

  /** Interval joins run in event time (the only time they support, as in Flink). */
  inEventTime(): this {
    return this;
  }

  inProcessingTime(): never {
    throw new InvalidProgramError("Time-bounded stream joins are only supported in event time");
  }

  /** Right elements join a left element at time t when their time is in [t + lowerBound, t + upperBound]. */
  between(lowerBound: Duration, upperBound: Duration): IntervalJoined<T1, T2, K> {
    const lower = toMillis(lowerBound, "intervalJoin.between: the lower bound");
    const upper = toMillis(upperBound, "intervalJoin.between: the upper bound");
    checkArgument(lower <= upper, `intervalJoin.between: the lower bound (${lower}) must not be greater than the upper bound (${upper})`);
    return new IntervalJoined(this.left, this.right, lower, upper);
  }
}

/** An interval join with its bounds: optionally exclusive bounds and late-data outputs, then process(). */
export class IntervalJoined<T1, T2, K = unknown> {
  private lowerInclusive = true;
  private upperInclusive = true;
  private leftLateTag: OutputTag<T1> | undefined;
  private rightLateTag: OutputTag<T2> | undefined;

  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
    private readonly lowerBound: number,
    private readonly upperBound: number,
  ) {}

  lowerBoundExclusive(): this {
    this.lowerInclusive = false;
    return this;
  }

  upperBoundExclusive(): this {
    this.upperInclusive = false;
    return this;
  }

  /** Left elements behind the watermark go here instead of being dropped. */
  sideOutputLeftLateData(tag: OutputTag<T1>): this {
    this.leftLateTag = tag;
    return this;
  }

  /** Right elements behind the watermark go here instead of being dropped. */
  sideOutputRightLateData(tag: OutputTag<T2>): this {
    this.rightLateTag = tag;
    return this;
  }

  process<OUT>(fn: ProcessJoinFunctionArg<T1, T2, OUT>, type?: TypeInformation<OUT>): SingleOutputStreamOperator<OUT> {
    const joinFn = processJoinFunction(fn);
    const options = {
      lowerBound: this.lowerInclusive ? this.lowerBound : this.lowerBound + 1,
      upperBound: this.upperInclusive ? this.upperBound : this.upperBound - 1,
      leftLateTag: this.leftLateTag?.id,
      rightLateTag: this.rightLateTag?.id,
      fn: joinFn,
    };
    checkArgument(options.lowerBound <= options.upperBound, `intervalJoin: the bounds [${this.lowerBound}, ${this.upperBound}] with exclusive ends leave no interval`);
    const env = this.left.getExecutionEnvironment();
    const t = env.addTransformation("two-input", [this.left.transformation, this.right.transformation], {
      name: "Interval Join",
      operatorKind: "interval-join",
      outputType: type,
      createOperator: () => new IntervalJoinOperator(options),
      keySelector: this.left.keySelector as (v: unknown) => unknown,
      keySelector2: this.right.keySelector as (v: unknown) => unknown,
    });
    return new SingleOutputStreamOperator<OUT>(env, t);
  }
}

/** The user's function as the operator calls it, keeping a rich function's lifecycle. */
function processJoinFunction(fn: unknown): ProcessJoinFunctionLike {
  if (typeof fn === "function") return { processElement: fn as ProcessJoinFunctionLike["processElement"] };
  if (fn !== null && typeof fn === "object" && typeof (fn as ProcessJoinFunctionLike).processElement === "function") return fn as ProcessJoinFunctionLike;
  throw new InvalidProgramError(`intervalJoin.process: expected a ProcessJoinFunction (processElement(left, right, ctx, out)), got ${describeValue(fn)}`);
}
