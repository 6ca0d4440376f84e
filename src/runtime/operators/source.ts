/**
 * Sources as the runtime sees them: one SplitSource per subtask, pulled in batches by the task
 * so that it can check backpressure and run mail between batches.
 */

/** Where a source puts what it reads. Calls are synchronous and cheap. */
export interface SourceOutput<T> {
  collect(value: T): void;
  collectWithTimestamp(value: T, timestamp: number): void;
  emitWatermark(timestamp: number): void;
  /** No data will come for a while: downstream watermarks must not wait for this subtask. */
  markIdle(): void;
}

export interface SplitSource<T = unknown> {
  /** True if the source ends by itself (a file, a collection); false for a socket or a generator without limit. */
  readonly bounded: boolean;
  open(subtaskIndex: number, parallelism: number): void | Promise<void>;
  /**
   * Emits up to about `budget` records. Returns true if more may come, false when exhausted,
   * or a Promise of that when it has to wait (I/O). Never blocks the thread.
   */
  emitNext(output: SourceOutput<T>, budget: number): boolean | Promise<boolean>;
  /** Asked to stop early (job cancelled); the next emitNext should return false. */
  cancel(): void;
  close(): void | Promise<void>;
  /** One line for the plan view, e.g. "TextFile /data/words.txt". */
  describe(): string;
  /** Optional: sources that need their operator (backpressure) or context (rich functions). */
  bind?(operator: import("./source-operator.ts").SourceOperator<T>, context: import("./operator-context.ts").OperatorContext): void;
}

/** Most sources can only run with parallelism 1 (collections, sockets); parallel ones say so. */
export interface ParallelismHint {
  readonly maxSourceParallelism?: number;
}
