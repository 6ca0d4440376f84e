/** ValueState on the heap backend: one value per key and namespace. */
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, readWithTtl, type TtlPolicy, type TtlValue } from "./state-ttl.ts";
import type { ValueState } from "./state-types.ts";

/** Without TTL the table holds the user's value itself, so value() is one Map lookup. */
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
    const stored = this.table.get(this.ctx);
    if (stored === undefined) return this.defaultValue;
    if (this.ttl === null) return stored as T;
    const value = readWithTtl(this.ttl, this.table, this.ctx, stored as TtlValue);
    return value === ABSENT ? this.defaultValue : (value as T);
  }

  update(value: T): void {
    if (value === null || value === undefined) this.table.remove(this.ctx);
    else if (this.ttl === null) this.table.set(this.ctx, value);
    else this.writeSingle(this.table.get(this.ctx), value, this.ttl.clock());
  }
}
