/**
 * Rolling reduce on a keyed stream (reduce, sum, min, max, minBy, maxBy): keeps the running
 * value per key in keyed state. Streaming mode emits every update; batch mode emits only the
 * final value per key when input ends, as Flink's BATCH runtime mode does.
 */
import { AbstractStreamOperator } from "../stream-operator.ts";
import { closeFunction, openFunction, type FunctionLifecycle } from "../user-function.ts";
import type { KeyedContext } from "../operator-context.ts";
import type { ValueState } from "../../state/state-types.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";

const STATE = { name: "_reduce_value", kind: "value" as const };

export class StreamGroupedReduce<T> extends AbstractStreamOperator<T, T> {
  private keyed!: KeyedContext;
  private values!: ValueState<T>;

  constructor(
    private readonly reduce: (a: T, b: T) => T,
    private readonly emitFinalOnly: boolean,
    private readonly lifecycle?: FunctionLifecycle,
    private readonly label = "Keyed Reduce",
  ) {
    super();
  }

  override open(): void | Promise<void> {
    this.keyed = this.context.keyed!;
    this.values = this.keyed.backend.getPartitionedState<ValueState<T>>(STATE);
    return openFunction(this.lifecycle, this.context);
  }

  processElement(value: T, timestamp: number): void {
    const current = this.values.value();
    const next = current === null ? value : this.reduce(current, value);
    this.values.update(next);
    if (!this.emitFinalOnly) this.output.collect(next, timestamp);
  }

  override endInput(): void {
    if (!this.emitFinalOnly) return;
    for (const key of [...this.keyed.backend.getKeys(STATE.name)]) {
      this.keyed.setCurrentKey(key);
      const v = this.values.value();
      if (v !== null) this.output.collect(v, NO_TIMESTAMP);
    }
  }

  override close(): void | Promise<void> {
    return closeFunction(this.lifecycle);
  }

  describe(): string {
    return this.label;
  }
}
