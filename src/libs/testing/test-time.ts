/** A processing-time service and mailbox the test drives: time moves only when the test says so (Flink's TestProcessingTimeService). */
import type { ProcessingTimeScheduler } from "../../runtime/operators/timers/internal-timer-service.ts";

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * Threading: single-threaded, like a task's mailbox. Scheduled callbacks run only inside
 * setCurrentTime, in order of due time then scheduling order; the mail they post (timers firing)
 * runs right after each callback. Time starts at 0.
 */
export class TestProcessingTimeService implements ProcessingTimeScheduler {
  private now = 0;
  private seq = 0;
  private pending: Pending[] = [];
  private readonly mail: (() => void | Promise<void>)[] = [];

  /** The clock operators read; bound, so it can be passed around. */
  readonly clock = (): number => this.now;

  /** What operators hand mailbox actions to; the actions run at the end of each harness step. */
  readonly executeInMailbox = (action: () => void | Promise<void>): void => {
    this.mail.push(action);
  };

  getCurrentProcessingTime(): number {
    return this.now;
  }

  schedule(delayMs: number, callback: () => void): unknown {
    const p: Pending = { at: this.now + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.pending.push(p);
    return p;
  }

  cancel(handle: unknown): void {
    (handle as Pending).cancelled = true;
  }

  /** Sets the time and runs every callback due by then, including ones scheduled meanwhile. */
  setCurrentTime(time: number): void {
    this.now = time;
    this.drainMail();
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      let next: Pending | undefined;
      for (const p of this.pending) if (p.at <= time && (next === undefined || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      if (next === undefined) return;
      next.cancelled = true;
      next.callback();
      this.drainMail();
    }
  }

  /** Runs posted mail in order, mail posted meanwhile included. Asynchronous mail is started, not awaited. */
  drainMail(): void {
    while (this.mail.length > 0) void this.mail.shift()!();
  }

  numPendingCallbacks(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
