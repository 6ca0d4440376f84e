/**
 * Runs a user SourceFunction ({ run(ctx), cancel() }) as a SplitSource. `run` drives itself;
 * ctx.collect returns a Promise once the source has used up its turn, which an async `run`
 * should await.
 *
 * Turns: the task pulls a source with emitNext(budget) only while downstream can take records.
 * Each emitNext opens a turn of `budget` records; when run() collects the last of them it gets a
 * Promise that the next emitNext resolves, and the turn ends. So an async run() waits for
 * downstream through the task's own loop, and never waits on the task's wake-up signal itself
 * (which has one waiter: the task).
 * A run() that ignores the Promise keeps emitting; its records are buffered as before.
 */
import type { SourceOutput, SplitSource } from "./source.ts";
import type { SourceOperator } from "./source-operator.ts";
import { openFunction, closeFunction, type FunctionLifecycle } from "./user-function.ts";
import type { OperatorContext } from "./operator-context.ts";

export interface SourceFunctionLike<T> extends FunctionLifecycle {
  run(ctx: SourceFunctionContext<T>): void | Promise<void>;
  cancel(): void;
}

export interface SourceFunctionContext<T> {
  collect(value: T): Promise<void> | undefined;
  collectWithTimestamp(value: T, timestamp: number): Promise<void> | undefined;
  emitWatermark(mark: { timestamp: number } | number): void;
  markAsTemporarilyIdle(): void;
  getCheckpointLock(): object;
}

export class SourceFunctionSource<T> implements SplitSource<T> {
  private context!: OperatorContext;
  private started = false;
  /** run() has returned (or thrown: `error`). */
  private finished = false;
  private error: unknown = undefined;
  /** Records run() may still collect in this turn. */
  private left = 0;
  /** Ends the turn the task is waiting for: true if run() is parked, false if it finished. */
  private endTurn: ((more: boolean) => void) | undefined;
  private failTurn: ((e: unknown) => void) | undefined;
  /** Resumes a run() parked at the end of its turn. */
  private resume: (() => void) | undefined;
  private parked: Promise<void> | undefined;

  constructor(private readonly fn: SourceFunctionLike<T>, readonly bounded: boolean, private readonly name = "Custom Source") {}

  /** The context is needed for the rich function's runtime context. */
  bind(_operator: SourceOperator<T>, context: OperatorContext): void {
    this.context = context;
  }

  open(): void | Promise<void> {
    return openFunction(this.fn, this.context);
  }

  emitNext(output: SourceOutput<T>, budget: number): boolean | Promise<boolean> {
    if (this.finished) return this.outcome();
    this.left = Math.max(1, budget);
    if (!this.started) {
      this.started = true;
      this.start(output);
      // a run() that did all its work synchronously is done already
      if (this.finished) return this.outcome();
    } else this.wake();
    if (this.finished) return this.outcome();
    if (this.parked) return true; // a synchronous run() used up its turn and went on
    return new Promise<boolean>((resolve, reject) => {
      this.endTurn = resolve;
      this.failTurn = reject;
    });
  }

  private start(output: SourceOutput<T>): void {
    const ctx: SourceFunctionContext<T> = {
      collect: (v) => {
        output.collect(v);
        return --this.left > 0 ? undefined : this.park();
      },
      collectWithTimestamp: (v, ts) => {
        output.collectWithTimestamp(v, ts);
        return --this.left > 0 ? undefined : this.park();
      },
      emitWatermark: (mark) => output.emitWatermark(typeof mark === "number" ? mark : mark.timestamp),
      markAsTemporarilyIdle: () => output.markIdle(),
      getCheckpointLock: () => ctx,
    };
    let ran: void | Promise<void>;
    try {
      ran = this.fn.run(ctx);
    } catch (e) {
      this.finish(e);
      return;
    }
    if (ran instanceof Promise) ran.then(() => this.finish(undefined), (e) => this.finish(e ?? new Error(`${this.name}: run() rejected`)));
    else this.finish(undefined);
  }

  /** run() used up its turn: the task's next emitNext (when downstream has room) resumes it. */
  private park(): Promise<void> {
    if (!this.parked) {
      this.parked = new Promise<void>((resolve) => (this.resume = resolve));
      this.settleTurn(true);
    }
    return this.parked;
  }

  private wake(): void {
    const resume = this.resume;
    this.parked = undefined;
    this.resume = undefined;
    resume?.();
  }

  private finish(error: unknown): void {
    this.finished = true;
    this.error = error;
    if (error !== undefined && this.failTurn) {
      const fail = this.failTurn;
      this.endTurn = this.failTurn = undefined;
      fail(error);
    } else this.settleTurn(false);
  }

  private settleTurn(more: boolean): void {
    const end = this.endTurn;
    this.endTurn = this.failTurn = undefined;
    end?.(more);
  }

  private outcome(): boolean {
    if (this.error !== undefined) throw this.error;
    return false;
  }

  cancel(): void {
    this.fn.cancel();
    // a run() parked at the end of its turn sees its cancel flag and returns
    this.wake();
  }

  close(): void | Promise<void> {
    return closeFunction(this.fn);
  }

  describe(): string {
    return this.name;
  }
}
