/** first(n): the first n records overall or per group; with sortGroup, the n smallest or largest per group. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { type BatchDriverRole, BatchOperator, type KeySelector, type MapKey } from "./batch-operator.ts";
import { type SortField, sortGroup, sortText } from "./sort-group.ts";

/**
 * Unsorted, it is pipelined: a record is emitted as it arrives while its group has had fewer than
 * n. Sorted, it keeps per group a buffer that is sorted and cut back to n whenever it reaches
 * `n + max(n, 1024)` records; the sort is stable and kept records precede later arrivals, so on
 * ties the record seen first wins.
 *
 * Memory: unsorted, one counter per key; sorted, at most `2n + 1024` records per group.
 */
export class FirstNOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly sorted: boolean;
  private readonly pruneAt: number;
  private readonly counts = new Map<MapKey, number>();
  private readonly groups = new Map<MapKey, T[]>();

  constructor(
    private readonly n: number,
    private readonly keySelector: KeySelector<T> | null,
    private readonly sortFields?: readonly SortField<T>[],
  ) {
    super();
    checkArgument(Number.isInteger(n) && n >= 1, `first(n) needs n to be a positive integer, got ${String(n)}`);
    this.sorted = sortFields !== undefined && sortFields.length > 0;
    this.role = this.sorted ? "finalize" : "consume";
    this.pruneAt = n + Math.max(n, 1024);
  }

  processElement(value: T): void {
    const key = this.keySelector === null ? null : keyToMapKey(this.keySelector(value));
    if (!this.sorted) {
      const seen = this.counts.get(key) ?? 0;
      if (seen >= this.n) return;
      this.counts.set(key, seen + 1);
      this.output.collect(value, NO_TIMESTAMP);
      return;
    }
    const group = this.groups.get(key);
    if (group === undefined) {
      this.groups.set(key, [value]);
    } else {
      group.push(value);
      if (group.length >= this.pruneAt) this.prune(group);
    }
  }

  private prune(group: T[]): void {
    sortGroup(group, this.sortFields!);
    if (group.length > this.n) group.length = this.n;
  }

  override endInput(): void {
    const output = this.output;
    for (const group of this.groups.values()) {
      this.prune(group);
      for (let i = 0; i < group.length; i++) output.collect(group[i]!, NO_TIMESTAMP);
    }
    this.groups.clear();
    this.counts.clear();
  }

  describe(): string {
    return `First (${this.n})${this.keySelector === null ? "" : " by key"}${sortText(this.sortFields)}`;
  }
}
