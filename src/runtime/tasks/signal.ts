/** A wake-up flag for a task's mailbox loop: notify() before wait() is not lost. */
export class Signal {
  private pending = false;
  private waiter: (() => void) | undefined;

  notify(): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w();
    } else this.pending = true;
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

/** Lets timers and port messages run: resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
