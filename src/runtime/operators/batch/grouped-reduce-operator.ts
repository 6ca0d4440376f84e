/** Grouped reduce: one running value per key in a hash table in managed memory, emitted at endInput. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import type { PagePool } from "../join/page-pool.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, type KeySelector, resolveCombine } from "./batch-operator.ts";
import { CombineSampler } from "./combine-sampler.ts";
import { GroupingHashTable } from "./grouping-hash-table.ts";
import { groupingPool } from "./grouping-memory.ts";
import { recordSerializer, type SortSettings } from "./sort-group.ts";

/**
 * Memory: the final instance keeps each key's value serialized in a GroupingHashTable in its
 * share of managed memory; past it, the table spills partitions and reduces them at the end
 * (reduce functions are associative, so the order in which partial values meet does not matter
 * beyond arrival order within a key, which is kept). The combiner instance (`combine: true`,
 * chained before the hash shuffle) instead hands its values on past `maxEntries` keys or its
 * memory share, and passes records through while combining does not pay (CombineSampler); the
 * final instance merges the partials.
 */
export class GroupedReduceOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly maxEntries: number;
  private pool: PagePool | undefined;
  private table: GroupingHashTable<T> | undefined;
  private readonly sampler = new CombineSampler();

  constructor(
    private readonly keySelector: KeySelector<T>,
    private readonly reduce: (a: T, b: T) => T,
    options: boolean | CombineOptions = false,
    lifecycle?: FunctionLifecycle,
    private readonly settings: SortSettings = {},
  ) {
    super();
    this.lifecycle = lifecycle;
    const { combine, maxEntries } = resolveCombine(options);
    this.role = combine ? "combine" : "finalize";
    this.maxEntries = maxEntries;
  }

  override open(): void | Promise<void> {
    this.pool = groupingPool(this.context, this.role === "combine" ? "combine" : "final");
    const output = this.output;
    const reduce = this.reduce;
    this.table = new GroupingHashTable<T>(
      this.pool,
      { key: this.keySelector, first: (v) => v, merge: (a, b) => reduce(a, b), serializer: recordSerializer<T>(this.settings.inputType) },
      this.role === "combine" ? "combine" : "final",
      (v) => output.collect(v, NO_TIMESTAMP),
      () => this.drain(),
    );
    return super.open();
  }

  processElement(value: T): void {
    const table = this.table!;
    if (this.role !== "combine") {
      table.add(value);
      return;
    }
    if (this.sampler.passThrough()) {
      this.output.collect(value, NO_TIMESTAMP);
      return;
    }
    table.add(value);
    if (table.size > this.maxEntries) this.drain();
  }

  private drain(): void {
    const table = this.table!;
    this.sampler.drained(table.size);
    table.drain();
  }

  override endInput(): void {
    if (this.role === "combine") this.table!.drain();
    else this.table!.finish();
  }

  override close(): void | Promise<void> {
    this.table?.close();
    this.table = undefined;
    this.pool?.release();
    this.pool = undefined;
    return super.close();
  }

  describe(): string {
    return this.role === "combine" ? "Combine (hash reduce) by key" : "Reduce (hash) by key";
  }
}
