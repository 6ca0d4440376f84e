/** distinct: emits the first record of each key as soon as it is seen (pipelined). */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { type BatchDriverRole, BatchOperator, type KeySelector, type MapKey } from "./batch-operator.ts";

/**
 * The same instance works before the hash shuffle (dropping local duplicates early) and after it.
 * Memory: one map key per distinct key, released at endInput.
 */
export class DistinctOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole = "consume";
  private readonly seen = new Set<MapKey>();

  constructor(private readonly keySelector: KeySelector<T>) {
    super();
  }

  processElement(value: T): void {
    const key = keyToMapKey(this.keySelector(value));
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.output.collect(value, NO_TIMESTAMP);
  }

  override endInput(): void {
    this.seen.clear();
  }

  describe(): string {
    return "Distinct by key";
  }
}
