/**
 * Grouped operations are planned as combiner -> hash shuffle -> final operator (batch-plan.ts).
 * When the records already reach the final operator partitioned on its key (parallelism 1, or
 * an input hash-partitioned on the same key at the same parallelism), the shuffle moves nothing
 * and the combiner only does the final operator's work twice: Flink's optimizer then plans
 * neither. Here the shuffle becomes a forward edge and the combiner a virtual node, so the
 * final operator chains to the input and gets the combiner's share of managed memory.
 */
import type { Transformation, TransformationKind } from "../transformation.ts";
import { keyIdOf } from "./plan-info.ts";
import { partitionedOn, type PropertyTracker } from "./properties.ts";

interface Original {
  kind: TransformationKind;
  partitioner: Transformation["props"]["partitioner"];
  partitionKeySelector: Transformation["props"]["partitionKeySelector"];
}

/** What was changed, so that a later translation (another parallelism) starts from the program as built. */
const originals = new WeakMap<Transformation, Original>();

/** Undoes earlier removals among `all`, before the optimizer decides afresh. */
export function restoreShuffles(all: readonly Transformation[]): void {
  for (const t of all) {
    const o = originals.get(t);
    if (!o) continue;
    t.kind = o.kind;
    t.props.partitioner = o.partitioner;
    t.props.partitionKeySelector = o.partitionKeySelector;
    originals.delete(t);
  }
}

/**
 * Removes hash shuffles (and the combiners before them) that would not move a record. `all` is
 * in input-before-consumer order; `properties` tells how records arrive; `parallelismOf` gives
 * each transformation's parallelism.
 */
export function removeRedundantShuffles(all: readonly Transformation[], properties: PropertyTracker, parallelismOf: (t: Transformation) => number): void {
  const consumers = new Map<number, Transformation[]>();
  for (const t of all) for (const i of t.inputs) consumers.set(i.id, [...(consumers.get(i.id) ?? []), t]);
  for (const shuffle of all) {
    if (shuffle.kind !== "partition" || shuffle.props.partitioner !== "hash" || !shuffle.props.partitionKeySelector) continue;
    const combiner = shuffle.inputs[0]!;
    const finals = consumers.get(shuffle.id) ?? [];
    // only the planned shape: a one-input combiner feeding just this shuffle, which feeds one operator
    if (combiner.kind !== "one-input" || !combiner.operatorKind.endsWith("-combine") || finals.length !== 1) continue;
    if ((consumers.get(combiner.id) ?? []).length !== 1) continue;
    const final = finals[0]!;
    const p = parallelismOf(final);
    if (parallelismOf(combiner) !== p) continue;
    const arriving = properties.shipped(combiner.inputs[0]!, p);
    if (!partitionedOn(arriving, keyIdOf(shuffle.props.partitionKeySelector), p)) continue;
    for (const t of [shuffle, combiner]) originals.set(t, { kind: t.kind, partitioner: t.props.partitioner, partitionKeySelector: t.props.partitionKeySelector });
    shuffle.props.partitioner = undefined;
    shuffle.props.partitionKeySelector = undefined;
    combiner.kind = "partition";
  }
}
