/** minBy / maxBy: per group, the whole record with the smallest or largest value of the listed fields. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { type BatchDriverRole, BatchOperator, type CombineOptions, type FieldRef, fieldOf, fieldsText, type KeySelector, type MapKey, resolveCombine } from "./batch-operator.ts";
import { compareValues } from "./compare-values.ts";

/**
 * Compares records lexicographically over `fields` (null sorts before every value); on a tie the
 * record seen first wins. Associative, so it also serves as the combiner (`combine: true`, which
 * flushes past `maxEntries` groups).
 */
export class MinMaxByOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole;
  private readonly sign: number;
  private readonly maxEntries: number;
  private readonly best = new Map<MapKey, T>();

  constructor(
    private readonly keySelector: KeySelector<T> | null,
    private readonly fields: readonly FieldRef[],
    private readonly mode: "MIN" | "MAX",
    options: boolean | CombineOptions = false,
  ) {
    super();
    checkArgument(fields.length > 0, `${mode === "MIN" ? "minBy" : "maxBy"} needs at least one field`);
    this.sign = mode === "MIN" ? -1 : 1;
    const { combine, maxEntries } = resolveCombine(options);
    this.role = combine ? "combine" : "finalize";
    this.maxEntries = maxEntries;
  }

  processElement(value: T): void {
    const best = this.best;
    const key = this.keySelector === null ? null : keyToMapKey(this.keySelector(value));
    const current = best.get(key);
    if (current === undefined && !best.has(key)) {
      best.set(key, value);
      if (best.size > this.maxEntries) this.flush();
    } else if (this.beats(value, current as T)) {
      best.set(key, value);
    }
  }

  /** True when `value` is strictly smaller (MIN) or larger (MAX) than `current`. */
  private beats(value: T, current: T): boolean {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const c = compareValues(fieldOf(value, fields[i]!), fieldOf(current, fields[i]!));
      if (c !== 0) return c * this.sign > 0;
    }
    return false;
  }

  override endInput(): void {
    this.flush();
  }

  private flush(): void {
    const output = this.output;
    for (const value of this.best.values()) output.collect(value, NO_TIMESTAMP);
    this.best.clear();
  }

  describe(): string {
    const name = this.mode === "MIN" ? "MinBy" : "MaxBy";
    const by = this.keySelector === null ? "" : " by key";
    return this.role === "combine" ? `Combine (${name} ${fieldsText(this.fields)})${by}` : `${name} (${fieldsText(this.fields)})${by}`;
  }
}
