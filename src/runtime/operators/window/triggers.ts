/** The built-in triggers, with Flink's exact behaviour: event time, processing time, count, purging, continuous, never. */
import { checkArgument } from "../../../core/errors.ts";
import type { ReducingState } from "../../state/state-types.ts";
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from "./trigger.ts";
import type { Window } from "./windows.ts";
import { toMillis, type Duration } from "./duration.ts";

/** Fires once the watermark passes the window's end; at once for an element of a window already passed (allowed lateness). */
export class EventTimeTrigger extends Trigger<unknown, Window> {
  private static readonly INSTANCE = new EventTimeTrigger();
  private constructor() {
    super();
  }
  static create(): EventTimeTrigger {
    return EventTimeTrigger.INSTANCE;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = window.maxTimestamp();
    if (maxTimestamp <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, window: Window, _ctx?: TriggerContext): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(_time?: number, _window?: Window, _ctx?: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  override canMerge(): boolean {
    return true;
  }
  override onMerge(window: Window, ctx: OnMergeContext): void {
    // Only while the watermark has not passed the merged window: otherwise the timer would fire at once.
    const maxTimestamp = window.maxTimestamp();
    if (maxTimestamp > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(maxTimestamp);
  }
  override clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  override toString(): string {
    return "EventTimeTrigger()";
  }
}

/** Fires when the processing-time clock passes the window's end. */
export class ProcessingTimeTrigger extends Trigger<unknown, Window> {
  private static readonly INSTANCE = new ProcessingTimeTrigger();
  private constructor() {
    super();
  }
  static create(): ProcessingTimeTrigger {
    return ProcessingTimeTrigger.INSTANCE;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.FIRE;
  }
  override canMerge(): boolean {
    return true;
  }
  override onMerge(window: Window, ctx: OnMergeContext): void {
    const maxTimestamp = window.maxTimestamp();
    if (maxTimestamp > ctx.getCurrentProcessingTime()) ctx.registerProcessingTimeTimer(maxTimestamp);
  }
  override clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
  override toString(): string {
    return "ProcessingTimeTrigger()";
  }
}

const sum = (a: number, b: number) => a + b;
const min = (a: number, b: number) => Math.min(a, b);

/** Fires every `maxCount` elements of a window (the count restarts after each firing). */
export class CountTrigger extends Trigger<unknown, Window> {
  private readonly countState: StateDescriptorLike = { name: "count", kind: "reducing", reduceFunction: sum };
  private constructor(readonly maxCount: number) {
    super();
  }
  static of(maxCount: number): CountTrigger {
    checkArgument(Number.isSafeInteger(maxCount) && maxCount > 0, `CountTrigger.of: the count must be a positive integer, got ${maxCount}`);
    return new CountTrigger(maxCount);
  }

  onElement(_element: unknown, _timestamp: number, _window: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState<ReducingState<number>>(this.countState);
    count.add(1);
    if (count.get()! >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  override canMerge(): boolean {
    return true;
  }
  override onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.countState);
  }
  override clear(_window: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState<ReducingState<number>>(this.countState).clear();
  }
  override toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}

/** Turns every FIRE of the nested trigger into FIRE_AND_PURGE. */
export class PurgingTrigger<T, W extends Window> extends Trigger<T, W> {
  private constructor(readonly nestedTrigger: Trigger<T, W>) {
    super();
  }
  static of<T, W extends Window>(nestedTrigger: Trigger<T, W>): PurgingTrigger<T, W> {
    checkArgument(nestedTrigger !== null && typeof nestedTrigger === "object" && typeof nestedTrigger.onElement === "function", "PurgingTrigger.of needs a trigger to wrap");
    return new PurgingTrigger(nestedTrigger);
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nestedTrigger.onElement(element, timestamp, window, ctx));
  }
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nestedTrigger.onEventTime(time, window, ctx));
  }
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nestedTrigger.onProcessingTime(time, window, ctx));
  }
  override canMerge(): boolean {
    return typeof this.nestedTrigger.canMerge === "function" && this.nestedTrigger.canMerge();
  }
  override onMerge(window: W, ctx: OnMergeContext): void {
    this.nestedTrigger.onMerge(window, ctx);
  }
  override clear(window: W, ctx: TriggerContext): void {
    this.nestedTrigger.clear?.(window, ctx);
  }
  getNestedTrigger(): Trigger<T, W> {
    return this.nestedTrigger;
  }
  override toString(): string {
    return `PurgingTrigger(${this.nestedTrigger.toString()})`;
  }
}

function purging(result: TriggerResult): TriggerResult {
  return result.isFire() ? TriggerResult.FIRE_AND_PURGE : result;
}

/**
 * Fires every `interval` of event time while the window is open (at multiples of the interval,
 * counted from the first element), and when the watermark passes the window's end.
 */
export class ContinuousEventTimeTrigger extends Trigger<unknown, Window> {
  private readonly fireTime: StateDescriptorLike = { name: "fire-time", kind: "reducing", reduceFunction: min };
  private constructor(readonly interval: number) {
    super();
  }
  static of(interval: Duration): ContinuousEventTimeTrigger {
    const ms = toMillis(interval, "ContinuousEventTimeTrigger.of: the interval");
    checkArgument(ms > 0, `ContinuousEventTimeTrigger.of: the interval must be positive, got ${ms}`);
    return new ContinuousEventTimeTrigger(ms);
  }

  onElement(_element: unknown, timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const maxTimestamp = window.maxTimestamp();
    if (maxTimestamp <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTimestamp);
    const fireTimestamp = ctx.getPartitionedState<ReducingState<number>>(this.fireTime);
    // Java's remainder, as Flink computes it (also for negative timestamps).
    if (fireTimestamp.get() === null) this.registerNextFireTimestamp(timestamp - (timestamp % this.interval), window, ctx, fireTimestamp);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    const fireTimestamp = ctx.getPartitionedState<ReducingState<number>>(this.fireTime);
    if (fireTimestamp.get() === time) {
      fireTimestamp.clear();
      this.registerNextFireTimestamp(time, window, ctx, fireTimestamp);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime);
    const next = ctx.getPartitionedState<ReducingState<number>>(this.fireTime).get();
    if (next !== null) ctx.registerEventTimeTimer(next);
  }

  override clear(_window: Window, ctx: TriggerContext): void {
    const fireTimestamp = ctx.getPartitionedState<ReducingState<number>>(this.fireTime);
    const timestamp = fireTimestamp.get();
    if (timestamp !== null) {
      ctx.deleteEventTimeTimer(timestamp);
      fireTimestamp.clear();
    }
  }

  override toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }

  private registerNextFireTimestamp(time: number, window: Window, ctx: TriggerContext, state: ReducingState<number>): void {
    const next = Math.min(time + this.interval, window.maxTimestamp());
    state.add(next);
    ctx.registerEventTimeTimer(next);
  }
}

/** The default trigger of GlobalWindows: never fires. */
export class NeverTrigger extends Trigger<unknown, Window> {
  private static readonly INSTANCE = new NeverTrigger();
  private constructor() {
    super();
  }
  static create(): NeverTrigger {
    return NeverTrigger.INSTANCE;
  }
  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  override canMerge(): boolean {
    return true;
  }
  override onMerge(): void {}
  override toString(): string {
    return "NeverTrigger()";
  }
}
