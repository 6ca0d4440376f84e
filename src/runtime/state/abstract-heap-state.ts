/** What every heap state shares: its table, the backend's key context, TTL, and namespace merging. */
import type { KeyContext } from "./key-context.ts";
import type { StateTable } from "./state-table.ts";
import { ABSENT, liveValue, TtlValue, type TtlPolicy } from "./state-ttl.ts";

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
  protected now(): number {
    return this.ttl === null ? 0 : this.ttl.clock();
  }

  /**
   * Stores a single value (value, reducing, aggregating state) over `stored`, what get() gave;
   * undefined clears. Under TTL the existing wrapper is refreshed in place.
   */
  protected writeSingle(stored: unknown, value: unknown, now: number): void {
    if (value === undefined) this.table.remove(this.ctx);
    else if (this.ttl === null) this.table.set(this.ctx, value);
    else if (stored === undefined) this.table.set(this.ctx, new TtlValue(value, now));
    else {
      (stored as TtlValue).value = value;
      (stored as TtlValue).ts = now;
    }
  }

  /**
   * Flink's mergeNamespaces for the current key: the sources' values are removed and folded
   * together, then into the target's. Expired values take no part. The current namespace is the
   * same afterwards, also when a user function throws.
   */
  protected mergeInto(target: unknown, sources: readonly unknown[], merge: (a: any, b: any) => any): void {
    const ctx = this.ctx;
    const saved = ctx.namespace;
    const now = this.now();
    try {
      let merged: unknown = ABSENT;
      for (const source of sources) {
        ctx.setNamespace(source);
        const stored = this.table.get(ctx);
        if (stored === undefined) continue;
        this.table.remove(ctx);
        const value = this.liveValue(stored, now);
        if (value !== ABSENT) merged = merged === ABSENT ? value : merge(merged, value);
      }
      if (merged === ABSENT) return;
      ctx.setNamespace(target);
      const stored = this.table.get(ctx);
      const existing = this.liveValue(stored, now);
      this.writeMerged(stored, existing === ABSENT ? merged : merge(existing, merged), now);
    } finally {
      ctx.setNamespace(saved);
    }
  }

  /** The value merging may use; list states override it to keep element timestamps. */
  protected liveValue(stored: unknown, now: number): unknown {
    return liveValue(this.ttl, stored, now);
  }

  protected writeMerged(stored: unknown, value: unknown, now: number): void {
    this.writeSingle(stored, value, now);
  }
}
