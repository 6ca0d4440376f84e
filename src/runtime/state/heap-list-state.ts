/** ListState on the heap backend: a JS array per key and namespace, never stored empty. */
import { UserError } from "../../core/errors.ts";
import { AbstractHeapState } from "./abstract-heap-state.ts";
import { ABSENT, TtlValue } from "./state-ttl.ts";
import type { InternalMergingState, ListState } from "./state-types.ts";

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Without TTL the stored array holds the user's values and get() returns it as is (Flink's heap
 * list does the same; callers must not mutate it). Under TTL it holds TtlValues, each element
 * expiring on its own as in Flink's TtlListState, and get() returns a fresh array.
 */
export class HeapListState<T> extends AbstractHeapState implements ListState<T>, InternalMergingState {
  get(): Iterable<T> {
    const stored = this.table.get(this.ctx) as unknown[] | undefined;
    if (stored === undefined) return EMPTY;
    if (this.ttl === null) return stored as T[];
    return this.readWithTtl(stored as TtlValue[]);
  }

  add(value: T): void {
    if (value === null || value === undefined) throw this.nullElement();
    const stored = this.table.get(this.ctx) as unknown[] | undefined;
    const element = this.ttl === null ? value : new TtlValue(value, this.ttl.clock());
    if (stored === undefined) this.table.set(this.ctx, [element]);
    else stored.push(element);
  }

  addAll(values: T[]): void {
    if (values === null || values === undefined || values.length === 0) return;
    const elements = this.toStored(values);
    const stored = this.table.get(this.ctx) as unknown[] | undefined;
    if (stored === undefined) this.table.set(this.ctx, elements);
    else for (const e of elements) stored.push(e);
  }

  update(values: T[]): void {
    if (values === null || values === undefined || values.length === 0) {
      this.clear();
      return;
    }
    this.table.set(this.ctx, this.toStored(values));
  }

  mergeNamespaces(target: unknown, sources: readonly unknown[]): void {
    this.mergeInto(target, sources, (a: unknown[], b: unknown[]) => a.concat(b));
  }

  /** The stored elements that merging keeps, with their own timestamps under TTL. */
  protected override liveValue(stored: unknown, now: number): unknown {
    if (stored === undefined) return ABSENT;
    const ttl = this.ttl;
    if (ttl === null) return stored;
    const live = (stored as TtlValue[]).filter((e) => !ttl.isExpired(e.ts, now));
    return live.length === 0 ? ABSENT : live;
  }

  protected override writeMerged(_stored: unknown, elements: unknown, _now: number): void {
    this.table.set(this.ctx, elements);
  }

  /** Returns the visible elements, drops expired ones, and refreshes the rest on OnReadAndWrite. */
  private readWithTtl(stored: TtlValue[]): T[] {
    const ttl = this.ttl!;
    const now = ttl.clock();
    const result: T[] = [];
    const live: TtlValue[] = [];
    for (const element of stored) {
      if (ttl.isExpired(element.ts, now)) {
        if (ttl.returnExpired) result.push(element.value as T);
      } else {
        if (ttl.updateOnRead) element.ts = now;
        live.push(element);
        result.push(element.value as T);
      }
    }
    if (live.length === 0) this.table.remove(this.ctx);
    else if (live.length !== stored.length) this.table.set(this.ctx, live);
    return result;
  }

  /** A copy in the stored form; rejects null elements as Flink does. */
  private toStored(values: T[]): unknown[] {
    const out: unknown[] = new Array(values.length);
    const now = this.ttl === null ? 0 : this.ttl.clock();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) throw this.nullElement();
      out[i] = this.ttl === null ? v : new TtlValue(v, now);
    }
    return out;
  }

  private nullElement(): UserError {
    return new UserError(`list state "${this.table.name}" cannot hold null or undefined elements`);
  }
}
