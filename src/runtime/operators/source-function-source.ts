/**
 * Runs a user SourceFunction ({ run(ctx), cancel() }) as a SplitSource. `run` drives itself;
 * ctx.collect returns a Promise while downstream is backpressured, which an async `run` can await.
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
  private running: Promise<boolean> | undefined;
  private operator!: SourceOperator<T>;
  private context!: OperatorContext;

  constructor(private readonly fn: SourceFunctionLike<T>, readonly bounded: boolean, private readonly name = "Custom Source") {}

  /** The operator and context are needed for backpressure and the rich function's context. */
  bind(operator: SourceOperator<T>, context: OperatorContext): void {
    this.operator = operator;
    this.context = context;
  }

  open(): void | Promise<void> {
    return openFunction(this.fn, this.context);
  }

  emitNext(output: SourceOutput<T>): Promise<boolean> {
    if (!this.running) {
      const op = this.operator;
      const lock = {};
      const ctx: SourceFunctionContext<T> = {
        collect: (v) => (output.collect(v), op.backpressure()),
        collectWithTimestamp: (v, ts) => (output.collectWithTimestamp(v, ts), op.backpressure()),
        emitWatermark: (mark) => output.emitWatermark(typeof mark === "number" ? mark : mark.timestamp),
        markAsTemporarilyIdle: () => output.markIdle(),
        getCheckpointLock: () => lock,
      };
      this.running = Promise.resolve(this.fn.run(ctx)).then(() => false);
    }
    return this.running;
  }

  cancel(): void {
    this.fn.cancel();
  }

  close(): void | Promise<void> {
    return closeFunction(this.fn);
  }

  describe(): string {
    return this.name;
  }
}
