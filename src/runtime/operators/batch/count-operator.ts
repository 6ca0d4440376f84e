/** DataSet.count(): emits the number of records this subtask received, at endInput (the client sums the partials). */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { type BatchDriverRole, BatchOperator } from "./batch-operator.ts";

/** Emits exactly one number per subtask, 0 included, so the client can wait for every partial. */
export class CountOperator<T = unknown> extends BatchOperator<T, number> {
  readonly role: BatchDriverRole = "combine";
  private count = 0;

  processElement(_value: T): void {
    this.count++;
  }

  override endInput(): void {
    const count = this.count;
    this.count = 0;
    this.output.collect(count, NO_TIMESTAMP);
  }

  describe(): string {
    return "Count";
  }
}
