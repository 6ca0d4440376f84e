/** Non-grouped reduce: folds a subtask's whole input into one value, emitted at endInput if there was any input. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, resolveCombine } from "./batch-operator.ts";

/**
 * A plan uses two instances: a combining one chained before the shuffle to parallelism 1, and a
 * final one after it; both fold the same way, only the role and describe() differ.
 */
export class AllReduceOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private value: T | undefined = undefined;
  private hasValue = false;

  constructor(
    private readonly reduce: (a: T, b: T) => T,
    options: boolean | CombineOptions = false,
    lifecycle?: FunctionLifecycle,
  ) {
    super();
    this.lifecycle = lifecycle;
    this.role = resolveCombine(options).combine ? "combine" : "finalize";
  }

  processElement(value: T): void {
    if (this.hasValue) {
      this.value = this.reduce(this.value as T, value);
    } else {
      this.value = value;
      this.hasValue = true;
    }
  }

  override endInput(): void {
    if (!this.hasValue) return;
    const value = this.value as T;
    this.value = undefined;
    this.hasValue = false;
    this.output.collect(value, NO_TIMESTAMP);
  }

  describe(): string {
    return this.role === "combine" ? "Combine (reduce all)" : "Reduce (all)";
  }
}
