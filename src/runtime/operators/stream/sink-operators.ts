/** Sink operators: a SinkWriter per subtask, a user SinkFunction, print, and collect-to-client. */
import { AbstractStreamOperator } from "../stream-operator.ts";
import type { SinkWriter } from "../sink.ts";
import { closeFunction, openFunction, type FunctionLifecycle } from "../user-function.ts";
import { NO_TIMESTAMP, Watermark } from "../../../core/stream-element.ts";

export class SinkOperator<T> extends AbstractStreamOperator<T, never> {
  constructor(private readonly writer: SinkWriter<T>) {
    super();
  }
  override open(): void | Promise<void> {
    return this.writer.open(this.context.subtaskIndex, this.context.parallelism);
  }
  processElement(value: T, timestamp: number): void {
    this.writer.write(value, timestamp);
  }
  override processWatermark(): void {}
  override endInput(): void | Promise<void> {
    return this.writer.finish();
  }
  override close(): void | Promise<void> {
    return this.writer.close();
  }
  describe(): string {
    return `Sink: ${this.writer.describe()}`;
  }
}

export interface SinkFunctionLike<T> extends FunctionLifecycle {
  invoke(value: T, context: { timestamp(): number | null; currentWatermark(): number }): void;
  finish?(): void | Promise<void>;
  /** Flink's SinkFunction.writeWatermark: each watermark that reaches the sink. */
  writeWatermark?(watermark: Watermark): void;
}

/** addSink(fn): calls invoke per record with a small context. */
export class SinkFunctionOperator<T> extends AbstractStreamOperator<T, never> {
  private ts = NO_TIMESTAMP;
  private watermark = Number.MIN_SAFE_INTEGER;
  private readonly sinkContext = {
    timestamp: () => (this.ts === NO_TIMESTAMP ? null : this.ts),
    currentWatermark: () => this.watermark,
  };
  constructor(private readonly fn: SinkFunctionLike<T>) {
    super();
  }
  override open(): void | Promise<void> {
    return openFunction(this.fn, this.context);
  }
  processElement(value: T, timestamp: number): void {
    this.ts = timestamp;
    this.fn.invoke(value, this.sinkContext);
  }
  override processWatermark(timestamp: number): void {
    this.watermark = timestamp;
    this.fn.writeWatermark?.(new Watermark(timestamp));
  }
  override endInput(): void | Promise<void> {
    return this.fn.finish?.();
  }
  override close(): void | Promise<void> {
    return closeFunction(this.fn);
  }
  describe(): string {
    return "Sink: user function";
  }
}

const CLIENT_BATCH_BYTES = 64 * 1024;

/**
 * print(): formats each record as Flink does ("3> (to,2)" at parallelism > 1) and sends the
 * lines to the client in batches, which writes them to its stdout or stderr.
 */
export class PrintSinkOperator<T> extends AbstractStreamOperator<T, never> {
  private lines: string[] = [];
  private bytes = 0;
  private prefix = "";
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly format: (value: T) => string, private readonly target: "stdout" | "stderr", private readonly userPrefix?: string) {
    super();
  }

  override open(): void {
    const p = this.context.parallelism > 1 ? `${this.context.subtaskIndex + 1}> ` : "";
    this.prefix = this.userPrefix ? (p ? `${this.userPrefix}:${p}` : `${this.userPrefix}> `) : p;
    this.timer = setInterval(() => this.flush(), 100);
  }

  processElement(value: T): void {
    const line = this.prefix + this.format(value);
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (this.bytes >= CLIENT_BATCH_BYTES) this.flush();
  }

  override processWatermark(): void {}

  override endInput(): void {
    this.flush();
  }

  override close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.context.sendToClient(this.target, this.lines.join("\n") + "\n");
    this.lines = [];
    this.bytes = 0;
  }

  describe(): string {
    return this.target === "stdout" ? "Sink: Print to Std. Out" : "Sink: Print to Std. Err";
  }
}

/** Sends records to the client that waits for them (executeAndCollect, DataSet.collect). */
export class CollectSinkOperator<T> extends AbstractStreamOperator<T, never> {
  private batch: T[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly channel: string) {
    super();
  }

  override open(): void {
    this.timer = setInterval(() => this.flush(), 100);
  }

  processElement(value: T): void {
    this.batch.push(value);
    if (this.batch.length >= 4096) this.flush();
  }

  override processWatermark(): void {}

  override endInput(): void {
    this.flush();
  }

  override close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.context.sendToClient(this.channel, this.batch);
    this.batch = [];
  }

  describe(): string {
    return "Sink: Collect to client";
  }
}
