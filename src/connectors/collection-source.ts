/** Sources over data held in the program: Flink's fromElements/fromCollection and fromSequence. */
import { checkArgument } from "../core/errors.ts";
import type { ParallelismHint, SourceOutput, SplitSource } from "../runtime/operators/source.ts";

/**
 * The items of an array, in order. Non-parallel, as Flink's FromElementsFunction: should it
 * still be opened at a higher parallelism, subtask 0 emits everything and the others nothing.
 */
export class CollectionSource<T> implements SplitSource<T>, ParallelismHint {
  readonly bounded = true;
  readonly maxSourceParallelism = 1;
  private readonly items: readonly T[];
  private next = 0;
  private end = 0;

  constructor(items: readonly T[] | Iterable<T>) {
    this.items = Array.isArray(items) ? items : Array.from(items);
  }

  open(subtaskIndex: number, _parallelism: number): void {
    this.next = 0;
    this.end = subtaskIndex === 0 ? this.items.length : 0;
  }

  emitNext(output: SourceOutput<T>, budget: number): boolean {
    const stop = Math.min(this.end, this.next + budget);
    const items = this.items;
    let i = this.next;
    for (; i < stop; i++) output.collect(items[i]!);
    this.next = i;
    return i < this.end;
  }

  cancel(): void {
    this.end = this.next;
  }

  close(): void {}

  describe(): string {
    return `Collection (${this.items.length} elements)`;
  }
}

/**
 * The integers from..to, both included, cut into one contiguous range per subtask whose sizes
 * differ by at most one (Flink's NumberSequenceSource).
 */
export class SequenceSource implements SplitSource<number> {
  readonly bounded = true;
  private next = 0;
  /** Last number of this subtask's range, inclusive. */
  private last = -1;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    checkArgument(Number.isSafeInteger(from) && Number.isSafeInteger(to), `sequence bounds must be safe integers, got ${from} and ${to}`);
    checkArgument(from <= to, `sequence start ${from} must not be greater than its end ${to}`);
  }

  open(subtaskIndex: number, parallelism: number): void {
    // base/remainder rather than count * i / p, which loses precision for counts near 2^53.
    const count = this.to - this.from + 1;
    const base = Math.floor(count / parallelism);
    const extra = count % parallelism;
    const offset = (i: number) => i * base + Math.min(i, extra);
    this.next = this.from + offset(subtaskIndex);
    this.last = this.from + offset(subtaskIndex + 1) - 1;
  }

  emitNext(output: SourceOutput<number>, budget: number): boolean {
    const stop = Math.min(this.last, this.next + budget - 1);
    let n = this.next;
    for (; n <= stop; n++) output.collect(n);
    this.next = n;
    return n <= this.last;
  }

  cancel(): void {
    this.last = this.next - 1;
  }

  close(): void {}

  describe(): string {
    return `Sequence ${this.from}..${this.to}`;
  }
}
