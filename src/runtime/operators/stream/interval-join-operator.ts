/**
 * Flink's IntervalJoinOperator: joins each element of the left stream with the right elements of
 * the same key whose timestamps lie in [left + lower, left + upper], in event time.
 */
import { InternalError, UserError } from "../../../core/errors.ts";
import { MIN_WATERMARK, NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { KeyedStateBackend } from "../../state/keyed-state-backend.ts";
import type { MapState } from "../../state/state-types.ts";
import type { OperatorContext } from "../operator-context.ts";
import type { Output, TwoInputStreamOperator } from "../stream-operator.ts";
import type { InternalTimer, InternalTimerService, Triggerable } from "../timers/internal-timer-service.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";

/** The user's ProcessJoinFunction as the operator calls it. */
export interface ProcessJoinFunctionLike extends FunctionLifecycle {
  processElement(left: unknown, right: unknown, ctx: IntervalJoinContext, out: TimestampedCollector<unknown>): void;
}

export interface IntervalJoinOptions {
  /** Both bounds inclusive, in ms relative to the left element; lower <= upper. */
  lowerBound: number;
  upperBound: number;
  /** Side outputs for elements behind the watermark; undefined drops them. */
  leftLateTag?: string;
  rightLateTag?: string;
  fn: ProcessJoinFunctionLike;
}

/** What ProcessJoinFunction.processElement sees besides the pair; one instance reused per call. */
export class IntervalJoinContext {
  leftTimestamp = NO_TIMESTAMP;
  rightTimestamp = NO_TIMESTAMP;
  constructor(private readonly out: Output) {}
  getLeftTimestamp(): number {
    return this.leftTimestamp;
  }
  getRightTimestamp(): number {
    return this.rightTimestamp;
  }
  /** The timestamp of the joined pair: the larger of the two. */
  getTimestamp(): number {
    return Math.max(this.leftTimestamp, this.rightTimestamp);
  }
  output(tag: string | { id: string }, value: unknown): void {
    this.out.collectSide(typeof tag === "string" ? tag : tag.id, value, this.getTimestamp());
  }
}

const LEFT = "left";
const RIGHT = "right";
const LEFT_BUFFER = { name: "interval-join-left-buffer", kind: "map" as const };
const RIGHT_BUFFER = { name: "interval-join-right-buffer", kind: "map" as const };
const CLEANUP_TIMERS = "interval-join-cleanup";

/**
 * State: per key, a MapState per side from timestamp to the elements with that timestamp. Each
 * element registers an event-time cleanup timer (namespace = its side) for when no element of
 * the other side can join it any more; the timer removes its timestamp's bucket.
 *
 * An element behind the watermark is late: it joins nothing and goes to the side's late output.
 * Results carry max(left timestamp, right timestamp).
 *
 * Lifecycle: open() gets state and the timer service and opens the function; close() closes it.
 */
export class IntervalJoinOperator implements TwoInputStreamOperator, Triggerable {
  readonly twoInput = true as const;
  private output!: Output;
  private context!: OperatorContext;
  private backend!: KeyedStateBackend;
  private timers!: InternalTimerService;
  private leftBuffer!: MapState<number, unknown[]>;
  private rightBuffer!: MapState<number, unknown[]>;
  private collector!: TimestampedCollector<unknown>;
  private joinContext!: IntervalJoinContext;
  private readonly lower: number;
  private readonly upper: number;

  constructor(private readonly options: IntervalJoinOptions) {
    this.lower = options.lowerBound;
    this.upper = options.upperBound;
  }

  setup(context: OperatorContext, output: Output): void {
    this.context = context;
    this.output = output;
  }

  open(): void | Promise<void> {
    const keyed = this.context.keyed;
    if (keyed === undefined) throw new InternalError("an interval join runs only on keyed streams");
    this.backend = keyed.backend;
    this.timers = keyed.timeServiceManager.getInternalTimerService(CLEANUP_TIMERS, this);
    this.leftBuffer = this.backend.getPartitionedState(LEFT_BUFFER);
    this.rightBuffer = this.backend.getPartitionedState(RIGHT_BUFFER);
    this.collector = new TimestampedCollector(this.output);
    this.joinContext = new IntervalJoinContext(this.output);
    return openFunction(this.options.fn, this.context);
  }

  processElement1(value: unknown, timestamp: number): void {
    if (this.admit(value, timestamp, this.options.leftLateTag)) return;
    this.backend.setCurrentNamespace(null);
    addToBuffer(this.leftBuffer, value, timestamp);
    for (const [ts, bucket] of this.rightBuffer.entries()) {
      if (ts < timestamp + this.lower || ts > timestamp + this.upper) continue;
      for (const right of bucket) this.collect(value, right, timestamp, ts);
    }
    this.timers.registerEventTimeTimer(this.upper > 0 ? timestamp + this.upper : timestamp, LEFT);
  }

  processElement2(value: unknown, timestamp: number): void {
    if (this.admit(value, timestamp, this.options.rightLateTag)) return;
    this.backend.setCurrentNamespace(null);
    addToBuffer(this.rightBuffer, value, timestamp);
    for (const [ts, bucket] of this.leftBuffer.entries()) {
      if (ts < timestamp - this.upper || ts > timestamp - this.lower) continue;
      for (const left of bucket) this.collect(left, value, ts, timestamp);
    }
    this.timers.registerEventTimeTimer(this.lower < 0 ? timestamp - this.lower : timestamp, RIGHT);
  }

  /** True if the element is late (and was sent to the late output); throws without a timestamp. */
  private admit(value: unknown, timestamp: number, lateTag: string | undefined): boolean {
    if (timestamp === NO_TIMESTAMP) {
      throw new UserError(`${this.context.operatorName}: elements of an interval join need timestamps; assign them with assignTimestampsAndWatermarks(...) first`);
    }
    const watermark = this.timers.currentWatermark();
    if (watermark === MIN_WATERMARK || timestamp >= watermark) return false;
    if (lateTag !== undefined) this.output.collectSide(lateTag, value, timestamp);
    return true;
  }

  private collect(left: unknown, right: unknown, leftTimestamp: number, rightTimestamp: number): void {
    const ctx = this.joinContext;
    ctx.leftTimestamp = leftTimestamp;
    ctx.rightTimestamp = rightTimestamp;
    this.collector.timestamp = Math.max(leftTimestamp, rightTimestamp);
    this.options.fn.processElement(left, right, ctx, this.collector);
  }

  onEventTime(timer: InternalTimer): void {
    this.backend.setCurrentNamespace(null);
    if (timer.namespace === LEFT) this.leftBuffer.remove(this.upper > 0 ? timer.timestamp - this.upper : timer.timestamp);
    else this.rightBuffer.remove(this.lower < 0 ? timer.timestamp + this.lower : timer.timestamp);
  }

  onProcessingTime(): void {}

  processWatermark(timestamp: number): void {
    this.context.keyed!.timeServiceManager.advanceWatermark(timestamp);
    this.output.emitWatermark(timestamp);
  }

  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus?.(idle);
  }

  endInput(): void {}

  close(): void | Promise<void> {
    return closeFunction(this.options.fn);
  }

  describe(): string {
    return `IntervalJoin [${this.lower}, ${this.upper}]`;
  }
}

function addToBuffer(buffer: MapState<number, unknown[]>, value: unknown, timestamp: number): void {
  const bucket = buffer.get(timestamp);
  if (bucket === undefined) buffer.put(timestamp, [value]);
  else {
    bucket.push(value);
    buffer.put(timestamp, bucket);
  }
}
