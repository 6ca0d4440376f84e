/** The stateless one-input operators: map, flatMap, filter. */
import { AbstractStreamOperator } from "../stream-operator.ts";
import { closeFunction, openFunction, TimestampedCollector, type FunctionLifecycle } from "../user-function.ts";

abstract class UdfOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  constructor(protected readonly lifecycle: FunctionLifecycle | undefined) {
    super();
  }
  override open(): void | Promise<void> {
    return openFunction(this.lifecycle, this.context);
  }
  override close(): void | Promise<void> {
    return closeFunction(this.lifecycle);
  }
}

export class StreamMap<IN, OUT> extends UdfOperator<IN, OUT> {
  constructor(private readonly fn: (value: IN) => OUT, lifecycle?: FunctionLifecycle) {
    super(lifecycle);
  }
  processElement(value: IN, timestamp: number): void {
    this.output.collect(this.fn(value), timestamp);
  }
  describe(): string {
    return "Map";
  }
}

export class StreamFlatMap<IN, OUT> extends UdfOperator<IN, OUT> {
  private collector!: TimestampedCollector<OUT>;
  constructor(private readonly fn: (value: IN, out: TimestampedCollector<OUT>) => void, lifecycle?: FunctionLifecycle) {
    super(lifecycle);
  }
  override open(): void | Promise<void> {
    this.collector = new TimestampedCollector(this.output);
    return super.open();
  }
  processElement(value: IN, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn(value, this.collector);
  }
  describe(): string {
    return "FlatMap";
  }
}

export class StreamFilter<T> extends UdfOperator<T, T> {
  constructor(private readonly fn: (value: T) => boolean, lifecycle?: FunctionLifecycle) {
    super(lifecycle);
  }
  processElement(value: T, timestamp: number): void {
    if (this.fn(value)) this.output.collect(value, timestamp);
  }
  describe(): string {
    return "Filter";
  }
}
