/**
 * Tumbling and sliding windows of fixed size, in event time and processing time. Windows are
 * aligned to the epoch plus `offset`: start = ts − ((ts − offset) mod size), for negative
 * timestamps too.
 */
import { checkArgument } from "../../../core/errors.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { toMillis, type Duration } from "./duration.ts";
import type { Trigger } from "./trigger.ts";
import { EventTimeTrigger, ProcessingTimeTrigger } from "./triggers.ts";
import { missingTimestamp, WindowAssigner, type WindowAssignerContext } from "./window-assigner.ts";
import { TimeWindow } from "./windows.ts";

/**
 * Tumbling windows: each timestamp falls into exactly one window of `size`.
 * The one-window array and the last window are reused while elements stay in that window.
 */
abstract class TumblingWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly assigned: TimeWindow[] = [new TimeWindow(0, 0)];

  protected constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    super();
  }

  protected windowFor(timestamp: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    const assigned = this.assigned;
    if (assigned[0]!.start !== start || assigned[0]!.end !== start + this.size) assigned[0] = new TimeWindow(start, start + this.size);
    return assigned;
  }

  getSize(): number {
    return this.size;
  }

  override toString(): string {
    return `${this.constructor.name}(${this.size}${this.offset === 0 ? "" : `, ${this.offset}`})`;
  }
}

function tumblingArgs(kind: string, size: Duration, offset: Duration): [number, number] {
  const s = toMillis(size, `${kind}.of: the size`);
  const o = toMillis(offset, `${kind}.of: the offset`);
  checkArgument(s > 0 && Math.abs(o) < s, `${kind} parameters must satisfy abs(offset) < size and size > 0, got size ${s} and offset ${o}`);
  return [s, o];
}

/** Tumbling windows by the elements' event timestamps. */
export class TumblingEventTimeWindows extends TumblingWindows {
  static of(size: Duration, offset: Duration = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(...tumblingArgs("TumblingEventTimeWindows", size, offset));
  }
  assignWindows(_element: unknown, timestamp: number, _context?: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.windowFor(timestamp);
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
}

/** Tumbling windows by the operator's processing-time clock when the element arrives. */
export class TumblingProcessingTimeWindows extends TumblingWindows {
  static of(size: Duration, offset: Duration = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(...tumblingArgs("TumblingProcessingTimeWindows", size, offset));
  }
  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.windowFor(context.getCurrentProcessingTime());
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
}

/**
 * Sliding windows: a window of `size` starts every `slide`, so a timestamp falls into about
 * size / slide windows, listed latest start first (as Flink lists them). The array is reused
 * while elements keep falling into the same windows.
 */
abstract class SlidingWindows extends WindowAssigner<unknown, TimeWindow> {
  private assigned: TimeWindow[] = [];
  private assignedLastStart = NaN;

  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {
    super();
  }

  protected windowsFor(timestamp: number): readonly TimeWindow[] {
    const { size, slide } = this;
    const lastStart = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, slide);
    let count = 0;
    for (let start = lastStart; start > timestamp - size; start -= slide) count++;
    if (lastStart === this.assignedLastStart && count === this.assigned.length) return this.assigned;
    const windows: TimeWindow[] = new Array(count);
    for (let i = 0, start = lastStart; i < count; i++, start -= slide) windows[i] = new TimeWindow(start, start + size);
    this.assigned = windows;
    this.assignedLastStart = lastStart;
    return windows;
  }

  getSize(): number {
    return this.size;
  }

  getSlide(): number {
    return this.slide;
  }

  override toString(): string {
    return `${this.constructor.name}(${this.size}, ${this.slide}${this.offset === 0 ? "" : `, ${this.offset}`})`;
  }
}

function slidingArgs(kind: string, size: Duration, slide: Duration, offset: Duration): [number, number, number] {
  const s = toMillis(size, `${kind}.of: the size`);
  const sl = toMillis(slide, `${kind}.of: the slide`);
  const o = toMillis(offset, `${kind}.of: the offset`);
  checkArgument(s > 0 && sl > 0 && Math.abs(o) < sl, `${kind} parameters must satisfy abs(offset) < slide and size > 0, got size ${s}, slide ${sl} and offset ${o}`);
  return [s, sl, o];
}

/** Sliding windows by the elements' event timestamps. */
export class SlidingEventTimeWindows extends SlidingWindows {
  static of(size: Duration, slide: Duration, offset: Duration = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(...slidingArgs("SlidingEventTimeWindows", size, slide, offset));
  }
  assignWindows(_element: unknown, timestamp: number, _context?: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.windowsFor(timestamp);
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
  isEventTime(): boolean {
    return true;
  }
}

/** Sliding windows by the operator's processing-time clock when the element arrives. */
export class SlidingProcessingTimeWindows extends SlidingWindows {
  static of(size: Duration, slide: Duration, offset: Duration = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(...slidingArgs("SlidingProcessingTimeWindows", size, slide, offset));
  }
  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.windowsFor(context.getCurrentProcessingTime());
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return false;
  }
}
