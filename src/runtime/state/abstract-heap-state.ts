/** What every heap state shares: its table, the backend's key context, TTL, and namespace merging. */
import type { KeyContext } from "./key-context.ts";
import type { StateEntry, StateTable } from "./state-table.ts";
import { ABSENT, liveStoredValue, type TtlPolicy } from "./state-ttl.ts";

/**
 * A state object is a view: it holds no key of its own and always acts on the backend's current
 * key and namespace, read from the shared KeyContext. One instance exists per state name.
 */
export abstract class AbstractHeapState {
  constructor(
    protected readonly ctx: KeyContext,
    protected readonly table: StateTable,
    protected readonly ttl: TtlPolicy | null,
  ) {}

  clear(): void {
    this.table.remove(this.ctx);
  }

  /** The clock reading stored with a write; 0 when the state has no TTL. */
  protected writeTime(): number {
    return this.ttl === null ? 0 : this.ttl.clock();
  }

  /**
   * Flink's mergeNamespaces for the current key: the sources' stored values are removed and
   * folded together, then into the target's. Expired values take no part. The current namespace
   * is the same afterwards, also when a user function throws.
   */
  protected mergeStored(target: unknown, sources: readonly unknown[], merge: (a: any, b: any) => any): void {
    const ctx = this.ctx;
    const saved = ctx.namespace;
    const now = this.ttl === null ? 0 : this.ttl.clock();
    try {
      let merged: unknown = ABSENT;
      for (const source of sources) {
        ctx.setNamespace(source);
        const entry = this.table.get(ctx);
        if (entry === undefined) continue;
        this.table.remove(ctx);
        const value = this.liveStored(entry, now);
        if (value !== ABSENT) merged = merged === ABSENT ? value : merge(merged, value);
      }
      if (merged === ABSENT) return;
      ctx.setNamespace(target);
      const entry = this.table.get(ctx);
      const existing = this.liveStored(entry, now);
      const value = existing === ABSENT ? merged : merge(existing, merged);
      if (entry === undefined) this.table.insert(ctx, value, now);
      else {
        entry.value = value;
        entry.ts = now;
      }
    } finally {
      ctx.setNamespace(saved);
    }
  }

  /** The stored value that merging may use; list states override it to drop expired elements. */
  protected liveStored(entry: StateEntry | undefined, now: number): unknown {
    return liveStoredValue(this.ttl, entry, now);
  }
}
