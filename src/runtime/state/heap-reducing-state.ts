/** ReducingState on the heap backend: one value per key and namespace, folded with reduce(existing, added). */
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, liveStoredValue, readWithTtl, type TtlPolicy } from "./state-ttl.ts";
import type { InternalMergingState, ReducingState } from "./state-types.ts";

/** The reduce function's errors propagate unchanged and leave the state as it was. */
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
    const entry = this.table.get(this.ctx);
    if (entry === undefined) return null;
    if (this.ttl === null) return entry.value;
    const value = readWithTtl(this.ttl, this.table, this.ctx, entry);
    return value === ABSENT ? null : (value as T);
  }

  add(value: T): void {
    const entry = this.table.get(this.ctx);
    const now = this.writeTime();
    const existing = liveStoredValue(this.ttl, entry, now);
    const reduced = existing === ABSENT ? value : this.reduce(existing as T, value);
    if (entry === undefined) {
      this.table.insert(this.ctx, reduced, now);
    } else {
      entry.value = reduced;
      entry.ts = now;
    }
  }

  mergeNamespaces(target: unknown, sources: readonly unknown[]): void {
    this.mergeStored(target, sources, this.reduce);
  }
}
