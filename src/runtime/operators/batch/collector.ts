/** The collector user functions emit into, and its adapter onto an operator's Output (batch results carry NO_TIMESTAMP). */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { Output } from "../stream-operator.ts";

/** What group, partition and flatMap-style functions emit into: `out.collect(value)`. */
export type Collector<O> = { collect(v: O): void };

/**
 * One per operator, made at setup and handed to every user-function call: emits each collected
 * value downstream without a timestamp, so nothing is allocated per call.
 */
export class OutputCollector<O> implements Collector<O> {
  constructor(private readonly output: Output<O>) {}

  collect(value: O): void {
    this.output.collect(value, NO_TIMESTAMP);
  }
}
