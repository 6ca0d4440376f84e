/** aggregate(SUM|MIN|MAX, field).and(...): per group, the last record seen with its aggregated fields replaced. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { aggregateValue, type AggregationKind, type AggregationSpec, aggregationsText } from "./aggregation.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, copyRecord, type FieldRef, fieldOf, type KeySelector, type MapKey, resolveCombine } from "./batch-operator.ts";

/**
 * Works on tuples (arrays, fields by position) and rows (objects, fields by name). Fields that
 * are not aggregated come from the last record of the group (Flink leaves them arbitrary).
 * Aggregations are associative, so the same class serves as the combiner (`combine: true`),
 * which flushes its table past `maxEntries` groups.
 *
 * Memory: one state array per group, [last record, accumulator per aggregation]; nothing per record.
 */
export class AggregateOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly kinds: AggregationKind[];
  private readonly fields: FieldRef[];
  private readonly maxEntries: number;
  private readonly states = new Map<MapKey, unknown[]>();

  constructor(
    private readonly keySelector: KeySelector<T> | null,
    private readonly aggregations: readonly AggregationSpec[],
    options: boolean | CombineOptions = false,
  ) {
    super();
    checkArgument(aggregations.length > 0, "aggregate needs at least one aggregation");
    this.kinds = aggregations.map((a) => a.agg);
    this.fields = aggregations.map((a) => a.field);
    const { combine, maxEntries } = resolveCombine(options);
    this.role = combine ? "combine" : "finalize";
    this.maxEntries = maxEntries;
  }

  processElement(value: T): void {
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
    if (isNew && this.states.size > this.maxEntries) this.flush();
  }

  override endInput(): void {
    this.flush();
  }

  private flush(): void {
    const fields = this.fields;
    const n = fields.length;
    const output = this.output;
    for (const state of this.states.values()) {
      const record = copyRecord(state[0]) as Record<FieldRef, unknown>;
      for (let i = 0; i < n; i++) record[fields[i]!] = state[i + 1];
      output.collect(record as T, NO_TIMESTAMP);
    }
    this.states.clear();
  }

  describe(): string {
    const text = aggregationsText(this.aggregations);
    const by = this.keySelector === null ? "" : " by key";
    return this.role === "combine" ? `Combine (${text})${by}` : `Aggregate (${text})${by}`;
  }
}
