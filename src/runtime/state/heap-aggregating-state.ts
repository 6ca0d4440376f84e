/** AggregatingState on the heap backend: an accumulator per key and namespace (Flink's AggregateFunction). */
import { UserError } from "../../core/errors.ts";
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateDescriptorLike } from "./state-descriptor.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, liveValue, readWithTtl, type TtlPolicy, type TtlValue } from "./state-ttl.ts";
import type { AggregatingState, InternalMergingState } from "./state-types.ts";

type AggregateFunctionLike = NonNullable<StateDescriptorLike["aggregateFunction"]>;

/** Stores the accumulator; get() applies getResult. The function's errors propagate unchanged. */
export class HeapAggregatingState<IN, OUT> extends AbstractHeapState implements AggregatingState<IN, OUT>, InternalMergingState {
  constructor(
    ctx: KeyContext,
    table: StateTable,
    ttl: TtlPolicy | null,
    private readonly fn: AggregateFunctionLike,
  ) {
    super(ctx, table, ttl);
  }

  get(): OUT | null {
    const stored = this.table.get(this.ctx);
    if (stored === undefined) return null;
    if (this.ttl === null) return this.fn.getResult(stored);
    const acc = readWithTtl(this.ttl, this.table, this.ctx, stored as TtlValue);
    return acc === ABSENT ? null : this.fn.getResult(acc);
  }

  add(value: IN): void {
    const stored = this.table.get(this.ctx);
    const now = this.now();
    const existing = liveValue(this.ttl, stored, now);
    this.writeSingle(stored, this.fn.add(value, existing === ABSENT ? this.fn.createAccumulator() : existing), now);
  }

  mergeNamespaces(target: unknown, sources: readonly unknown[]): void {
    const fn = this.fn;
    if (typeof fn.merge !== "function") {
      throw new UserError(`aggregating state "${this.table.name}" cannot merge windows: its aggregate function has no merge(a, b)`);
    }
    this.mergeInto(target, sources, (a, b) => fn.merge!(a, b));
  }
}
