/** Flink's InternalTimerService for keyed operators: event- and processing-time timers per (key, namespace, timestamp), per key group. */
import { engineNow } from "../../../core/clock.ts";
import { checkState, UserError } from "../../../core/errors.ts";
import { MIN_WATERMARK } from "../../../core/stream-element.ts";
import type { KeyGroupRangeLike } from "../../state/key-group-range-assignment.ts";
import { TimerQueue, type InternalTimer, type TimerEntry } from "./timer-queue.ts";

export type { InternalTimer, TimerEntry } from "./timer-queue.ts";

/** The operator whose timers fire; the current key is the timer's key during each call. */
export interface Triggerable {
  onEventTime(timer: InternalTimer): void;
  onProcessingTime(timer: InternalTimer): void;
}

/** The keyed operator's current key, as the keyed state backend holds it. */
export interface TimerKeyContext {
  getCurrentKey(): unknown;
  getCurrentKeyGroup(): number;
  setCurrentKeyInGroup(key: unknown, keyGroup: number): void;
}

/** Wall-clock scheduling for processing-time timers; tests pass a fake. */
export interface ProcessingTimeScheduler {
  schedule(delayMs: number, callback: () => void): unknown;
  cancel(handle: unknown): void;
}

export const SYSTEM_SCHEDULER: ProcessingTimeScheduler = {
  schedule: (delayMs, callback) => setTimeout(callback, delayMs),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What tasks give operators as processing time: the engine's clock and real timers. */
export const WALL_CLOCK = { clock: engineNow, scheduler: SYSTEM_SCHEDULER } as const;

/** Plain data: the timers of each key group, as [key, timestamp, namespace, seq] entries (see TimerEntry). */
export interface TimersSnapshot {
  maxParallelism: number;
  keyGroups: { keyGroup: number; eventTime: TimerEntry[]; processingTime: TimerEntry[] }[];
}

export interface InternalTimerServiceOptions {
  keyGroupRange: KeyGroupRangeLike;
  maxParallelism: number;
  keyContext: TimerKeyContext;
  triggerable: Triggerable;
  /** Runs an action on the task's mailbox thread; processing-time timers fire only through it. */
  executeInMailbox: (action: () => void) => void;
  clock?: () => number;
  scheduler?: ProcessingTimeScheduler;
}

/**
 * Threading: every method runs on the task's mailbox thread. The wall-clock callback only
 * enqueues a mail; timers fire from that mail, never from the callback itself.
 * Lifecycle: construct (or restore) when the operator opens; advanceWatermark on each watermark;
 * snapshot() at checkpoints; dispose() when the operator closes, which cancels the wall-clock callback.
 * Invariants: at most one wall-clock callback is pending, scheduled for the earliest
 * processing-time timer; event-time timers at or before the current watermark have fired.
 */
export class InternalTimerService {
  private readonly eventTimeTimers: TimerQueue;
  private readonly processingTimeTimers: TimerQueue;
  private readonly start: number;
  private readonly end: number;
  private readonly keyContext: TimerKeyContext;
  private readonly triggerable: Triggerable;
  private readonly executeInMailbox: (action: () => void) => void;
  private readonly clock: () => number;
  private readonly scheduler: ProcessingTimeScheduler;
  private watermark = MIN_WATERMARK;
  private scheduled: unknown = undefined;
  private scheduledFor = Number.POSITIVE_INFINITY;
  private disposed = false;
  private readonly onWallClock = () => {
    this.scheduled = undefined;
    this.scheduledFor = Number.POSITIVE_INFINITY;
    if (!this.disposed) this.executeInMailbox(this.fireProcessingTimers);
  };
  private readonly fireProcessingTimers = () => this.onProcessingTime(this.clock());

  constructor(readonly maxParallelism: number, options: InternalTimerServiceOptions) {
    const { start, end } = options.keyGroupRange;
    checkState(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end < maxParallelism && end >= start - 1, `key group range [${start}, ${end}] is not within [0, ${maxParallelism - 1}]`);
    this.start = start;
    this.end = end;
    this.eventTimeTimers = new TimerQueue(start, end - start + 1);
    this.processingTimeTimers = new TimerQueue(start, end - start + 1);
    this.keyContext = options.keyContext;
    this.triggerable = options.triggerable;
    this.executeInMailbox = options.executeInMailbox;
    this.clock = options.clock ?? engineNow;
    this.scheduler = options.scheduler ?? SYSTEM_SCHEDULER;
  }

  static create(options: InternalTimerServiceOptions): InternalTimerService {
    return new InternalTimerService(options.maxParallelism, options);
  }

  currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.clock();
  }

  /**
   * Timers for the current key, in `namespace` (e.g. a window; null or undefined is the default
   * namespace). Registering the same key, namespace and timestamp again keeps one timer.
   */
  registerEventTimeTimer(timestamp: number, namespace: unknown = null): void {
    checkTimestamp(timestamp);
    const kc = this.keyContext;
    this.eventTimeTimers.add(kc.getCurrentKey(), kc.getCurrentKeyGroup(), timestamp, namespace);
  }

  registerProcessingTimeTimer(timestamp: number, namespace: unknown = null): void {
    checkTimestamp(timestamp);
    const kc = this.keyContext;
    const queue = this.processingTimeTimers;
    if (queue.add(kc.getCurrentKey(), kc.getCurrentKeyGroup(), timestamp, namespace) && queue.peek()!.timestamp === timestamp) this.reschedule();
  }

  /** Deletes the current key's timer at (namespace, timestamp), if any. */
  deleteEventTimeTimer(timestamp: number, namespace: unknown = null): void {
    const kc = this.keyContext;
    this.eventTimeTimers.delete(kc.getCurrentKey(), kc.getCurrentKeyGroup(), timestamp, namespace);
  }

  deleteProcessingTimeTimer(timestamp: number, namespace: unknown = null): void {
    const kc = this.keyContext;
    // The wall-clock callback may now be early or needless; it reschedules itself when it finds nothing due.
    this.processingTimeTimers.delete(kc.getCurrentKey(), kc.getCurrentKeyGroup(), timestamp, namespace);
  }

  numEventTimeTimers(): number {
    return this.eventTimeTimers.size;
  }

  numProcessingTimeTimers(): number {
    return this.processingTimeTimers.size;
  }

  /** Fires, in timestamp order, every event-time timer at or before `watermark` (timers registered meanwhile included). */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    this.fireUpTo(this.eventTimeTimers, watermark, (t) => this.triggerable.onEventTime(t));
  }

  /** Fires, in timestamp order, every processing-time timer at or before `time`; then waits for the next one. */
  onProcessingTime(time: number): void {
    if (this.disposed) return;
    this.fireUpTo(this.processingTimeTimers, time, (t) => this.triggerable.onProcessingTime(t));
    this.reschedule();
  }

  /** Polls `queue` while its head is due at `time`, making each timer's key current before firing it. */
  private fireUpTo(queue: TimerQueue, time: number, fire: (timer: InternalTimer) => void): void {
    let next = queue.peek();
    while (next !== undefined && next.timestamp <= time) {
      queue.poll();
      this.keyContext.setCurrentKeyInGroup(next.key, next.keyGroup);
      fire(next);
      next = queue.peek();
    }
  }

  snapshot(): TimersSnapshot {
    const keyGroups: TimersSnapshot["keyGroups"] = [];
    for (let kg = this.start; kg <= this.end; kg++) {
      const eventTime = this.eventTimeTimers.timersInKeyGroup(kg);
      const processingTime = this.processingTimeTimers.timersInKeyGroup(kg);
      if (eventTime.length > 0 || processingTime.length > 0) keyGroups.push({ keyGroup: kg, eventTime, processingTime });
    }
    return { maxParallelism: this.maxParallelism, keyGroups };
  }

  /**
   * Builds a service from the snapshots of one or many old subtasks, keeping only the key groups
   * in its range. Timers are re-registered in their old registration order, so timers with equal
   * timestamps fire in the same order as they would have without the restore.
   */
  static restore(snapshots: readonly TimersSnapshot[], options: InternalTimerServiceOptions): InternalTimerService {
    const service = InternalTimerService.create(options);
    const eventTime: [number, TimerEntry][] = [];
    const processingTime: [number, TimerEntry][] = [];
    for (const s of snapshots) {
      if (s.maxParallelism !== service.maxParallelism) {
        throw new UserError(`timer snapshot was taken with max parallelism ${s.maxParallelism}, but the job now has ${service.maxParallelism}; keep the max parallelism when restoring`);
      }
      for (const g of s.keyGroups) {
        if (g.keyGroup < service.start || g.keyGroup > service.end) continue;
        for (const e of g.eventTime) eventTime.push([g.keyGroup, e]);
        for (const e of g.processingTime) processingTime.push([g.keyGroup, e]);
      }
    }
    for (const [queue, entries] of [[service.eventTimeTimers, eventTime], [service.processingTimeTimers, processingTime]] as const) {
      // a stable sort: entries without a registration number keep their snapshot order, last
      entries.sort((a, b) => (a[1][3] ?? Number.MAX_VALUE) - (b[1][3] ?? Number.MAX_VALUE));
      for (const [keyGroup, [key, ts, ns]] of entries) queue.add(key, keyGroup, ts, ns);
    }
    service.reschedule();
    return service;
  }

  dispose(): void {
    this.disposed = true;
    if (this.scheduled !== undefined) this.scheduler.cancel(this.scheduled);
    this.scheduled = undefined;
    this.eventTimeTimers.clear();
    this.processingTimeTimers.clear();
  }

  /** Keeps one wall-clock callback pending, for the earliest processing-time timer. */
  private reschedule(): void {
    const head = this.processingTimeTimers.peek();
    if (this.disposed || head === undefined || head.timestamp >= this.scheduledFor) return;
    if (this.scheduled !== undefined) this.scheduler.cancel(this.scheduled);
    this.scheduledFor = head.timestamp;
    // At least 1 ms: a timer clock may run a little behind engineNow, and a callback found early reschedules anyway.
    this.scheduled = this.scheduler.schedule(Math.max(1, head.timestamp - this.clock()), this.onWallClock);
  }
}

function checkTimestamp(timestamp: number): void {
  if (typeof timestamp !== "number" || Number.isNaN(timestamp)) throw new UserError(`a timer needs a numeric timestamp, got ${typeof timestamp === "number" ? "NaN" : typeof timestamp}`);
}
