/** reduceGroup: collects each group (or the whole input) and calls the user function once per group at endInput. */
import { keyToMapKey } from "../../../types/key-hashing.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator, type KeySelector, type MapKey } from "./batch-operator.ts";
import type { Collector } from "./collector.ts";
import { type SortField, sortGroup, sortText } from "./sort-group.ts";

export type GroupReduceFunction<T, O> = (values: T[], out: Collector<O>) => void;

/**
 * Groups by hash (key null: the whole input is one group, and an empty input calls nothing, as
 * Flink's AllGroupReduceDriver). With sort fields, each group is stably sorted before the call.
 *
 * Memory: holds every record of its partition until endInput. Subclasses may lower
 * `maxBuffered` to hand out partial groups early (combineGroup semantics).
 */
export class GroupReduceOperator<T, O> extends BatchOperator<T, O> {
  readonly role: BatchDriverRole = "finalize";
  /** Records held before the groups are handed out early; only a combiner lowers it. */
  protected maxBuffered = Infinity;
  private buffered = 0;
  private readonly groups = new Map<MapKey, T[]>();

  constructor(
    protected readonly keySelector: KeySelector<T> | null,
    private readonly fn: GroupReduceFunction<T, O>,
    protected readonly sortFields?: readonly SortField<T>[],
    lifecycle?: FunctionLifecycle,
  ) {
    super();
    this.lifecycle = lifecycle;
  }

  processElement(value: T): void {
    const key = this.keySelector === null ? null : keyToMapKey(this.keySelector(value));
    const group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, [value]);
    else group.push(value);
    if (++this.buffered > this.maxBuffered) this.emitGroups();
  }

  override endInput(): void {
    this.emitGroups();
  }

  private emitGroups(): void {
    const sortFields = this.sortFields;
    const sorted = sortFields !== undefined && sortFields.length > 0;
    const groups = this.groups;
    this.buffered = 0;
    for (const group of groups.values()) {
      if (sorted) sortGroup(group, sortFields);
      this.fn(group, this.out);
    }
    groups.clear();
  }

  describe(): string {
    return `GroupReduce ${this.keySelector === null ? "(all)" : "(hash) by key"}${sortText(this.sortFields)}`;
  }
}
