/** The heap keyed state backend (Flink's HeapKeyedStateBackend): keyed state in JS Maps per key group. */
import { engineNow } from "../../core/clock.ts";
import { checkState, InternalError, UserError } from "../../core/errors.ts";
import { keyToMapKey } from "../../types/key-hashing.ts";
import { HeapAggregatingState } from "./heap-aggregating-state.ts";
import { HeapListState } from "./heap-list-state.ts";
import { HeapMapState } from "./heap-map-state.ts";
import { HeapReducingState } from "./heap-reducing-state.ts";
import { HeapValueState } from "./heap-value-state.ts";
import { KeyContext } from "./key-context.ts";
import type { KeyGroupRangeLike } from "./key-group-range-assignment.ts";
import { readSnapshots, writeSnapshot, type KeyedStateSnapshot } from "./keyed-state-snapshot.ts";
import { STATE_KINDS, type StateDescriptorLike, type StateKind } from "./state-descriptor.ts";
import { StateTable } from "./state-table.ts";
import { convertTtlFormat, TtlPolicy } from "./state-ttl.ts";

export type { KeyGroupRangeLike } from "./key-group-range-assignment.ts";
export type { KeyedStateSnapshot, KeyGroupSnapshot, SnapshotEntry, StateSnapshot } from "./keyed-state-snapshot.ts";

/**
 * Keyed state of one operator subtask, for the key groups in its range.
 *
 * Threading: used only from its task's mailbox thread; no locks.
 * Current key: setCurrentKey is called once per record with the key group the caller computed;
 * every state object acts on that key and the current namespace (default until set).
 * Lifecycle: construct or restore(), getPartitionedState as operators open, snapshot() at
 * checkpoints (synchronous; the result shares the user's values), dispose() at the end.
 * Invariants: one table and one state object per state name, and a name keeps its kind.
 */
export class KeyedStateBackend {
  private readonly ctx = new KeyContext();
  private readonly start: number;
  private readonly numKeyGroups: number;
  private readonly tables = new Map<string, StateTable>();
  private readonly states = new Map<string, { kind: StateKind; state: unknown }>();
  private disposed = false;

  constructor(
    readonly keyGroupRange: KeyGroupRangeLike,
    readonly maxParallelism: number,
    private readonly clock: () => number = engineNow,
  ) {
    const { start, end } = keyGroupRange;
    checkState(Number.isInteger(maxParallelism) && maxParallelism >= 1, `maxParallelism must be a positive integer, got ${maxParallelism}`);
    checkState(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end < maxParallelism && end >= start - 1, `key group range [${start}, ${end}] is not within [0, ${maxParallelism - 1}]`);
    this.start = start;
    this.numKeyGroups = end - start + 1;
  }

  /** Builds a backend from the snapshots of one or many old subtasks, keeping only key groups in the new range. */
  static restore(snapshots: readonly KeyedStateSnapshot[], keyGroupRange: KeyGroupRangeLike, maxParallelism: number, clock?: () => number): KeyedStateBackend {
    const backend = new KeyedStateBackend(keyGroupRange, maxParallelism, clock);
    const tableFor = (name: string, kind: StateKind, ttl: boolean) => {
      const table = backend.tables.get(name);
      if (table === undefined) return backend.createTable(name, kind, ttl);
      if (table.kind !== kind) throw new UserError(`state "${name}" is ${article(table.kind)} state in one snapshot and ${article(kind)} state in another`);
      return table;
    };
    readSnapshots(snapshots, backend.start, backend.numKeyGroups, maxParallelism, tableFor, backend.clock());
    return backend;
  }

  /** The hot path: a range check and a few field writes. */
  setCurrentKey(key: unknown, keyGroup: number): void {
    const kgIndex = keyGroup - this.start;
    if (kgIndex >>> 0 !== kgIndex || kgIndex >= this.numKeyGroups) throw this.outOfRange(keyGroup);
    const ctx = this.ctx;
    ctx.key = key;
    ctx.mapKey = keyToMapKey(key);
    ctx.keyGroup = keyGroup;
    ctx.kgIndex = kgIndex;
    ctx.version++;
  }

  getCurrentKey(): unknown {
    return this.ctx.key;
  }

  getCurrentKeyGroup(): number {
    return this.ctx.keyGroup;
  }

  /** Selects the namespace (a window) that states act on; null or undefined selects the default one. */
  setCurrentNamespace(namespace: unknown): void {
    this.ctx.setNamespace(namespace);
  }

  getCurrentNamespace(): unknown {
    return this.ctx.namespace;
  }

