/** Hash-based grouped reduce: one running value per key, emitted at endInput; as a combiner it flushes to bound memory. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, type KeySelector, type MapKey, resolveCombine } from "./batch-operator.ts";

/**
 * Memory: the final instance holds one value per distinct key of its partition. The combiner
 * instance (`combine: true`, chained before the hash shuffle) emits and clears its table whenever
 * it holds more than `maxEntries` keys; the final instance downstream merges the partials, which
 * is correct because reduce functions are associative.
 */
export class GroupedReduceOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly maxEntries: number;
  private readonly values = new Map<MapKey, T>();

  constructor(
    private readonly keySelector: KeySelector<T>,
    private readonly reduce: (a: T, b: T) => T,
    options: boolean | CombineOptions = false,
    lifecycle?: FunctionLifecycle,
  ) {
    super();
    this.lifecycle = lifecycle;
    const { combine, maxEntries } = resolveCombine(options);
    this.role = combine ? "combine" : "finalize";
    this.maxEntries = maxEntries;
  }

  processElement(value: T): void {
    const values = this.values;
    const key = keyToMapKey(this.keySelector(value));
    const current = values.get(key);
    if (current !== undefined || values.has(key)) {
      values.set(key, this.reduce(current as T, value));
      return;
    }
    values.set(key, value);
    if (values.size > this.maxEntries) this.flush();
  }

  override endInput(): void {
    this.flush();
  }

  private flush(): void {
    const output = this.output;
    for (const value of this.values.values()) output.collect(value, NO_TIMESTAMP);
    this.values.clear();
  }

  describe(): string {
    return this.role === "combine" ? "Combine (hash reduce) by key" : "Reduce (hash) by key";
  }
}
