/** The heap backend's snapshot format (plain data, per key group) and its writing and reading. */
import { UserError } from "../../core/errors.ts";
import { keyToMapKey } from "../../types/key-hashing.ts";
import type { MapKey } from "./key-context.ts";
import { STATE_KINDS, type StateKind } from "./state-descriptor.ts";
import { REMOVE, type StateTable } from "./state-table.ts";
import { purgeExpired, TtlValue } from "./state-ttl.ts";

/**
 * `[key, namespace, value]`, plus `lastAccess` when the state has TTL. The namespace is null for
 * the default one. Values: the user's value (value, reducing), the accumulator (aggregating), an
 * array (list), an array of [userKey, value] pairs (map). `lastAccess` is a number, or one
 * number per element for list and map states.
 */
export type SnapshotEntry = [key: unknown, namespace: unknown, value: unknown] | [key: unknown, namespace: unknown, value: unknown, lastAccess: number | number[]];

/** One state's entries within one key group; `ttl: true` when entries carry lastAccess. */
export interface StateSnapshot {
  kind: StateKind;
  ttl?: true;
  entries: SnapshotEntry[];
}

export type KeyGroupSnapshot = { [stateName: string]: StateSnapshot };

/**
 * Keyed state of one backend. Only arrays, plain objects, primitives and the user's own values
 * (by reference: serialize it before the state changes again), so it survives msgpack and
 * structuredClone. Key groups and states without entries are left out.
 */
export interface KeyedStateSnapshot {
  maxParallelism: number;
  keyGroups: { [keyGroup: number]: KeyGroupSnapshot };
}

/** Writes the tables' key groups [start, start + count); expired TTL entries are dropped from the state too. */
export function writeSnapshot(tables: Iterable<StateTable>, start: number, count: number, maxParallelism: number, now: number): KeyedStateSnapshot {
  const keyGroups: { [keyGroup: number]: KeyGroupSnapshot } = {};
  const all = [...tables];
  for (let i = 0; i < count; i++) {
    let group: KeyGroupSnapshot | undefined;
    for (const table of all) {
      const entries: SnapshotEntry[] = [];
      const { kind, ttl, ttlFormat } = table;
      table.forEachInKeyGroup(i, (key, namespace, stored) => {
        const kept = ttl === null ? stored : purgeExpired(ttl, kind, stored, now);
        if (kept !== REMOVE) entries.push(encodeEntry(kind, ttlFormat, key, namespace, kept));
        return kept;
      });
      if (entries.length === 0) continue;
      group ??= keyGroups[start + i] = {};
      group[table.name] = ttlFormat ? { kind, ttl: true, entries } : { kind, entries };
    }
  }
  return { maxParallelism, keyGroups };
}

/**
 * Loads the key groups in [start, start + count) from any number of snapshots — the old
 * subtasks' snapshots when rescaling. `tableFor` returns the table to fill for a state name.
 */
export function readSnapshots(
  snapshots: readonly KeyedStateSnapshot[],
  start: number,
  count: number,
  maxParallelism: number,
  tableFor: (name: string, kind: StateKind, ttl: boolean) => StateTable,
  now: number,
): void {
  const seen = new Set<number>();
  for (const snapshot of snapshots) {
    if (snapshot.maxParallelism !== maxParallelism) {
      throw new UserError(`cannot restore keyed state written with maxParallelism ${snapshot.maxParallelism} into maxParallelism ${maxParallelism}; the max parallelism of a stateful operator must not change`);
    }
    for (const kgText of Object.keys(snapshot.keyGroups)) {
      const kg = Number(kgText);
      if (kg < start || kg >= start + count) continue;
      if (seen.has(kg)) throw new UserError(`key group ${kg} appears in more than one of the snapshots being restored`);
      seen.add(kg);
      const group = snapshot.keyGroups[kg]!;
      for (const name of Object.keys(group)) {
        const state = group[name]!;
        if (!STATE_KINDS.includes(state.kind)) throw new UserError(`state "${name}" in key group ${kg} has unknown kind ${String(state.kind)}`);
        const table = tableFor(name, state.kind, state.ttl === true);
        for (const e of state.entries) {
          const [key, namespace, value] = e;
          if (value === undefined) continue; // never written by a snapshot; undefined would read as empty
          const nsKey: MapKey = namespace === null || namespace === undefined ? null : keyToMapKey(namespace);
          const ts = e.length > 3 ? e[3] : undefined;
          table.restore(kg - start, key, keyToMapKey(key), namespace, nsKey, decodeValue(state.kind, table.ttlFormat, value, ts, now));
        }
      }
    }
  }
}

function encodeEntry(kind: StateKind, ttlFormat: boolean, key: unknown, namespace: unknown, value: any): SnapshotEntry {
  if (kind === "list") {
    if (!ttlFormat) return [key, namespace, (value as unknown[]).slice()];
    return [key, namespace, (value as TtlValue[]).map((e) => e.value), (value as TtlValue[]).map((e) => e.ts)];
  }
  if (kind === "map") {
    const pairs = [...(value as Map<MapKey, unknown[]>).values()];
    const plain = pairs.map((p) => [p[0], p[1]]);
    return ttlFormat ? [key, namespace, plain, pairs.map((p) => p[2] as number)] : [key, namespace, plain];
  }
  return ttlFormat ? [key, namespace, (value as TtlValue).value, (value as TtlValue).ts] : [key, namespace, value];
}

/** The stored form of a snapshot value; timestamps missing from a TTL state's entry become `now`. */
function decodeValue(kind: StateKind, ttlFormat: boolean, value: unknown, ts: number | number[] | undefined, now: number): unknown {
  const at = (i: number) => (Array.isArray(ts) ? (ts[i] ?? now) : now);
  if (kind === "list") {
    const values = value as unknown[];
    return ttlFormat ? values.map((v, i) => new TtlValue(v, at(i))) : values.slice();
  }
  if (kind === "map") {
    const pairs = value as unknown[][];
    return new Map(pairs.map((p, i) => [keyToMapKey(p[0]), ttlFormat ? [p[0], p[1], at(i)] : [p[0], p[1]]]));
  }
  if (!ttlFormat) return value;
  return new TtlValue(value, typeof ts === "number" ? ts : now);
}
