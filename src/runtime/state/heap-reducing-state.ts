/** ReducingState on the heap backend: one value per key and namespace, folded with reduce(existing, added). */
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, liveValue, readWithTtl, type TtlPolicy, type TtlValue } from "./state-ttl.ts";
import type { InternalMergingState, ReducingState } from "./state-types.ts";

/** The reduce function's errors propagate unchanged and leave the state as it was; undefined from it clears. */
export class HeapReducingState<T> extends AbstractHeapState implements ReducingState<T>, InternalMergingState {
  constructor(
    ctx: KeyContext,
    table: StateTable,
    ttl: TtlPolicy | null,
    private readonly reduce: (a: T, b: T) => T,
  ) {
    super(ctx, table, ttl);
  }

  get(): T | null {
    const stored = this.table.get(this.ctx);
    if (stored === undefined) return null;
    if (this.ttl === null) return stored as T;
    const value = readWithTtl(this.ttl, this.table, this.ctx, stored as TtlValue);
    return value === ABSENT ? null : (value as T);
  }

  add(value: T): void {
    const stored = this.table.get(this.ctx);
    const now = this.now();
    const existing = liveValue(this.ttl, stored, now);
    this.writeSingle(stored, existing === ABSENT ? value : this.reduce(existing as T, value), now);
  }

  mergeNamespaces(target: unknown, sources: readonly unknown[]): void {
    this.mergeInto(target, sources, this.reduce);
  }
}
