/**
 * What the DataSet optimizer knows about each transformation beyond the graph itself: size
 * estimates of sources, the keys records are grouped, joined and partitioned by, the binary
 * operators whose strategies it picks, and fields operators are declared to keep. The API layer
 * records these as the program is built; the optimizer reads them at translation.
 */
import type { Transformation } from "../transformation.ts";

/** An estimate: undefined where nothing is known (Flink's -1). */
export interface Estimate {
  rows?: number;
  bytes?: number;
}

/** Flink's JoinHint: which ship and local strategy a join uses, or the optimizer's choice. */
export const JoinHint = {
  OPTIMIZER_CHOOSES: "OPTIMIZER_CHOOSES",
  BROADCAST_HASH_FIRST: "BROADCAST_HASH_FIRST",
  BROADCAST_HASH_SECOND: "BROADCAST_HASH_SECOND",
  REPARTITION_HASH_FIRST: "REPARTITION_HASH_FIRST",
  REPARTITION_HASH_SECOND: "REPARTITION_HASH_SECOND",
  REPARTITION_SORT_MERGE: "REPARTITION_SORT_MERGE",
} as const;
export type JoinHint = (typeof JoinHint)[keyof typeof JoinHint];

/** Flink's CrossHint: which side is small enough to be broadcast. */
export const CrossHint = {
  OPTIMIZER_CHOOSES: "OPTIMIZER_CHOOSES",
  FIRST_IS_SMALL: "FIRST_IS_SMALL",
  SECOND_IS_SMALL: "SECOND_IS_SMALL",
} as const;
export type CrossHint = (typeof CrossHint)[keyof typeof CrossHint];

export type OuterJoinType = "left" | "right" | "full";

/** How records reach one input of a binary operator: as they are, hashed on its key, or all to every subtask. */
export type ShipStrategy = "forward" | "hash" | "broadcast";

/** The local strategy of a join, coGroup or cross, as the runtime operators take it. */
export type JoinStrategy = "hash-build-first" | "hash-build-second" | "sort-merge";

/**
 * The optimizer's choice for a binary operator, written at translation and read by the
 * operator factory when tasks create the operator (after their own translation of the program).
 */
export interface BinaryChoice {
  ship: [ShipStrategy, ShipStrategy];
  local: JoinStrategy | "nested-loop-block-first" | "nested-loop-block-second";
}

/** A binary operator whose strategies the optimizer picks. */
export interface BinaryInfo {
  kind: "join" | "cogroup" | "cross";
  outer?: OuterJoinType;
  hint: JoinHint | CrossHint;
  /** The keys of each input (joins and coGroups). */
  keys?: [KeyInfo, KeyInfo];
  /** The partition transformations between each input and the operator, whose partitioner the optimizer sets. */
  ships: [Transformation, Transformation];
  choice: BinaryChoice;
}

/** A key as the optimizer compares them: `id` is equal for keys that extract the same value from the same records. */
export interface KeyInfo {
  id: string;
  selector: (value: any) => unknown;
}

const sources = new WeakMap<Transformation, () => Estimate>();
const binaries = new WeakMap<Transformation, BinaryInfo>();
const keyIds = new WeakMap<object, string>();
const selectorIds = new WeakMap<object, number>();
const forwarded = new WeakMap<Transformation, Map<string, string>>();
const sortedOutputs = new WeakMap<Transformation, string>();
const rangePartitions = new WeakMap<Transformation, string>();
let nextSelectorId = 1;

export function registerSourceEstimate(t: Transformation, estimate: () => Estimate): void {
  sources.set(t, estimate);
}
export function sourceEstimate(t: Transformation): (() => Estimate) | undefined {
  return sources.get(t);
}

export function registerBinary(t: Transformation, info: BinaryInfo): void {
  binaries.set(t, info);
}
export function binaryInfo(t: Transformation): BinaryInfo | undefined {
  return binaries.get(t);
}

/** The identity of a key selector function: its own object, numbered on first sight. */
export function selectorIdentity(f: object): string {
  let n = selectorIds.get(f);
  if (n === undefined) selectorIds.set(f, (n = nextSelectorId++));
  return `selector#${n}`;
}

/** Records that `selector` extracts the key `id` (groupBy, distinct, partitionByHash, joins). */
export function registerKey(selector: (value: any) => unknown, id: string): KeyInfo {
  keyIds.set(selector, id);
  return { id, selector };
}

/** The key id of a selector a partition transformation hashes by; selectors never registered get their own. */
export function keyIdOf(selector: (value: never) => unknown): string {
  return keyIds.get(selector) ?? selectorIdentity(selector);
}

/** Declares that `t` copies input field `from` to output field `to` unchanged (Flink's forwarded fields). */
export function registerForwardedFields(t: Transformation, pairs: [string, string][]): void {
  const m = forwarded.get(t) ?? new Map<string, string>();
  for (const [from, to] of pairs) m.set(from, to);
  forwarded.set(t, m);
}
export function forwardedFields(t: Transformation): Map<string, string> | undefined {
  return forwarded.get(t);
}

/** Records that `t` emits each partition sorted on a key (sortPartition): `order` names it, e.g. "[0]:ASCENDING". */
export function registerSortedOutput(t: Transformation, order: string): void {
  sortedOutputs.set(t, order);
}
export function sortedOutput(t: Transformation): string | undefined {
  return sortedOutputs.get(t);
}

/** Records that the partition transformation `t` sends records to the subtask owning their key's range (partitionByRange). */
export function registerRangePartition(t: Transformation, keyId: string): void {
  rangePartitions.set(t, keyId);
}
export function rangePartitionKey(t: Transformation): string | undefined {
  return rangePartitions.get(t);
}
