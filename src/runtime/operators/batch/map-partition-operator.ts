/** mapPartition: buffers a subtask's whole input and hands it to the user function once, at endInput. */
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator } from "./batch-operator.ts";
import type { Collector } from "./collector.ts";

export type MapPartitionFunction<T, O> = (values: Iterable<T>, out: Collector<O>) => void;

/** Calls `fn` exactly once per subtask, with an empty iterable when the subtask got no input (as Flink). */
export class MapPartitionOperator<T, O> extends BatchOperator<T, O> {
  readonly role: BatchDriverRole = "finalize";
  private buffer: T[] = [];

  constructor(
    private readonly fn: MapPartitionFunction<T, O>,
    lifecycle?: FunctionLifecycle,
  ) {
    super();
    this.lifecycle = lifecycle;
  }

  processElement(value: T): void {
    this.buffer.push(value);
  }

  override endInput(): void {
    const values = this.buffer;
    this.buffer = [];
    this.fn(values, this.out);
  }

  describe(): string {
    return "MapPartition";
  }
}
