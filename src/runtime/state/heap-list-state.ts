/** ListState on the heap backend: a JS array per key and namespace, never stored empty. */
import { UserError } from "../../core/errors.ts";
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { StateEntry } from "./state-table.ts";
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
    const entry = this.table.get(this.ctx);
    if (entry === undefined) return EMPTY;
    if (this.ttl === null) return entry.value as T[];
    return this.readWithTtl(entry);
  }

  add(value: T): void {
    if (value === null || value === undefined) throw this.nullElement();
    const entry = this.table.get(this.ctx);
    const stored = this.ttl === null ? value : new TtlValue(value, this.ttl.clock());
    if (entry === undefined) this.table.insert(this.ctx, [stored], 0);
    else (entry.value as unknown[]).push(stored);
  }

  addAll(values: T[]): void {
    if (values === null || values === undefined || values.length === 0) return;
    const stored = this.toStored(values);
    const entry = this.table.get(this.ctx);
    if (entry === undefined) this.table.insert(this.ctx, stored, 0);
    else for (const v of stored) (entry.value as unknown[]).push(v);
  }

  update(values: T[]): void {
    if (values === null || values === undefined || values.length === 0) {
      this.clear();
      return;
    }
    const stored = this.toStored(values);
    const entry = this.table.get(this.ctx);
    if (entry === undefined) this.table.insert(this.ctx, stored, 0);
    else entry.value = stored;
  }

  mergeNamespaces(target: unknown, sources: readonly unknown[]): void {
    this.mergeStored(target, sources, (a: unknown[], b: unknown[]) => a.concat(b));
  }

  protected override liveStored(entry: StateEntry | undefined, now: number): unknown {
    if (entry === undefined) return ABSENT;
    if (this.ttl === null) return entry.value;
    const ttl = this.ttl;
    const live = (entry.value as TtlValue[]).filter((e) => !ttl.isExpired(e.ts, now));
    return live.length === 0 ? ABSENT : live;
  }

  /** Returns the visible elements, drops expired ones, and refreshes the rest on OnReadAndWrite. */
  private readWithTtl(entry: StateEntry): T[] {
    const ttl = this.ttl!;
    const now = ttl.clock();
    const stored = entry.value as TtlValue[];
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
    else if (live.length !== stored.length) entry.value = live;
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
