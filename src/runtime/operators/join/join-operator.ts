/** JoinOperator: the driver of join, leftOuterJoin, rightOuterJoin and fullOuterJoin, by hybrid hash or sort-merge. */
import { checkArgument } from "../../../core/errors.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { Collector } from "../batch/collector.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { HASH_JOIN_MIN_PAGES, HybridHashJoin } from "./hybrid-hash-join.ts";
import { SORT_MERGE_MIN_PAGES, SortMergeJoin, sortMergeGroupPages } from "./sort-merge-join.ts";
import { serializerFor, TwoInputBatchOperator } from "./two-input-batch-operator.ts";

/** The local strategy (Flink's JoinHint minus the ship strategy, which the planner chooses). */
export type JoinStrategy = "hash-build-first" | "hash-build-second" | "sort-merge";

export type OuterJoinType = "left" | "right" | "full";

export interface JoinOperatorOptions<L = any, R = any, O = any> {
  name: string;
  strategy: JoinStrategy;
  /** Absent for inner joins. */
  outer?: OuterJoinType;
  key1: (value: L) => unknown;
  key2: (value: R) => unknown;
  type1?: TypeInformation;
  type2?: TypeInformation;
  /**
   * A hash join reads its build side before its probe side (nextSelection) unless this is false:
   * the plan sets it false when one upstream operator feeds both inputs, which would stall.
   */
  readBuildFirst?: boolean;
  /** The key's tuple field on each side, when the key is one field position (for FixedJoinTable). */
  keyField1?: number;
  keyField2?: number;
  /** Called per matching pair; on outer joins the missing side is null (as Flink passes null). */
  join: (left: L | null, right: R | null, out: Collector<O>) => void;
  /** The rich function whose open/close the operator drives. */
  lifecycle?: FunctionLifecycle;
}

/**
 * Equi-joins input 1 (left) with input 2 (right) on key1 = key2 (keysEqual; null keys never
 * match). Hash strategies build a table over one input and probe with the other: an outer side
 * may be either (Flink allows left outer with build-first as well as build-second); sort-merge
 * sorts both inputs and merges. Either input may arrive first or interleaved with the other.
 *
 * Memory: the operator's share of managed memory, at least the strategy's minimum; spills to
 * the slot's IOManager when it does not fit.
 */
export class JoinOperator<L = any, R = any, O = any> extends TwoInputBatchOperator<O> {
  private hash: HybridHashJoin | null = null;
  private sortMerge: SortMergeJoin | null = null;
  private readonly buildFirst: boolean;
  private buildEnded = false;

  constructor(private readonly options: JoinOperatorOptions<L, R, O>) {
    super(options.name, options.strategy === "sort-merge" ? SORT_MERGE_MIN_PAGES : HASH_JOIN_MIN_PAGES, options.lifecycle);
    checkArgument(["hash-build-first", "hash-build-second", "sort-merge"].includes(options.strategy), `${options.name}: unknown join strategy '${String(options.strategy)}'`);
    checkArgument(options.outer === undefined || ["left", "right", "full"].includes(options.outer), `${options.name}: unknown outer join type '${String(options.outer)}'`);
    this.buildFirst = options.strategy === "hash-build-first";
  }

  protected start(): void {
    const o = this.options;
    const leftOuter = o.outer === "left" || o.outer === "full";
    const rightOuter = o.outer === "right" || o.outer === "full";
    const first = { key: o.key1, serializer: serializerFor(o.type1), outer: leftOuter, type: o.type1, field: o.keyField1 };
    const second = { key: o.key2, serializer: serializerFor(o.type2), outer: rightOuter, type: o.type2, field: o.keyField2 };
    const join = o.join;
    const out = this.out;
    if (o.strategy === "sort-merge") {
      const share = this.sharePages();
      const groupPages = sortMergeGroupPages(share);
      const sorterPages = Math.floor((share - groupPages) / 2);
      this.sortMerge = new SortMergeJoin(this.allocatePool(groupPages), this.sorterMemory(sorterPages), first, second, (l, r) => join(l as L, r as R, out));
      return;
    }
    const pool = this.allocatePool(this.sharePages());
    if (this.buildFirst) {
      this.hash = new HybridHashJoin(pool, first, second, (b, p) => join(b as L, p as R, out));
    } else {
      this.hash = new HybridHashJoin(pool, second, first, (b, p) => join(p as L, b as R, out));
    }
  }

  processElement1(value: unknown): void {
    if (this.hash !== null) {
      if (this.buildFirst) this.hash.addBuild(value);
      else this.hash.addProbe(value);
    } else {
      this.sortMerge!.add1(value);
    }
  }

  processElement2(value: unknown): void {
    if (this.hash !== null) {
      if (this.buildFirst) this.hash.addProbe(value);
      else this.hash.addBuild(value);
    } else {
      this.sortMerge!.add2(value);
    }
  }

  /**
   * A hash join reads its build side first (as Flink's hash join drivers do): probe records then
   * join as they come instead of waiting, serialized, for the table. The task may still hand over
   * probe records early (see TwoInputStreamOperator.nextSelection); they wait as before.
   */
  nextSelection(): 0 | 1 | 2 {
    if (this.options.strategy === "sort-merge" || this.options.readBuildFirst === false || this.buildEnded) return 0;
    return this.buildFirst ? 1 : 2;
  }

  endInput(input: 1 | 2): void {
    if (this.hash !== null) {
      if ((input === 1) === this.buildFirst) {
        this.buildEnded = true;
        this.hash.endBuild();
      } else this.hash.endProbe();
    } else {
      this.sortMerge!.endInput(input);
    }
  }

  protected stop(): void {
    this.hash?.close();
    this.hash = null;
    this.sortMerge?.close();
    this.sortMerge = null;
  }

  describe(): string {
    const o = this.options;
    const kind = o.outer === undefined ? "Join" : `${o.outer[0]!.toUpperCase()}${o.outer.slice(1)}OuterJoin`;
    const local = o.strategy === "sort-merge" ? "sort-merge" : `hybrid hash, build ${this.buildFirst ? "first" : "second"}`;
    return `${kind} (${local}): ${o.name}`;
  }
}
