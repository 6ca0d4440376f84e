/** Storage of one named keyed state: per key group, per namespace, per key (Flink's StateTable). */
import { checkState } from "../../core/errors.ts";
import type { KeyContext, MapKey } from "./key-context.ts";
import type { StateKind } from "./state-descriptor.ts";
import type { TtlPolicy } from "./state-ttl.ts";

/**
 * One key's state in one namespace. `value` is the stored form: the user's value, a JS array
 * (list), a Map of [userKey, value] pairs (map), or an accumulator. `ts` is the last-access
 * time under TTL, else 0. Entries are updated in place, so a write after a read costs no lookup.
 */
export class StateEntry {
  constructor(
    readonly key: unknown,
    public value: any,
    public ts: number,
  ) {}
}

/** The entries of one non-default namespace in one key group. */
class NamespaceEntries {
  readonly entries = new Map<MapKey, StateEntry>();
  constructor(readonly namespace: unknown) {}
}

/**
 * Invariants:
 * - Index i of both arrays holds key group range.start + i; the Maps are created on first write.
 * - The default namespace lives in `defaultNs` with no namespace lookup; other namespaces in
 *   `otherNs`, and a namespace with no entries left is dropped (windows come and go).
 * - `cacheEntry` is the lookup result for context version `cacheVersion`; every removal goes
 *   through this class and updates or invalidates it, so a cached entry is never stale.
 * - `ttlFormat`: list elements are TtlValues and map pairs carry a third timestamp element.
 */
export class StateTable {
  ttl: TtlPolicy | null = null;
  private readonly defaultNs: (Map<MapKey, StateEntry> | undefined)[];
  private readonly otherNs: (Map<MapKey, NamespaceEntries> | undefined)[];
  private cacheVersion = -1;
  private cacheEntry: StateEntry | undefined = undefined;

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    numKeyGroups: number,
    public ttlFormat: boolean,
  ) {
    this.defaultNs = new Array(numKeyGroups).fill(undefined);
    this.otherNs = new Array(numKeyGroups).fill(undefined);
  }

  /** The entry of the context's key and namespace, if any. */
  get(ctx: KeyContext): StateEntry | undefined {
    if (this.cacheVersion === ctx.version) return this.cacheEntry;
    const map = ctx.isDefaultNamespace ? this.defaultNs[ctx.kgIndex] : this.otherNs[ctx.kgIndex]?.get(ctx.nsKey)?.entries;
    const entry = map === undefined ? undefined : map.get(ctx.mapKey);
    this.cacheVersion = ctx.version;
    this.cacheEntry = entry;
    return entry;
  }

  /** Adds an entry for the context's key and namespace, which must have none. */
  insert(ctx: KeyContext, value: unknown, ts: number): StateEntry {
    checkState(ctx.kgIndex >= 0, `state "${this.name}" was accessed before a current key was set`);
    const entry = new StateEntry(ctx.key, value, ts);
    this.entriesFor(ctx.kgIndex, ctx.nsKey, ctx.namespace, ctx.isDefaultNamespace).set(ctx.mapKey, entry);
    this.cacheVersion = ctx.version;
    this.cacheEntry = entry;
    return entry;
  }

  remove(ctx: KeyContext): void {
    const kg = ctx.kgIndex;
    if (ctx.isDefaultNamespace) {
      this.defaultNs[kg]?.delete(ctx.mapKey);
    } else {
      const namespaces = this.otherNs[kg];
      const ns = namespaces?.get(ctx.nsKey);
      if (ns !== undefined && ns.entries.delete(ctx.mapKey) && ns.entries.size === 0) namespaces!.delete(ctx.nsKey);
    }
    this.cacheVersion = ctx.version;
    this.cacheEntry = undefined;
  }

  /** Restores one entry; `ts` as stored in the snapshot. */
  restore(kgIndex: number, key: unknown, mapKey: MapKey, namespace: unknown, nsKey: MapKey, value: unknown, ts: number): void {
    const isDefault = namespace === null || namespace === undefined;
    this.entriesFor(kgIndex, nsKey, namespace, isDefault).set(mapKey, new StateEntry(key, value, ts));
    this.invalidateCache();
  }

  /**
   * Visits every entry of one key group; when `visit` returns true the entry is removed.
   * The namespace passed for the default namespace is null.
   */
  forEachInKeyGroup(kgIndex: number, visit: (entry: StateEntry, namespace: unknown) => boolean | void): void {
    const own = this.defaultNs[kgIndex];
    if (own !== undefined) {
      for (const [mk, entry] of own) if (visit(entry, null) === true) own.delete(mk);
    }
    const namespaces = this.otherNs[kgIndex];
    if (namespaces !== undefined) {
      for (const [nsKey, ns] of namespaces) {
        for (const [mk, entry] of ns.entries) if (visit(entry, ns.namespace) === true) ns.entries.delete(mk);
        if (ns.entries.size === 0) namespaces.delete(nsKey);
      }
    }
    this.invalidateCache();
  }

  /** The keys with an entry in the default namespace. */
  keys(): unknown[] {
    const out: unknown[] = [];
    for (const map of this.defaultNs) if (map !== undefined) for (const entry of map.values()) out.push(entry.key);
    return out;
  }

  size(): number {
    let n = 0;
    for (const map of this.defaultNs) if (map !== undefined) n += map.size;
    for (const namespaces of this.otherNs) if (namespaces !== undefined) for (const ns of namespaces.values()) n += ns.entries.size;
    return n;
  }

  numKeyGroups(): number {
    return this.defaultNs.length;
  }

  clearAll(): void {
    this.defaultNs.fill(undefined);
    this.otherNs.fill(undefined);
    this.invalidateCache();
  }

  invalidateCache(): void {
    this.cacheVersion = -1;
    this.cacheEntry = undefined;
  }

  private entriesFor(kgIndex: number, nsKey: MapKey, namespace: unknown, isDefault: boolean): Map<MapKey, StateEntry> {
    if (isDefault) {
      let map = this.defaultNs[kgIndex];
      if (map === undefined) this.defaultNs[kgIndex] = map = new Map();
      return map;
    }
    let namespaces = this.otherNs[kgIndex];
    if (namespaces === undefined) this.otherNs[kgIndex] = namespaces = new Map();
    let ns = namespaces.get(nsKey);
    if (ns === undefined) namespaces.set(nsKey, (ns = new NamespaceEntries(namespace)));
    return ns.entries;
  }
}
