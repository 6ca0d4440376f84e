/** MapState on the heap backend: a Map per key and namespace, of [userKey, value] pairs. */
import { keyToMapKey } from "../../types/key-hashing.ts";
import { AbstractHeapState } from "./abstract-heap-state.ts";
import type { MapKey } from "./key-context.ts";
import type { MapState } from "./state-types.ts";

/** [userKey, value] without TTL; [userKey, value, lastAccess] under TTL. */
type Pair = unknown[];

/**
 * The stored Map is keyed by keyToMapKey(userKey) and keeps the user's original key in the pair,
 * so entries() and keys() give back what was put. Under TTL each pair expires on its own, as in
 * Flink's TtlMapState. Invariant: a stored Map is never empty — the entry is removed instead.
 */
export class HeapMapState<K, V> extends AbstractHeapState implements MapState<K, V> {
  get(key: K): V | undefined {
    const map = this.stored();
    if (map === undefined) return undefined;
    const mk = keyToMapKey(key);
    const pair = map.get(mk);
    if (pair === undefined || !this.visible(map, mk, pair, this.now())) return undefined;
    return pair[1] as V;
  }

  put(key: K, value: V): void {
    const mk = keyToMapKey(key);
    const map = this.stored();
    const now = this.now();
    if (map === undefined) {
      this.table.set(this.ctx, new Map([[mk, this.newPair(key, value, now)]]));
      return;
    }
    const pair = map.get(mk);
    if (pair === undefined) {
      map.set(mk, this.newPair(key, value, now));
    } else {
      pair[1] = value;
      if (this.ttl !== null) pair[2] = now;
    }
  }

  putAll(map: Map<K, V> | Record<string, V>): void {
    const pairs = map instanceof Map ? map.entries() : Object.entries(map);
    for (const [k, v] of pairs) this.put(k as K, v);
  }

  remove(key: K): void {
    const map = this.stored();
    if (map === undefined) return;
    if (map.delete(keyToMapKey(key)) && map.size === 0) this.table.remove(this.ctx);
  }

  contains(key: K): boolean {
    const map = this.stored();
    if (map === undefined) return false;
    const mk = keyToMapKey(key);
    const pair = map.get(mk);
    return pair !== undefined && this.visible(map, mk, pair, this.now());
  }

  entries(): Iterable<[K, V]> {
    return this.collect((pair) => [pair[0] as K, pair[1] as V]);
  }

  keys(): Iterable<K> {
    return this.collect((pair) => pair[0] as K);
  }

  values(): Iterable<V> {
    return this.collect((pair) => pair[1] as V);
  }

  isEmpty(): boolean {
    const map = this.stored();
    if (map === undefined) return true;
    if (this.ttl === null) return false;
    const now = this.now();
    for (const [mk, pair] of map) if (this.visible(map, mk, pair, now)) return false;
    return true;
  }

  private collect<R>(project: (pair: Pair) => R): R[] {
    const map = this.stored();
    if (map === undefined) return [];
    const out: R[] = [];
    const now = this.now();
    for (const [mk, pair] of map) if (this.visible(map, mk, pair, now)) out.push(project(pair));
    return out;
  }

  /** Applies TTL to one pair: removes it when expired, refreshes it on OnReadAndWrite. */
  private visible(map: Map<MapKey, Pair>, mk: MapKey, pair: Pair, now: number): boolean {
    const ttl = this.ttl;
    if (ttl === null) return true;
    if (ttl.isExpired(pair[2] as number, now)) {
      map.delete(mk);
      if (map.size === 0) this.table.remove(this.ctx);
      return ttl.returnExpired;
    }
    if (ttl.updateOnRead) pair[2] = now;
    return true;
  }

  private newPair(key: K, value: V, now: number): Pair {
    return this.ttl === null ? [key, value] : [key, value, now];
  }

  private stored(): Map<MapKey, Pair> | undefined {
    return this.table.get(this.ctx) as Map<MapKey, Pair> | undefined;
  }
}
