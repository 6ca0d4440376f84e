/** OutputFormat: a user-defined DataSet sink (Flink's OutputFormat), and the SinkWriter that drives it on each subtask. */
import type { SinkWriter } from "../../runtime/operators/sink.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { describeValue } from "../functions.ts";

/**
 * One instance per slot writes the records of one parallel subtask:
 * configure?(parameters) -> open?(taskNumber, numTasks) -> writeRecord(record)* -> close?().
 */
export interface OutputFormat<T> {
  configure?(parameters: Record<string, string>): void;
  open?(taskNumber: number, numTasks: number): void | Promise<void>;
  writeRecord(record: T): void;
  close?(): void | Promise<void>;
}

export function checkOutputFormat(format: unknown): void {
  if (!format || typeof (format as OutputFormat<unknown>).writeRecord !== "function")
    throw new InvalidProgramError(`output(): expected an OutputFormat with writeRecord(record), got ${describeValue(format)}`);
}

/**
 * Lifecycle: close() runs once all records are written (at finish) so its errors fail the job;
 * if the task ends early (failure, cancel) it runs when the sink closes instead.
 */
export class OutputFormatWriter<T> implements SinkWriter<T> {
  private opened = false;

  constructor(private readonly format: OutputFormat<T>) {}

  open(subtaskIndex: number, parallelism: number): void | Promise<void> {
    this.format.configure?.({});
    this.opened = true;
    return this.format.open?.(subtaskIndex, parallelism);
  }

  write(value: T): void {
    this.format.writeRecord(value);
  }

  finish(): void | Promise<void> {
    return this.closeFormat();
  }

  close(): void | Promise<void> {
    return this.closeFormat();
  }

  private closeFormat(): void | Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    return this.format.close?.();
  }

  describe(): string {
    const name = (this.format as object).constructor?.name;
    return `OutputFormat ${name && name !== "Object" ? name : "(user)"}`;
  }
}
