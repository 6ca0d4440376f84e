/** The runtime's view of a state descriptor: what kind of state, its name, and its functions. */

/** The kinds of keyed state Flink offers; a state name is bound to one kind for its lifetime. */
export type StateKind = "value" | "list" | "map" | "reducing" | "aggregating";

/** Flink's StateTtlConfig as plain data; `updateType: "Disabled"` turns TTL off. */
export interface StateTtlConfigLike {
  ttlMs: number;
  updateType: "OnCreateAndWrite" | "OnReadAndWrite" | "Disabled";
  stateVisibility: "NeverReturnExpired" | "ReturnExpiredIfNotCleanedUp";
}

/**
 * Implemented by the API's ValueStateDescriptor, ListStateDescriptor, ... The runtime never
 * imports the API, so it reads descriptors through this shape only.
 */
export interface StateDescriptorLike {
  readonly name: string;
  readonly kind: StateKind;
  /** ValueState only: what value() returns when the state is empty. */
  readonly defaultValue?: unknown;
  /** ReducingState only: reduce(existing, added). */
  readonly reduceFunction?: (a: any, b: any) => any;
  /** AggregatingState only; `merge` is needed only when namespaces are merged (session windows). */
  readonly aggregateFunction?: {
    createAccumulator(): any;
    add(value: any, acc: any): any;
    getResult(acc: any): any;
    merge?(a: any, b: any): any;
  };
  readonly ttlConfig?: StateTtlConfigLike;
}

export const STATE_KINDS: readonly StateKind[] = ["value", "list", "map", "reducing", "aggregating"];
