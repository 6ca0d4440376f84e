/** Storage of one named keyed state: per key group, per namespace, per key (Flink's StateTable). */
import { checkState } from "../../core/errors.ts";
import type { KeyContext, MapKey } from "./key-context.ts";
import type { StateKind } from "./state-descriptor.ts";
import type { TtlPolicy } from "./state-ttl.ts";

/** Returned by a forEachInKeyGroup visitor to remove the entry. */
export const REMOVE: unique symbol = Symbol("remove");

/**
 * The entries of one namespace in one key group: stored values by keyToMapKey(key). Keys whose
 * map key is not the key itself (tuples, rows) keep their original in `originalKeys`, so that
 * snapshots and getKeys give back what the user keyed by.
 */
class KeyedEntries {
  readonly values = new Map<MapKey, unknown>();
  originalKeys: Map<MapKey, unknown> | undefined = undefined;
  constructor(readonly namespace: unknown) {}

  keyOf(mapKey: MapKey): unknown {
    return this.originalKeys === undefined ? mapKey : (this.originalKeys.get(mapKey) ?? mapKey);
  }
}

/**
 * Stored values: the user's value (value, reducing), the accumulator (aggregating), a JS array
 * (list) or a Map of [userKey, value] pairs (map) — wrapped in TtlValue, or with per-element
 * timestamps, when `ttlFormat` is set (see state-ttl.ts). undefined is never stored.
 *
 * Invariants:
 * - Index i of both arrays holds key group range.start + i; entries are created on first write.
 * - The default namespace lives in `defaultNs`, reached with no namespace lookup; others in
 *   `otherNs`, and a namespace with no entries left is dropped (windows come and go).
 * - `cacheEntries` is what the lookup for context version `cacheVersion` resolved to; every
 *   drop of a KeyedEntries goes through this class and invalidates it.
 * - `originalKeys` has an entry exactly for the stored keys whose map key differs from the key.
 */
export class StateTable {
  ttl: TtlPolicy | null = null;
  private readonly defaultNs: (KeyedEntries | undefined)[];
  private readonly otherNs: (Map<MapKey, KeyedEntries> | undefined)[];
  private cacheVersion = -1;
  private cacheEntries: KeyedEntries | undefined = undefined;

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    numKeyGroups: number,
    public ttlFormat: boolean,
  ) {
    this.defaultNs = new Array(numKeyGroups).fill(undefined);
    this.otherNs = new Array(numKeyGroups).fill(undefined);
  }

  /** The stored value of the context's key and namespace; undefined when there is none. */
  get(ctx: KeyContext): unknown {
    const entries = this.entriesOf(ctx);
    return entries === undefined ? undefined : entries.values.get(ctx.mapKey);
  }

  set(ctx: KeyContext, stored: unknown): void {
    let entries = this.entriesOf(ctx);
    if (entries === undefined) {
      checkState(ctx.kgIndex >= 0, `state "${this.name}" was accessed before a current key was set`);
      this.cacheEntries = entries = this.create(ctx.kgIndex, ctx.namespace, ctx.nsKey);
    }
    entries.values.set(ctx.mapKey, stored);
    if (ctx.key !== ctx.mapKey) (entries.originalKeys ??= new Map()).set(ctx.mapKey, ctx.key);
  }

  remove(ctx: KeyContext): void {
    const entries = this.entriesOf(ctx);
    if (entries === undefined || !entries.values.delete(ctx.mapKey)) return;
    entries.originalKeys?.delete(ctx.mapKey);
    if (!ctx.isDefaultNamespace && entries.values.size === 0) {
      this.otherNs[ctx.kgIndex]!.delete(ctx.nsKey);
      this.cacheEntries = undefined;
    }
  }

  /** Restores one entry of key group range.start + kgIndex. */
  restore(kgIndex: number, key: unknown, mapKey: MapKey, namespace: unknown, nsKey: MapKey, stored: unknown): void {
    const entries = this.entriesAt(kgIndex, namespace, nsKey) ?? this.create(kgIndex, namespace, nsKey);
    entries.values.set(mapKey, stored);
    if (key !== mapKey) (entries.originalKeys ??= new Map()).set(mapKey, key);
    this.invalidateCache();
  }

  /**
   * Visits every entry of one key group, default namespace (null) first. The visitor returns
   * the value to keep — the same or a replacement — or REMOVE.
   */
  forEachInKeyGroup(kgIndex: number, visit: (key: unknown, namespace: unknown, stored: any) => unknown): void {
    const own = this.defaultNs[kgIndex];
    if (own !== undefined) this.visitEntries(own, visit);
    const namespaces = this.otherNs[kgIndex];
    if (namespaces !== undefined) {
      for (const [nsKey, entries] of namespaces) {
        this.visitEntries(entries, visit);
        if (entries.values.size === 0) namespaces.delete(nsKey);
      }
    }
    this.invalidateCache();
  }

  /** The keys with an entry in the default namespace. */
  keys(): unknown[] {
    const out: unknown[] = [];
    for (const entries of this.defaultNs) if (entries !== undefined) for (const mk of entries.values.keys()) out.push(entries.keyOf(mk));
    return out;
  }

  size(): number {
    let n = 0;
    for (const entries of this.defaultNs) if (entries !== undefined) n += entries.values.size;
    for (const namespaces of this.otherNs) if (namespaces !== undefined) for (const entries of namespaces.values()) n += entries.values.size;
    return n;
  }

  clearAll(): void {
    this.defaultNs.fill(undefined);
    this.otherNs.fill(undefined);
    this.invalidateCache();
  }

  private invalidateCache(): void {
    this.cacheVersion = -1;
    this.cacheEntries = undefined;
  }

  private entriesOf(ctx: KeyContext): KeyedEntries | undefined {
    if (this.cacheVersion === ctx.version) return this.cacheEntries;
    const entries = ctx.isDefaultNamespace ? this.defaultNs[ctx.kgIndex] : this.otherNs[ctx.kgIndex]?.get(ctx.nsKey);
    this.cacheVersion = ctx.version;
    this.cacheEntries = entries;
    return entries;
  }

  private entriesAt(kgIndex: number, namespace: unknown, nsKey: MapKey): KeyedEntries | undefined {
    return namespace === null || namespace === undefined ? this.defaultNs[kgIndex] : this.otherNs[kgIndex]?.get(nsKey);
  }

  private create(kgIndex: number, namespace: unknown, nsKey: MapKey): KeyedEntries {
    if (namespace === null || namespace === undefined) return (this.defaultNs[kgIndex] = new KeyedEntries(null));
    const entries = new KeyedEntries(namespace);
    (this.otherNs[kgIndex] ??= new Map()).set(nsKey, entries);
    return entries;
  }

  private visitEntries(entries: KeyedEntries, visit: (key: unknown, namespace: unknown, stored: any) => unknown): void {
    for (const [mk, stored] of entries.values) {
      const kept = visit(entries.keyOf(mk), entries.namespace, stored);
      if (kept === REMOVE) {
        entries.values.delete(mk);
        entries.originalKeys?.delete(mk);
      } else if (kept !== stored) {
        entries.values.set(mk, kept);
      }
    }
  }
}
