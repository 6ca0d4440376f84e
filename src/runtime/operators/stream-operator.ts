/**
 * The operator contract every task runs: one lifecycle for streaming and batch operators.
 *
 * Lifecycle: setup -> open -> processElement / processWatermark (many) -> endInput -> close.
 * Threading: all calls come from the task's mailbox loop on one thread; operators never lock.
 * Hot path: processElement returns void and allocates nothing it can avoid; timestamps travel
 * beside values (NO_TIMESTAMP when absent), never wrapped in a record object.
 */
import type { OperatorContext } from "./operator-context.ts";

export interface Output<T = unknown> {
  /** Emits a record downstream, with its timestamp (NO_TIMESTAMP when it has none). */
  collect(value: T, timestamp: number): void;
  /** Emits a record to the side output with the given tag id. */
  collectSide(tag: string, value: unknown, timestamp: number): void;
  /** Forwards a watermark downstream. */
  emitWatermark(timestamp: number): void;
  /**
   * Flink's WatermarkStatus: `idle` says no records or watermarks will come for a while, so
   * downstream watermarks must not wait for this output; `false` says it is active again.
   */
  emitWatermarkStatus?(idle: boolean): void;
}

export interface StreamOperator<IN = unknown, OUT = unknown> {
  setup(context: OperatorContext, output: Output<OUT>): void;
  open(): void | Promise<void>;
  processElement(value: IN, timestamp: number): void;
  processWatermark(timestamp: number): void;
  /** The input became idle (true) or active again (false); absent means: do not forward. */
  processWatermarkStatus?(idle: boolean): void;
  /** All input has arrived (bounded input): flush what is held. May emit. */
  endInput(): void | Promise<void>;
  close(): void | Promise<void>;
  /** One line for the plan view. */
  describe(): string;
}

export interface TwoInputStreamOperator<IN1 = unknown, IN2 = unknown, OUT = unknown> {
  readonly twoInput: true;
  setup(context: OperatorContext, output: Output<OUT>): void;
  open(): void | Promise<void>;
  processElement1(value: IN1, timestamp: number): void;
  processElement2(value: IN2, timestamp: number): void;
  /** Called with the combined watermark of both inputs. */
  processWatermark(timestamp: number): void;
  /** Both inputs became idle (true) or one is active again (false). */
  processWatermarkStatus?(idle: boolean): void;
  endInput(input: 1 | 2): void | Promise<void>;
  close(): void | Promise<void>;
  describe(): string;
  /**
   * The input the operator wants next (Flink's InputSelectable): 1 or 2 reads only that input
   * while it has data, 0 either. A hint: the task reads the other input too when the selected one
   * stays silent (INPUT_SELECTION_PATIENCE_MS in task.ts), so a plan in which one input waits for
   * the other cannot deadlock.
   */
  nextSelection?(): 0 | 1 | 2;
}

export type AnyOperator = StreamOperator | TwoInputStreamOperator;

export function isTwoInput(op: AnyOperator): op is TwoInputStreamOperator {
  return (op as TwoInputStreamOperator).twoInput === true;
}

/**
 * A base with the plumbing most one-input operators share: keeps the output and context,
 * forwards watermarks, and does nothing on endInput/close.
 */
export abstract class AbstractStreamOperator<IN = unknown, OUT = unknown> implements StreamOperator<IN, OUT> {
  protected output!: Output<OUT>;
  protected context!: OperatorContext;

  setup(context: OperatorContext, output: Output<OUT>): void {
    this.context = context;
    this.output = output;
  }
  open(): void | Promise<void> {}
  abstract processElement(value: IN, timestamp: number): void;
  processWatermark(timestamp: number): void {
    this.output.emitWatermark(timestamp);
  }
  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus?.(idle);
  }
  endInput(): void | Promise<void> {}
  close(): void | Promise<void> {}
  abstract describe(): string;
}
