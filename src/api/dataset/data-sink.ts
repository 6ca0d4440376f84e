/** DataSink: what writeAsText, writeAsCsv and output return — settings of the sink operator. */
import type { Transformation } from "../../graph/transformation.ts";
import { checkArgument } from "../../core/errors.ts";

export class DataSink<T> {
  constructor(readonly transformation: Transformation) {}

  name(name: string): this {
    this.transformation.name = name;
    return this;
  }

  getName(): string {
    return this.transformation.name;
  }

  setParallelism(parallelism: number): this {
    checkArgument(Number.isInteger(parallelism) && parallelism > 0, `${this.transformation.name}: parallelism must be a positive integer, got ${parallelism}`);
    this.transformation.parallelism = parallelism;
    this.transformation.parallelismSetByUser = true;
    return this;
  }

  getParallelism(): number {
    return this.transformation.parallelism;
  }

  /** For type inference parity with Flink's DataSink<T>. */
  declare readonly __type?: T;
}
