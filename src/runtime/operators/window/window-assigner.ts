/** Flink's WindowAssigner: which windows an element belongs to, and the trigger windows get by default. */
import { UserError } from "../../../core/errors.ts";
import type { Trigger } from "./trigger.ts";
import { NeverTrigger } from "./triggers.ts";
import { GlobalWindow, type Window } from "./windows.ts";

/** What an assigner may ask the operator: processing-time assigners read the clock here. */
export interface WindowAssignerContext {
  getCurrentProcessingTime(): number;
}

/**
 * Assigns each element zero or more windows. One instance serves every subtask on a thread, so
 * caches it keeps must depend on nothing but the arguments.
 *
 * The array assignWindows returns may be reused by the next call: callers read it before
 * assigning again and never keep it.
 */
export abstract class WindowAssigner<T = any, W extends Window = Window> {
  abstract assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[];
  abstract getDefaultTrigger(): Trigger<T, W>;
  /** True if windows are in event time (they can be late; cleanup follows the watermark). */
  abstract isEventTime(): boolean;
  /** True for assigners whose windows merge (sessions); they extend MergingWindowAssigner. */
  isMerging(): this is MergingWindowAssigner<T, W> {
    return false;
  }
  toString(): string {
    return this.constructor.name;
  }
}

/** An assigner whose windows merge as elements arrive (session windows). */
export abstract class MergingWindowAssigner<T = any, W extends Window = Window> extends WindowAssigner<T, W> {
  /** Calls `merge(toBeMerged, result)` for each group of `windows` that becomes one window. */
  abstract mergeWindows(windows: readonly W[], merge: (toBeMerged: W[], result: W) => void): void;
  override isMerging(): this is MergingWindowAssigner<T, W> {
    return true;
  }
}

/** Every element of a key in one window that never ends; it fires only with a trigger you give it. */
export class GlobalWindows extends WindowAssigner<unknown, GlobalWindow> {
  private static readonly WINDOWS: readonly GlobalWindow[] = Object.freeze([GlobalWindow.get()]);
  private constructor() {
    super();
  }
  static create(): GlobalWindows {
    return new GlobalWindows();
  }
  assignWindows(_element?: unknown, _timestamp?: number, _context?: WindowAssignerContext): readonly GlobalWindow[] {
    return GlobalWindows.WINDOWS;
  }
  getDefaultTrigger(): NeverTrigger {
    return NeverTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
  override toString(): string {
    return "GlobalWindows()";
  }
}

/** Flink's message for an event-time assigner given a record without a timestamp. */
export function missingTimestamp(assigner: string): UserError {
  return new UserError(
    `${assigner}: record has no timestamp (Long.MIN_VALUE in Flink). Did you forget to call 'DataStream.assignTimestampsAndWatermarks(...)', or do you want a processing-time assigner?`,
  );
}