  /** The state object for a descriptor, created on first use; the same object for the same name. */
  getPartitionedState<S>(descriptor: StateDescriptorLike): S {
    checkState(!this.disposed, `state "${descriptor?.name}" was requested from a disposed keyed state backend`);
    const existing = this.states.get(descriptor.name);
    if (existing !== undefined) {
      if (existing.kind !== descriptor.kind) throw kindMismatch(descriptor.name, existing.kind, descriptor.kind);
      return existing.state as S;
    }
    validate(descriptor);
    const { name, kind } = descriptor;
    const ttl = TtlPolicy.of(descriptor.ttlConfig, name, this.clock);
    let table = this.tables.get(name);
    if (table === undefined) table = this.createTable(name, kind, ttl !== null);
    else if (table.kind !== kind) throw kindMismatch(name, table.kind, kind);
    this.bindTtl(table, ttl);
    const state = this.createState(descriptor, table, ttl);
    this.states.set(name, { kind, state });
    return state as S;
  }

  /** The keys with state under `stateName` in the default namespace (entries not yet expired by TTL included). */
  getKeys(stateName: string): Iterable<unknown> {
    return this.tables.get(stateName)?.keys() ?? [];
  }

  /** Entries over all states, keys and namespaces. */
  numKeyValueStateEntries(): number {
    let n = 0;
    for (const table of this.tables.values()) n += table.size();
    return n;
  }

  snapshot(): KeyedStateSnapshot {
    checkState(!this.disposed, "snapshot() of a disposed keyed state backend");
    return writeSnapshot(this.tables.values(), this.start, this.numKeyGroups, this.maxParallelism, this.clock());
  }

  dispose(): void {
    for (const table of this.tables.values()) table.clearAll();
    this.tables.clear();
    this.states.clear();
    this.disposed = true;
  }

  private createTable(name: string, kind: StateKind, ttlFormat: boolean): StateTable {
    const table = new StateTable(name, kind, this.numKeyGroups, ttlFormat);
    this.tables.set(name, table);
    return table;
  }

  /** Attaches the TTL policy, converting restored entries when the state gained or lost TTL. */
  private bindTtl(table: StateTable, ttl: TtlPolicy | null): void {
    table.ttl = ttl;
    const toTtl = ttl !== null;
    if (table.ttlFormat === toTtl) return;
    const now = this.clock();
    for (let i = 0; i < this.numKeyGroups; i++) {
      table.forEachInKeyGroup(i, (_key, _namespace, stored) => convertTtlFormat(table.kind, stored, toTtl, now));
    }
    table.ttlFormat = toTtl;
  }

  private createState(d: StateDescriptorLike, table: StateTable, ttl: TtlPolicy | null): unknown {
    const ctx = this.ctx;
    switch (d.kind) {
      case "value":
        return new HeapValueState(ctx, table, ttl, d.defaultValue ?? null);
      case "list":
        return new HeapListState(ctx, table, ttl);
      case "map":
        return new HeapMapState(ctx, table, ttl);
      case "reducing":
        return new HeapReducingState(ctx, table, ttl, d.reduceFunction!);
      case "aggregating":
        return new HeapAggregatingState(ctx, table, ttl, d.aggregateFunction!);
    }
    throw new InternalError(`unhandled state kind ${String(d.kind)}`);
  }

  private outOfRange(keyGroup: number): InternalError {
    const end = this.start + this.numKeyGroups - 1;
    return new InternalError(`key group ${keyGroup} is not in this backend's range [${this.start}, ${end}]`);
  }
}

function validate(d: StateDescriptorLike): void {
  if (typeof d.name !== "string" || d.name.length === 0) throw new UserError("a state descriptor needs a non-empty name");
  if (!STATE_KINDS.includes(d.kind)) throw new UserError(`state "${d.name}" has unknown kind ${String(d.kind)}; expected one of ${STATE_KINDS.join(", ")}`);
  if (d.kind === "reducing" && typeof d.reduceFunction !== "function") throw new UserError(`reducing state "${d.name}" needs a reduce function`);
  const agg = d.aggregateFunction;
  if (d.kind === "aggregating" && (agg === undefined || typeof agg.createAccumulator !== "function" || typeof agg.add !== "function" || typeof agg.getResult !== "function")) {
    throw new UserError(`aggregating state "${d.name}" needs an aggregate function with createAccumulator, add and getResult`);
  }
}

function kindMismatch(name: string, registered: StateKind, requested: StateKind): UserError {
  return new UserError(`state "${name}" is already registered as ${article(registered)} state and cannot be registered again as ${article(requested)} state`);
}

function article(kind: StateKind): string {
  return `${kind === "aggregating" ? "an" : "a"} ${kind}`;
}
