/** ValueState on the heap backend: one value per key and namespace. */
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, readWithTtl, type TtlPolicy } from "./state-ttl.ts";
import type { ValueState } from "./state-types.ts";

export class HeapValueState<T> extends AbstractHeapState implements ValueState<T> {
  constructor(
    ctx: KeyContext,
    table: StateTable,
    ttl: TtlPolicy | null,
    private readonly defaultValue: T | null,
  ) {
    super(ctx, table, ttl);
  }

  value(): T | null {
    const entry = this.table.get(this.ctx);
    if (entry === undefined) return this.defaultValue;
    if (this.ttl === null) return entry.value;
    const value = readWithTtl(this.ttl, this.table, this.ctx, entry);
    return value === ABSENT ? this.defaultValue : (value as T);
  }

  update(value: T): void {
    if (value === null || value === undefined) {
      this.clear();
      return;
    }
    const entry = this.table.get(this.ctx);
    const ts = this.ttl === null ? 0 : this.ttl.clock();
    if (entry === undefined) {
      this.table.insert(this.ctx, value, ts);
    } else {
      entry.value = value;
      entry.ts = ts;
    }
  }
}
