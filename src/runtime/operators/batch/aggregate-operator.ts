/** aggregate(SUM|MIN|MAX, field).and(...): per group, the last record seen with its aggregated fields replaced. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import { Types } from "../../../types/types.ts";
import { aggregateValue, type AggregationKind, type AggregationSpec, aggregationsText } from "./aggregation.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, copyRecord, type FieldRef, fieldOf, type KeySelector, resolveCombine } from "./batch-operator.ts";
import { CombineSampler } from "./combine-sampler.ts";
import { FixedAggregateTable, fixedAggregateLayout } from "./fixed-aggregate-table.ts";
import { GROUPING_MIN_PAGES, GroupingHashTable } from "./grouping-hash-table.ts";
import { groupingPool } from "./grouping-memory.ts";
import { recordSerializer, type SortSettings } from "./sort-group.ts";
import type { PagePool } from "../join/page-pool.ts";

/** Aggregations per operator that merge folds in place (more take the copying path). */
const MERGE_SCRATCH = 16;

/**
 * Works on tuples (arrays, fields by position) and rows (objects, fields by name). Fields that
 * are not aggregated come from the last record of the group (Flink leaves them arbitrary).
 * Aggregations are associative, so the same class serves as the combiner (`combine: true`),
 * which hands its groups on past `maxEntries` groups or its memory share, and passes records
 * through while combining does not pay (CombineSampler).
 *
 * Memory: each group's partial record (its last record with the aggregated fields so far) is
 * held in the operator's share of managed memory: as float64 words in a FixedAggregateTable when
 * the records are tuples of numbers grouped by an integer field, else serialized in a
 * GroupingHashTable. A final instance that outgrows its memory spills partitions of the
 * GroupingHashTable (the fixed table hands its groups over to one first) and aggregates them at
 * the end. Without a grouping key there is one group, held as a JS value.
 */
