/** Harnesses for two-input operators, keyed or not (Flink's TwoInputStreamOperatorTestHarness and KeyedTwoInputStreamOperatorTestHarness). */
import { UserError } from "../../core/errors.ts";
import { MIN_WATERMARK, NO_TIMESTAMP } from "../../core/stream-element.ts";
import type { TwoInputStreamOperator } from "../../runtime/operators/stream-operator.ts";
import { CoStreamOperator, type CoFunctions } from "../../runtime/operators/stream/co-operators.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { AbstractStreamOperatorTestHarness, type SubtaskPosition } from "./harness-base.ts";

/** A two-input runtime operator, or a CoProcessFunction / KeyedCoProcessFunction. */
export type TwoInputOperatorOrFunction<IN1, IN2, OUT> =
  | TwoInputStreamOperator<IN1, IN2, OUT>
  | { processElement1(value: IN1, ctx: any, out: any): void; processElement2(value: IN2, ctx: any, out: any): void };

/**
 * Watermarks per input: the operator sees the minimum of both, when it advances (as a task
 * combines its inputs).
 */
class TwoInputHarness<IN1, IN2, OUT> extends AbstractStreamOperatorTestHarness<OUT> {
  private readonly op: TwoInputStreamOperator<IN1, IN2, OUT>;
  private watermark1 = MIN_WATERMARK;
  private watermark2 = MIN_WATERMARK;
  private combined = MIN_WATERMARK;

  constructor(
    operator: TwoInputStreamOperator<IN1, IN2, OUT>,
    position: Partial<SubtaskPosition>,
    private readonly selector1?: (value: unknown) => unknown,
    private readonly selector2?: (value: unknown) => unknown,
  ) {
    super(operator as TwoInputStreamOperator, position, selector1);
    this.op = operator;
  }

  processElement1(value: IN1, timestamp: number = NO_TIMESTAMP): void {
    this.step("processElement1()", () => {
      this.setKeyOf(value, this.selector1);
      this.op.processElement1(value, timestamp);
    });
  }

  processElement2(value: IN2, timestamp: number = NO_TIMESTAMP): void {
    this.step("processElement2()", () => {
      this.setKeyOf(value, this.selector2);
      this.op.processElement2(value, timestamp);
    });
  }

  processWatermark1(timestamp: number): void {
    this.watermark1 = timestamp;
    this.advance("processWatermark1()");
  }

  processWatermark2(timestamp: number): void {
    this.watermark2 = timestamp;
    this.advance("processWatermark2()");
  }

  processBothWatermarks(timestamp: number): void {
    this.watermark1 = this.watermark2 = timestamp;
    this.advance("processBothWatermarks()");
  }

  endInput1(): Promise<void> {
    return this.stepAsync("endInput1()", () => this.op.endInput(1));
  }

  endInput2(): Promise<void> {
    return this.stepAsync("endInput2()", () => this.op.endInput(2));
  }

  private advance(what: string): void {
    const min = Math.min(this.watermark1, this.watermark2);
    this.step(what, () => {
      if (min <= this.combined) return;
      this.combined = min;
      this.op.processWatermark(min);
    });
  }
}

export class TwoInputStreamOperatorTestHarness<IN1 = unknown, IN2 = unknown, OUT = unknown> extends TwoInputHarness<IN1, IN2, OUT> {
  constructor(operatorOrFunction: TwoInputOperatorOrFunction<IN1, IN2, OUT>, maxParallelism?: number, parallelism?: number, subtaskIndex?: number) {
    super(toOperator(operatorOrFunction, false), { maxParallelism, parallelism, subtaskIndex });
  }
}

/** Each input has its key selector; both must give the same key for the same logical key. */
export class KeyedTwoInputStreamOperatorTestHarness<K = unknown, IN1 = unknown, IN2 = unknown, OUT = unknown> extends TwoInputHarness<IN1, IN2, OUT> {
  constructor(
    operatorOrFunction: TwoInputOperatorOrFunction<IN1, IN2, OUT>,
    keySelector1: (value: IN1) => K,
    keySelector2: (value: IN2) => K,
    readonly keyType?: TypeInformation<K>,
    maxParallelism?: number,
    parallelism?: number,
    subtaskIndex?: number,
  ) {
    if (typeof keySelector1 !== "function" || typeof keySelector2 !== "function") throw new UserError("KeyedTwoInputStreamOperatorTestHarness needs two key selector functions");
    super(toOperator(operatorOrFunction, true), { maxParallelism, parallelism, subtaskIndex }, keySelector1 as (v: unknown) => unknown, keySelector2 as (v: unknown) => unknown);
  }
}

function toOperator<IN1, IN2, OUT>(x: TwoInputOperatorOrFunction<IN1, IN2, OUT>, keyed: boolean): TwoInputStreamOperator<IN1, IN2, OUT> {
  const f = x as any;
  if (f?.twoInput === true) return x as TwoInputStreamOperator<IN1, IN2, OUT>;
  if (typeof f?.processElement1 !== "function" || typeof f.processElement2 !== "function") {
    throw new UserError("a two-input harness needs a two-input operator or a (Keyed)CoProcessFunction with processElement1 and processElement2");
  }
  const fns: CoFunctions = {
    first: (v, out, ctx) => f.processElement1(v, ctx, out),
    second: (v, out, ctx) => f.processElement2(v, ctx, out),
    onTimer: typeof f.onTimer === "function" ? (ts, ctx, out) => f.onTimer(ts, ctx, out) : undefined,
    setRuntimeContext: typeof f.setRuntimeContext === "function" ? (rc) => f.setRuntimeContext(rc) : undefined,
    open: typeof f.open === "function" ? (rc) => f.open(rc) : undefined,
    close: typeof f.close === "function" ? () => f.close() : undefined,
  };
  return new CoStreamOperator(fns, "emit", keyed ? "KeyedCoProcess" : "CoProcess") as unknown as TwoInputStreamOperator<IN1, IN2, OUT>;
}
