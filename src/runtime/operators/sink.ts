/** Sink writers as the runtime sees them: one per subtask, fed record by record. */

export interface SinkWriter<T = unknown> {
  open(subtaskIndex: number, parallelism: number): void | Promise<void>;
  write(value: T, timestamp: number): void;
  /** All input arrived: write out what is buffered. */
  finish(): void | Promise<void>;
  close(): void | Promise<void>;
  describe(): string;
}