export class AggregateOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly kinds: AggregationKind[];
  private readonly fields: FieldRef[];
  private readonly maxEntries: number;
  private pool: PagePool | undefined;
  private table: GroupingHashTable<T> | undefined;
  /** The fast table, until it hands over to `table` (a final instance out of memory, or a record that does not fit). */
  private fixed: FixedAggregateTable | undefined;
  /** A combiner's bound on groups held, when the options set one; otherwise the general table's default. */
  private readonly explicitMaxEntries: boolean;
  private readonly sampler = new CombineSampler();
  /** The one group of an aggregation without key. */
  private all: T | undefined;
  /** merge's aggregated values, before they are written into the result. */
  private readonly folded: unknown[] = new Array(MERGE_SCRATCH).fill(null);

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
    this.explicitMaxEntries = typeof options === "object" && options.maxEntries !== undefined;
  }

  override open(): void | Promise<void> {
    const key = this.keySelector;
    if (key !== null) {
      this.pool = groupingPool(this.context, this.role === "combine" ? "combine" : "final");
      const output = this.output;
      const serializer = recordSerializer<T>(partialType(this.settings.inputType, this.aggregations));
      this.table = new GroupingHashTable<T>(
        this.pool,
        { key, first: (v) => this.first(v), merge: (a, b) => this.merge(a, b), serializer },
        this.role === "combine" ? "combine" : "final",
        (v) => output.collect(v, NO_TIMESTAMP),
        () => this.drain(),
      );
      const layout = fixedAggregateLayout(this.settings.inputType, this.settings.keyField, this.aggregations);
      if (layout !== null) {
        // a final instance hands over to the general table, which needs pages for its partitions before the rows' pages come back
        const headroom = this.role === "combine" ? 0 : Math.max(GROUPING_MIN_PAGES.final, Math.ceil(this.pool.totalPages / 4));
        this.fixed = new FixedAggregateTable(this.pool, layout, (v) => output.collect(v as T, NO_TIMESTAMP), headroom);
      }
    }
    return super.open();
  }

  /** Moves the fast table's rows (groups and records not folded yet) into the general table, which can spill. */
  private handOver(): void {
    const fixed = this.fixed!;
    this.fixed = undefined;
    const table = this.table!;
    fixed.handOver((v) => table.add(v as T));
    fixed.close();
  }

  processElement(value: T): void {
    const table = this.table;
    if (table === undefined) {
      this.all = this.all === undefined ? this.first(value) : this.merge(this.all, value);
      return;
    }
    const fixed = this.fixed;
    if (this.role !== "combine") {
      if (fixed === undefined) table.add(value);
      else if (!fixed.add(value as number[])) {
        // out of memory or a record that does not fit: the general table folds (and spills) from here on
        this.handOver();
        table.add(value);
      }
      return;
    }
    if (this.sampler.passThrough()) {
      // a raw record is a partial of one record; the final instance checks it as it folds it in
      this.output.collect(value, NO_TIMESTAMP);
      return;
    }
    if (fixed === undefined) {
      table.add(value);
      if (table.size > this.maxEntries) this.drain();
      return;
    }
    if (fixed.add(value as number[])) {
      // rows count records not folded yet: past the bound, fold them, and hand on if that leaves more than half
      if (this.explicitMaxEntries && fixed.size > this.maxEntries) {
        fixed.compact();
        if (fixed.size > this.maxEntries / 2) this.drain();
      }
      return;
    }
    if (fixed.full) {
      this.drain();
      if (fixed.add(value as number[])) return;
    }
    this.handOver();
    table.add(value);
  }

  /** A new group's partial record: `value` with each aggregated field folded into nothing. */
  private first(value: T): T {
    const out = copyRecord(value) as Record<FieldRef, unknown>;
    for (let i = 0; i < this.kinds.length; i++) {
      const f = this.fields[i]!;
      out[f] = aggregateValue(this.kinds[i]!, null, fieldOf(value, f), f);
    }
    return out as T;
  }

  /**
   * Folds record or partial `b` (the later one) into partial `a`: b's fields, aggregated ones
   * combined. `a` is the operator's own (a copy or a deserialized partial): a tuple is reused
   * for the result instead of copying `b`, one allocation less per record.
   */
  private merge(a: T, b: T): T {
    const kinds = this.kinds;
    const fields = this.fields;
    const n = kinds.length;
    if (n <= MERGE_SCRATCH && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      const folded = this.folded;
      for (let i = 0; i < n; i++) folded[i] = aggregateValue(kinds[i]!, a[fields[i] as number], b[fields[i] as number], fields[i]!);
      for (let i = 0; i < b.length; i++) a[i] = b[i];
      for (let i = 0; i < n; i++) a[fields[i] as number] = folded[i];
      return a;
    }
    const out = copyRecord(b) as Record<FieldRef, unknown>;
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      out[f] = aggregateValue(kinds[i]!, fieldOf(a, f), fieldOf(b, f), f);
    }
    return out as T;
  }

  /** A combiner hands on what it holds (memory or maxEntries reached). */
  private drain(): void {
    if (this.fixed !== undefined) this.sampler.drained(this.fixed.drain());
    else {
      this.sampler.drained(this.table!.size);
      this.table!.drain();
    }
  }

  override endInput(): void | Promise<void> {
    if (this.table === undefined) {
      if (this.all !== undefined) this.output.collect(this.all, NO_TIMESTAMP);
      this.all = undefined;
      return;
    }
    const fixed = this.fixed;
    // a final instance's groups must each be one row: if they are not (too little memory for the index), the general table folds them
    if (fixed !== undefined && !fixed.compact() && this.role !== "combine") this.handOver();
    const pause = this.context.yieldIfDue;
    if (this.fixed !== undefined && pause !== undefined) return this.fixed.emitPausing(pause);
    if (this.fixed !== undefined) this.fixed.emitAll();
    else if (this.role === "combine") this.table.drain();
    else this.table.finish();
  }

  override close(): void | Promise<void> {
    this.fixed?.close();
    this.fixed = undefined;
    this.table?.close();
    this.table = undefined;
    this.pool?.release();
    this.pool = undefined;
    return super.close();
  }

  describe(): string {
    const text = aggregationsText(this.aggregations);
    const by = this.keySelector === null ? "" : " by key";
    return this.role === "combine" ? `Combine (${text})${by}` : `Aggregate (${text})${by}`;
  }
}

/**
 * The type partial records are stored with: the input type, with SUM fields widened so that sums
 * stay exact (INT to LONG, FLOAT to DOUBLE); GENERIC when the input type is unknown.
 */
function partialType(input: TypeInformation | undefined, aggregations: readonly AggregationSpec[]): TypeInformation | undefined {
  if (input === undefined || (input.kind !== "TUPLE" && input.kind !== "ROW") || input.fieldTypes === undefined) return input;
  const fields = input.fieldTypes.slice();
  const names = input.fieldNames;
  for (const a of aggregations) {
    if (a.agg !== "SUM") continue;
    const i = typeof a.field === "number" ? (input.kind === "TUPLE" ? a.field : -1) : input.kind === "ROW" ? names!.indexOf(a.field) : /^f\d+$/.test(a.field) ? Number(a.field.slice(1)) : -1;
    if (i >= 0 && i < fields.length) fields[i] = widened(fields[i]!);
  }
  if (input.kind === "TUPLE") return Types.TUPLE(...fields);
  return Types.ROW(Object.fromEntries(names!.map((n, i) => [n, fields[i]!])));
}

function widened(t: TypeInformation): TypeInformation {
  if (t.kind === "INT") return Types.LONG;
  if (t.kind === "FLOAT") return Types.DOUBLE;
  if (t.kind === "NULLABLE" && t.innerType) return Types.NULLABLE(widened(t.innerType));
  return t;
}
