/**
 * Session windows: each element opens [ts, ts + gap), and windows that overlap or touch merge,
 * so a session ends after `gap` without elements. The gap is fixed or computed per element.
 */
import { checkArgument, UserError } from "../../../core/errors.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { toMillis, type Duration } from "./duration.ts";
import type { Trigger } from "./trigger.ts";
import { EventTimeTrigger, ProcessingTimeTrigger } from "./triggers.ts";
import { MergingWindowAssigner, missingTimestamp, type WindowAssignerContext } from "./window-assigner.ts";
import { mergeTimeWindows, TimeWindow } from "./windows.ts";

/** Computes the session gap for an element (Flink's SessionWindowTimeGapExtractor). */
export type SessionWindowTimeGapExtractor<T> = ((element: T) => number) | { extract(element: T): number };

abstract class SessionWindows<T> extends MergingWindowAssigner<T, TimeWindow> {
  private readonly assigned: TimeWindow[] = [new TimeWindow(0, 0)];
  private readonly gapOf: ((element: T) => number) | null;

  protected constructor(
    readonly gap: number,
    extractor: SessionWindowTimeGapExtractor<T> | null,
  ) {
    super();
    this.gapOf = extractor === null ? null : typeof extractor === "function" ? extractor : (e: T) => extractor.extract(e);
  }

  protected sessionFor(element: T, timestamp: number): readonly TimeWindow[] {
    const gap = this.gapOf === null ? this.gap : this.gapOf(element);
    if (this.gapOf !== null && !(typeof gap === "number" && gap > 0 && Number.isFinite(gap))) {
      throw new UserError(`${this.toString()}: dynamic session time gap must satisfy 0 < gap, got ${String(gap)}`);
    }
    this.assigned[0] = new TimeWindow(timestamp, timestamp + gap);
    return this.assigned;
  }

  mergeWindows(windows: readonly TimeWindow[], merge: (toBeMerged: TimeWindow[], result: TimeWindow) => void): void {
    mergeTimeWindows(windows, merge);
  }

  getGap(): number {
    return this.gap;
  }

  override toString(): string {
    return `${this.constructor.name}(${this.gapOf === null ? this.gap : "dynamic gap"})`;
  }
}

function gapArg(kind: string, gap: Duration): number {
  const ms = toMillis(gap, `${kind}.withGap: the gap`);
  checkArgument(ms > 0, `${kind} parameters must satisfy 0 < size, got gap ${ms}`);
  return ms;
}

function extractorArg<T>(kind: string, extractor: SessionWindowTimeGapExtractor<T>): SessionWindowTimeGapExtractor<T> {
  checkArgument(typeof extractor === "function" || (extractor !== null && typeof extractor === "object" && typeof extractor.extract === "function"), `${kind}.withDynamicGap needs a function (element) => gap in ms, or an object with extract(element)`);
  return extractor;
}

/** Sessions by the elements' event timestamps. */
export class EventTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  static withGap(gap: Duration): EventTimeSessionWindows {
    return new EventTimeSessionWindows(gapArg("EventTimeSessionWindows", gap), null);
  }
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(0, extractorArg("EventTimeSessionWindows", extractor));
  }
  assignWindows(element: T, timestamp: number, _context?: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.sessionFor(element, timestamp);
  }
  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
}

/** Sessions by the operator's processing-time clock when elements arrive. */
export class ProcessingTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  static withGap(gap: Duration): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(gapArg("ProcessingTimeSessionWindows", gap), null);
  }
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(0, extractorArg("ProcessingTimeSessionWindows", extractor));
  }
  assignWindows(element: T, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.sessionFor(element, context.getCurrentProcessingTime());
  }
  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
}
