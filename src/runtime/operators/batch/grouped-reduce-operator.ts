/** Grouped reduce: one running value per key in a hash table, emitted at endInput; past its memory share it continues on a combining sorter. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import type { ExternalSorter, SortCombiner } from "../sort/external-sorter.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, type KeySelector, type MapKey, resolveCombine } from "./batch-operator.ts";
import { HashTableBudget } from "./hash-table-budget.ts";
import { groupSorter, recordSerializer, type SortSettings } from "./sort-group.ts";

/**
 * Memory: the final instance holds one value per distinct key of its partition while the table
 * fits the operator's share of managed memory (HashTableBudget); past that, the table's values
 * and every later record go into an ExternalSorter whose full buffers are reduced per key
 * before they spill, and endInput reduces each key's partial values from the merged runs (Flink
 * combines by sorting; reduce functions are associative, so either way gives the same result).
 * The combiner instance (`combine: true`, chained before the hash shuffle) instead emits and
 * clears its table past `maxEntries` keys or its memory share; the final instance merges the
 * partials.
 */
export class GroupedReduceOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly maxEntries: number;
  private readonly values = new Map<MapKey, T>();
  private budget: HashTableBudget<T> | undefined;
  private sorter: ExternalSorter<T> | undefined;

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
    this.budget = new HashTableBudget(recordSerializer<T>(this.settings.inputType), HashTableBudget.bytesFor(this.context));
    return super.open();
  }

  processElement(value: T): void {
    if (this.sorter !== undefined) {
      this.sorter.add(value);
      return;
    }
    const values = this.values;
    const key = keyToMapKey(this.keySelector(value));
    const current = values.get(key);
    if (current !== undefined || values.has(key)) {
      values.set(key, this.reduce(current as T, value));
      return;
    }
    values.set(key, value);
    if (values.size > this.maxEntries) this.flush();
    else if (this.budget?.exceeded(values.size, value) === true) this.overBudget();
  }

  /** The table outgrew the memory share: a combiner emits it; the final instance moves it to a combining sorter. */
  private overBudget(): void {
    if (this.role === "combine") return this.flush();
    const reduce = this.reduce;
    const combiner: SortCombiner<T> = {
      combineGroup(group, out) {
        let acc = group.record();
        while (group.nextInGroup()) acc = reduce(acc, group.record());
        out.writeRecord(acc);
      },
    };
    const sorter = groupSorter(this.context, this.keySelector, undefined, this.settings, { combiner });
    this.sorter = sorter;
    for (const v of this.values.values()) sorter.add(v);
    this.values.clear();
  }

  override endInput(): void {
    const sorter = this.sorter;
    if (sorter === undefined) return this.flush();
    const groups = sorter.groups();
    const output = this.output;
    while (groups.nextGroup()) {
      let acc = groups.record();
      while (groups.nextInGroup()) acc = this.reduce(acc, groups.record());
      output.collect(acc, NO_TIMESTAMP);
    }
    sorter.close();
  }

  private flush(): void {
    const output = this.output;
    for (const value of this.values.values()) output.collect(value, NO_TIMESTAMP);
    this.values.clear();
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    return this.role === "combine" ? "Combine (hash reduce) by key" : "Reduce (hash) by key";
  }
}
