/** The current key, key group and namespace that every keyed state of a backend reads. */
import { keyToMapKey } from "../../types/key-hashing.ts";

/** What keyToMapKey returns: a value JS Maps compare the way Flink compares keys. */
export type MapKey = string | number | boolean | bigint | null | undefined;

/** Windows and timers use namespaces; plain keyed state lives in this one. Snapshots write it as null. */
export const DEFAULT_NAMESPACE = null;

/**
 * A namespace object (a window) may carry its map key under this symbol, usually cached, so that
 * switching to it costs no canonical-string building. It must equal keyToMapKey(namespace): a
 * restored snapshot holds the namespace as plain data and computes the key that way.
 */
export const NAMESPACE_KEY: unique symbol = Symbol.for("flinkts.namespaceKey");

/** The map key of a non-default namespace: its NAMESPACE_KEY when it has one, else keyToMapKey. */
export function namespaceToMapKey(namespace: unknown): MapKey {
  if (typeof namespace === "object" && namespace !== null) {
    const cached = (namespace as { [NAMESPACE_KEY]?: MapKey })[NAMESPACE_KEY];
    if (cached !== undefined) return cached;
  }
  return keyToMapKey(namespace);
}

/**
 * Shared by a backend and all its states, so that switching the key is a few field writes.
 *
 * Invariants: `mapKey === keyToMapKey(key)`, `nsKey === keyToMapKey(namespace)` unless the
 * namespace is the default one, and `version` grows on every change of key or namespace — state
 * tables use it to reuse the last lookup within one record.
 */
export class KeyContext {
  key: unknown = undefined;
  mapKey: MapKey = undefined;
  keyGroup = -1;
  /** keyGroup − range.start; -1 until a key is set. */
  kgIndex = -1;
  namespace: unknown = DEFAULT_NAMESPACE;
  nsKey: MapKey = null;
  isDefaultNamespace = true;
  version = 0;

  /** null and undefined select the default namespace. */
  setNamespace(namespace: unknown): void {
    if (namespace === this.namespace) return; // the same object: cached lookups stay valid
    if (namespace === null || namespace === undefined) {
      this.namespace = DEFAULT_NAMESPACE;
      this.nsKey = null;
      this.isDefaultNamespace = true;
    } else {
      this.namespace = namespace;
      this.nsKey = namespaceToMapKey(namespace);
      this.isDefaultNamespace = false;
    }
    this.version++;
  }
}
