/** aggregate(SUM|MIN|MAX, field).and(...): per group, the last record seen with its aggregated fields replaced. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import type { ExternalSorter, SortCombiner } from "../sort/external-sorter.ts";
import { aggregateValue, type AggregationKind, type AggregationSpec, aggregationsText } from "./aggregation.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, copyRecord, type FieldRef, fieldOf, type KeySelector, type MapKey, resolveCombine } from "./batch-operator.ts";
import { HashTableBudget } from "./hash-table-budget.ts";
import { groupSorter, recordSerializer, type SortSettings } from "./sort-group.ts";

/**
 * Works on tuples (arrays, fields by position) and rows (objects, fields by name). Fields that
 * are not aggregated come from the last record of the group (Flink leaves them arbitrary).
 * Aggregations are associative, so the same class serves as the combiner (`combine: true`),
 * which flushes its table past `maxEntries` groups or its memory share.
 *
 * Memory: one state array per group, [last record, accumulator per aggregation], while the table
 * fits the operator's share of managed memory (HashTableBudget). Past it, the final instance
 * writes each group's partial record into a combining ExternalSorter, and every later record
 * too; full sort buffers fold each key's records before they spill, and endInput folds the
 * partials of the merged runs in arrival order.
 */
export class AggregateOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly kinds: AggregationKind[];
  private readonly fields: FieldRef[];
  private readonly maxEntries: number;
  private readonly states = new Map<MapKey, unknown[]>();
  private budget: HashTableBudget<T> | undefined;
  private sorter: ExternalSorter<T> | undefined;

  constructor(
    private readonly keySelector: KeySelector<T> | null,
    private readonly aggregations: readonly AggregationSpec[],
    options: boolean | CombineOptions = false,
    private readonly settings: SortSettings = {},
  ) {
    super();
    checkArgument(aggregations.length > 0, "aggregate needs at least one aggregation");
    this.kinds = aggregations.map((a) => a.agg);
    this.fields = aggregations.map((a) => a.field);
    const { combine, maxEntries } = resolveCombine(options);
    this.role = combine ? "combine" : "finalize";
    this.maxEntries = maxEntries;
  }

  override open(): void | Promise<void> {
    if (this.keySelector !== null) this.budget = new HashTableBudget(recordSerializer<T>(this.settings.inputType), HashTableBudget.bytesFor(this.context));
    return super.open();
  }

  processElement(value: T): void {
    if (this.sorter !== undefined) {
      this.sorter.add(value);
      return;
    }
    const key = this.keySelector === null ? null : keyToMapKey(this.keySelector(value));
    const kinds = this.kinds;
    const fields = this.fields;
    const n = kinds.length;
    let state = this.states.get(key);
    const isNew = state === undefined;
    if (state === undefined) {
      state = new Array<unknown>(n + 1).fill(null);
      this.states.set(key, state);
    }
    state[0] = value;
    for (let i = 0; i < n; i++) state[i + 1] = aggregateValue(kinds[i]!, state[i + 1], fieldOf(value, fields[i]!), fields[i]!);
    if (!isNew) return;
    if (this.states.size > this.maxEntries) this.flush();
    else if (this.budget?.exceeded(this.states.size, value) === true) this.overBudget();
  }

  /** Folds partial record `b` (the later one) into `a`: b's fields, aggregated ones combined. */
  private merge(a: T, b: T): T {
    const out = copyRecord(b) as Record<FieldRef, unknown>;
    for (let i = 0; i < this.kinds.length; i++) {
      const f = this.fields[i]!;
      out[f] = aggregateValue(this.kinds[i]!, fieldOf(a, f), fieldOf(b, f), f);
    }
    return out as T;
  }

  private overBudget(): void {
    if (this.role === "combine") return this.flush();
    const merge = (a: T, b: T) => this.merge(a, b);
    const combiner: SortCombiner<T> = {
      combineGroup(group, out) {
        let acc = group.record();
        while (group.nextInGroup()) acc = merge(acc, group.record());
        out.writeRecord(acc);
      },
    };
    const sorter = groupSorter(this.context, this.keySelector!, undefined, this.settings, { combiner });
    this.sorter = sorter;
    for (const state of this.states.values()) sorter.add(this.partial(state));
    this.states.clear();
  }

  override endInput(): void {
    const sorter = this.sorter;
    if (sorter === undefined) return this.flush();
    const groups = sorter.groups();
    const output = this.output;
    while (groups.nextGroup()) {
      let acc = groups.record();
      while (groups.nextInGroup()) acc = this.merge(acc, groups.record());
      output.collect(acc, NO_TIMESTAMP);
    }
    sorter.close();
  }

  /** A group's result so far: its last record with the aggregated fields replaced. */
  private partial(state: unknown[]): T {
    const fields = this.fields;
    const record = copyRecord(state[0]) as Record<FieldRef, unknown>;
    for (let i = 0; i < fields.length; i++) record[fields[i]!] = state[i + 1];
    return record as T;
  }

  private flush(): void {
    const output = this.output;
    for (const state of this.states.values()) output.collect(this.partial(state), NO_TIMESTAMP);
    this.states.clear();
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    const text = aggregationsText(this.aggregations);
    const by = this.keySelector === null ? "" : " by key";
    return this.role === "combine" ? `Combine (${text})${by}` : `Aggregate (${text})${by}`;
  }
}
