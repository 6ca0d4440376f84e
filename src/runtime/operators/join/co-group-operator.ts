/** CoGroupOperator: the driver of coGroup — per key, the groups of both inputs handed to the user function together. */
import { UserError } from "../../../core/errors.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { Collector } from "../batch/collector.ts";
import { MIN_SORTER_PAGES } from "../sort/external-sorter.ts";
import type { GroupReader } from "../sort/group-reader.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { SortedInputs } from "./sorted-inputs.ts";
import { serializerFor, TwoInputBatchOperator } from "./two-input-batch-operator.ts";

export interface CoGroupOperatorOptions<A = any, B = any, O = any> {
  name: string;
  key1: (value: A) => unknown;
  key2: (value: B) => unknown;
  type1?: TypeInformation;
  type2?: TypeInformation;
  /** Called once per key of either input; the side without records gets an empty iterable. */
  coGroup: (first: Iterable<A>, second: Iterable<B>, out: Collector<O>) => void;
  lifecycle?: FunctionLifecycle;
}

/**
 * Sorts both inputs on the key (SortedInputs) and calls `coGroup` once per key, in key order.
 * Each iterable streams its group from its sorter, so a group larger than memory never sits in
 * memory, and the two may be read in either order; like Flink's, each is traversable once and
 * only during the call. Null keys form a group like any other key (null with null, undefined
 * with undefined).
 */
export class CoGroupOperator<A = any, B = any, O = any> extends TwoInputBatchOperator<O> {
  private inputs: SortedInputs<A, B> | null = null;

  constructor(private readonly options: CoGroupOperatorOptions<A, B, O>) {
    super(options.name, 2 * MIN_SORTER_PAGES, options.lifecycle);
  }

  protected start(): void {
    const o = this.options;
    this.inputs = new SortedInputs(this.sorterMemory(Math.floor(this.sharePages() / 2)), o.key1, o.key2, serializerFor<A>(o.type1), serializerFor<B>(o.type2));
  }

  processElement1(value: unknown): void {
    this.inputs!.add1(value as A);
  }

  processElement2(value: unknown): void {
    this.inputs!.add2(value as B);
  }

  endInput(input: 1 | 2): void {
    const inputs = this.inputs!;
    if (!inputs.end(input)) return;
    const { coGroup, name } = this.options;
    const out = this.out;
    const call = (g1: GroupReader<A> | null, g2: GroupReader<B> | null) => {
      const first = new GroupIterable(g1, name);
      const second = new GroupIterable(g2, name);
      try {
        coGroup(first, second, out);
      } finally {
        first.expire();
        second.expire();
      }
    };
    inputs.merge({
      only1: (g1) => call(g1, null),
      only2: (g2) => call(null, g2),
      both: (g1, g2) => call(g1, g2),
    });
  }

  protected stop(): void {
    this.inputs?.close();
    this.inputs = null;
  }

  describe(): string {
    return `CoGroup (sort-merge): ${this.options.name}`;
  }
}

/** One side's group for one call: streams the group's records once, starting at the reader's current entry. */
class GroupIterable<T> implements Iterable<T> {
  private used = false;
  private expired = false;

  constructor(
    private readonly reader: GroupReader<T> | null,
    private readonly operatorName: string,
  ) {}

  expire(): void {
    this.expired = true;
  }

  [Symbol.iterator](): Iterator<T> {
    if (this.used || this.expired) {
      throw new UserError(
        `${this.operatorName}: a coGroup group can be iterated once and only during its call (Flink's TraversableOnceException); copy it into an array (Array.from(values)) to read it again`,
      );
    }
    this.used = true;
    const reader = this.reader;
    let started = false;
    let done = reader === null;
    const end: IteratorResult<T> = { done: true, value: undefined };
    return {
      next: (): IteratorResult<T> => {
        if (done || this.expired) return end;
        if (started && !reader!.nextInGroup()) {
          done = true;
          return end;
        }
        started = true;
        return { done: false, value: reader!.record() };
      },
    };
  }
}
