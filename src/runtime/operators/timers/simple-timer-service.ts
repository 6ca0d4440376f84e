/** The TimerService user functions see (Flink's SimpleTimerService), and its stand-in on non-keyed streams. */
import { engineNow } from "../../../core/clock.ts";
import { UserError } from "../../../core/errors.ts";
import { MIN_WATERMARK } from "../../../core/stream-element.ts";
import type { InternalTimerService } from "./internal-timer-service.ts";

export interface TimerServiceLike {
  currentWatermark(): number;
  currentProcessingTime(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** Flink's messages, word for word. */
export const UNSUPPORTED_REGISTER_TIMER_MSG = "Setting timers is only supported on a keyed streams.";
export const UNSUPPORTED_DELETE_TIMER_MSG = "Deleting timers is only supported on a keyed streams.";

/** Timers for the current key of a keyed operator. */
export class SimpleTimerService implements TimerServiceLike {
  constructor(readonly internal: InternalTimerService) {}
  currentWatermark(): number {
    return this.internal.currentWatermark();
  }
  currentProcessingTime(): number {
    return this.internal.currentProcessingTime();
  }
  registerEventTimeTimer(time: number): void {
    this.internal.registerEventTimeTimer(time);
  }
  registerProcessingTimeTimer(time: number): void {
    this.internal.registerProcessingTimeTimer(time);
  }
  deleteEventTimeTimer(time: number): void {
    this.internal.deleteEventTimeTimer(time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.internal.deleteProcessingTimeTimer(time);
  }
}

/** Time queries only: timers need a key to fire for. The operator updates `watermark`. */
export class NonKeyedTimerService implements TimerServiceLike {
  watermark = MIN_WATERMARK;
  currentWatermark(): number {
    return this.watermark;
  }
  currentProcessingTime(): number {
    return engineNow();
  }
  registerEventTimeTimer(): void {
    throw new UserError(UNSUPPORTED_REGISTER_TIMER_MSG);
  }
  registerProcessingTimeTimer(): void {
    throw new UserError(UNSUPPORTED_REGISTER_TIMER_MSG);
  }
  deleteEventTimeTimer(): void {
    throw new UserError(UNSUPPORTED_DELETE_TIMER_MSG);
  }
  deleteProcessingTimeTimer(): void {
    throw new UserError(UNSUPPORTED_DELETE_TIMER_MSG);
  }
}
