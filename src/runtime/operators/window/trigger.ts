/**
 * Flink's Trigger contract: when a window's contents are emitted (fired) and when they are
 * dropped (purged), decided per element, per timer and when windows merge.
 */
import { UserError } from "../../../core/errors.ts";
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import type { Window } from "./windows.ts";

/** What a trigger decides: fire (emit the window's contents) and/or purge (drop them). */
export class TriggerResult {
  static readonly CONTINUE = new TriggerResult(false, false, "CONTINUE");
  static readonly FIRE_AND_PURGE = new TriggerResult(true, true, "FIRE_AND_PURGE");
  static readonly FIRE = new TriggerResult(true, false, "FIRE");
  static readonly PURGE = new TriggerResult(false, true, "PURGE");

  private constructor(
    readonly fire: boolean,
    readonly purge: boolean,
    readonly name: string,
  ) {}

  isFire(): boolean {
    return this.fire;
  }

  isPurge(): boolean {
    return this.purge;
  }

  toString(): string {
    return this.name;
  }
}

/**
 * What a trigger may do for the current key and window: read time, set and delete timers
 * (they come back as onEventTime / onProcessingTime for this window), and keep state scoped
 * to the window.
 */
export interface TriggerContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /** Keyed state of the current key in the current window (ValueState, ReducingState, ...). */
  getPartitionedState<S = any>(descriptor: StateDescriptorLike): S;
}

/** The context of onMerge: the trigger state of the merged windows can be folded into the result. */
export interface OnMergeContext extends TriggerContext {
  mergePartitionedState(descriptor: StateDescriptorLike): void;
}

/**
 * Decides when a window fires. One trigger instance serves every key and window of an
 * operator, so it keeps nothing in fields: per-window state goes through
 * ctx.getPartitionedState, which snapshots with the rest of the keyed state.
 *
 * Lifecycle per window: onElement for each element added; onEventTime / onProcessingTime for
 * each of its timers; onMerge when windows merge (only if canMerge()); clear when the window
 * is dropped — delete its timers and state there.
 */
export abstract class Trigger<T = any, W extends Window = any> {
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  abstract onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  abstract onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;

  /** True if this trigger supports merging windows (sessions) through onMerge. */
  canMerge(): boolean {
    return false;
  }

  /** Windows merged into `window`: re-register timers, merge state. */
  onMerge(_window: W, _ctx: OnMergeContext): void {
    throw new UserError(`${this.toString()} does not support merging windows`);
  }

  /** The window is dropped: delete the timers and state this trigger set for it. */
  clear(_window: W, _ctx: TriggerContext): void {}

  toString(): string {
    return this.constructor.name;
  }
}
