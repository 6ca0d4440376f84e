/** The user-facing keyed state interfaces, as Flink's ValueState, ListState, MapState, ... */

/** One value per key (and namespace). */
export interface ValueState<T> {
  /** The current key's value, the descriptor's default value when empty, else null. */
  value(): T | null;
  /** Stores the value; null or undefined clears the state, as in Flink. */
  update(value: T): void;
  clear(): void;
}

/** A list of values per key; the list is never stored empty. */
export interface ListState<T> {
  /** The current key's elements; an empty iterable when there are none. Do not mutate it. */
  get(): Iterable<T>;
  add(value: T): void;
  addAll(values: T[]): void;
  /** Replaces the list; an empty list clears the state. */
  update(values: T[]): void;
  clear(): void;
}

/** A map per key; user keys are compared by value (composite keys by their canonical form). */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(map: Map<K, V> | Record<string, V>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  /** Fresh arrays: removing or putting while iterating them is safe. */
  entries(): Iterable<[K, V]>;
  keys(): Iterable<K>;
  values(): Iterable<V>;
  isEmpty(): boolean;
  clear(): void;
}

/** A single value per key, folded with the descriptor's reduce function. */
export interface ReducingState<T> {
  get(): T | null;
  add(value: T): void;
  clear(): void;
}

/** An accumulator per key, maintained with the descriptor's aggregate function. */
export interface AggregatingState<IN, OUT> {
  get(): OUT | null;
  add(value: IN): void;
  clear(): void;
}

/**
 * Flink's InternalMergingState: list, reducing and aggregating states also implement this, so
 * merging windows can fold the state of several namespaces into one for the current key.
 */
export interface InternalMergingState {
  mergeNamespaces(target: unknown, sources: readonly unknown[]): void;
}
