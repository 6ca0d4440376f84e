/** Harnesses for one-input operators, keyed or not (Flink's OneInputStreamOperatorTestHarness and KeyedOneInputStreamOperatorTestHarness). */
import { UserError } from "../../core/errors.ts";
import { NO_TIMESTAMP } from "../../core/stream-element.ts";
import type { StreamOperator } from "../../runtime/operators/stream-operator.ts";
import { ProcessOperator, type ProcessFunctionLike } from "../../runtime/operators/stream/process-operators.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { AbstractStreamOperatorTestHarness, type SubtaskPosition } from "./harness-base.ts";
import type { StreamRecord } from "./test-output.ts";

/** A runtime operator, or a ProcessFunction / KeyedProcessFunction the harness runs in a ProcessOperator. */
export type OneInputOperatorOrFunction<IN, OUT> = StreamOperator<IN, OUT> | { processElement(value: IN, ctx: any, out: any): void };

/** Feeding one input: records and watermarks one by one. */
class OneInputHarness<IN, OUT> extends AbstractStreamOperatorTestHarness<OUT> {
  private readonly op: StreamOperator<IN, OUT>;

  constructor(operator: StreamOperator<IN, OUT>, position: Partial<SubtaskPosition>, private readonly selector?: (value: unknown) => unknown) {
    super(operator as StreamOperator, position, selector);
    this.op = operator;
  }

  /** One record; without a timestamp the record has none (ctx.timestamp() is null). */
  processElement(value: IN, timestamp: number = NO_TIMESTAMP): void {
    this.step("processElement()", () => {
      this.setKeyOf(value, this.selector);
      this.op.processElement(value, timestamp);
    });
  }

  processElements(records: readonly StreamRecord<IN>[]): void {
    for (const r of records) this.processElement(r.value, r.timestamp ?? NO_TIMESTAMP);
  }

  /** Fires the event-time timers due at `timestamp`; the operator forwards the watermark to the output. */
  processWatermark(timestamp: number): void {
    this.step("processWatermark()", () => this.op.processWatermark(timestamp));
  }

  /** The input went idle (true) or active again (false). */
  processWatermarkStatus(idle: boolean): void {
    this.step("processWatermarkStatus()", () => this.op.processWatermarkStatus?.(idle));
  }

  /** All input has arrived (a bounded input ended). */
  endInput(): Promise<void> {
    return this.stepAsync("endInput()", () => this.op.endInput());
  }
}

export class OneInputStreamOperatorTestHarness<IN = unknown, OUT = unknown> extends OneInputHarness<IN, OUT> {
  constructor(operatorOrFunction: OneInputOperatorOrFunction<IN, OUT>, maxParallelism?: number, parallelism?: number, subtaskIndex?: number) {
    super(toOperator(operatorOrFunction, false), { maxParallelism, parallelism, subtaskIndex });
  }
}

/**
 * The key of each element (by `keySelector`) is current while the operator processes it, so
 * keyed state and timers work. The subtask owns the key groups of its position; an element whose
 * key it does not own is refused, as a wrong partitioning would be.
 */
export class KeyedOneInputStreamOperatorTestHarness<K = unknown, IN = unknown, OUT = unknown> extends OneInputHarness<IN, OUT> {
  constructor(
    operatorOrFunction: OneInputOperatorOrFunction<IN, OUT>,
    keySelector: (value: IN) => K,
    readonly keyType?: TypeInformation<K>,
    maxParallelism?: number,
    parallelism?: number,
    subtaskIndex?: number,
  ) {
    if (typeof keySelector !== "function") throw new UserError("KeyedOneInputStreamOperatorTestHarness needs a key selector function");
    super(toOperator(operatorOrFunction, true), { maxParallelism, parallelism, subtaskIndex }, keySelector as (value: unknown) => unknown);
  }
}

/**
 * A fresh instance of the operator that produced `stream` (e.g. the window operator behind
 * `keyBy(...).window(...).reduce(...)`), for a harness. Each call creates a new operator.
 */
export function operatorOf<OUT = unknown>(stream: { transformation: { name: string; props: { createOperator?: () => unknown } } }): StreamOperator<any, OUT> {
  const create = stream?.transformation?.props?.createOperator;
  if (typeof create !== "function") throw new UserError(`operatorOf: '${stream?.transformation?.name}' has no operator of its own (a partitioning, union or side output?)`);
  return create() as StreamOperator<any, OUT>;
}

function isOperator(x: any): x is StreamOperator {
  return typeof x?.setup === "function" && typeof x.processWatermark === "function" && typeof x.describe === "function";
}

function toOperator<IN, OUT>(x: OneInputOperatorOrFunction<IN, OUT>, keyed: boolean): StreamOperator<IN, OUT> {
  if ((x as any)?.twoInput === true) throw new UserError("a two-input operator needs a TwoInputStreamOperatorTestHarness");
  if (isOperator(x)) return x as StreamOperator<IN, OUT>;
  if (typeof (x as any)?.processElement === "function") return new ProcessOperator(x as ProcessFunctionLike<IN, OUT>, keyed);
  throw new UserError("a test harness needs a stream operator or a (Keyed)ProcessFunction with processElement(value, ctx, out)");
}
