/** The base of the DataSet drivers: a one-input stream operator that declares its batch role and emits untimed results. */
import { checkArgument } from "../../../core/errors.ts";
import type { keyToMapKey } from "../../../types/key-hashing.ts";
import type { OperatorContext } from "../operator-context.ts";
import { AbstractStreamOperator, type Output } from "../stream-operator.ts";
import { closeFunction, type FunctionLifecycle, openFunction } from "../user-function.ts";
import { OutputCollector } from "./collector.ts";

/**
 * The role a driver plays in a batch plan (DuckDB's sink / combine / finalize):
 * - "consume": pipelined; emits while it consumes (distinct, unsorted first(n));
 * - "combine": a partial pass chained before a shuffle; its output is merged by a "finalize"
 *   instance downstream, so it may emit early (flush) to bound the memory it holds;
 * - "finalize": holds what it needs and emits the result in endInput, once all input arrived.
 */
export type BatchDriverRole = "consume" | "combine" | "finalize";

/** Extracts the grouping key of a record; the API turns field positions and names into one. */
export type KeySelector<T> = (value: T) => unknown;

/** A key as it is stored in a Map: primitives as is, composite keys as a canonical string. */
export type MapKey = ReturnType<typeof keyToMapKey>;

/** A tuple field position (arrays) or a row field name (objects). */
export type FieldRef = number | string;

/** Combiner settings: `combine` marks the pre-shuffle instance, `maxEntries` bounds its hash table. */
export interface CombineOptions {
  combine?: boolean;
  maxEntries?: number;
}

/** A combiner emits and clears its table once it holds more entries than this. */
export const DEFAULT_COMBINE_MAX_ENTRIES = 100_000;

/** Normalizes the `combine` constructor argument (a flag or options); a final instance never flushes. */
export function resolveCombine(options: boolean | CombineOptions | undefined): { combine: boolean; maxEntries: number } {
  const combine = typeof options === "boolean" ? options : options?.combine === true;
  const maxEntries = typeof options === "object" ? options.maxEntries ?? DEFAULT_COMBINE_MAX_ENTRIES : DEFAULT_COMBINE_MAX_ENTRIES;
  checkArgument(Number.isInteger(maxEntries) && maxEntries >= 1, `combiner maxEntries must be a positive integer, got ${String(maxEntries)}`);
  return { combine, maxEntries: combine ? maxEntries : Infinity };
}

/** Reads a tuple or row field. */
export function fieldOf(record: unknown, field: FieldRef): unknown {
  return (record as Record<FieldRef, unknown>)[field];
}

/** A shallow copy of a tuple (array) or row (object), so results never alias a consumed input record. */
export function copyRecord<T>(record: T): T {
  return (Array.isArray(record) ? record.slice() : { ...(record as object) }) as T;
}

/** Renders field references for describe(): `1` for positions, `"name"` for row fields. */
export function fieldsText(fields: readonly FieldRef[]): string {
  return fields.map((f) => String(f)).join(", ");
}

/**
 * Keeps the output, a reusable collector for user functions, and the rich function (if any)
 * whose lifecycle the operator drives.
 *
 * Lifecycle: setup -> open (the rich function gets its RuntimeContext and open()) ->
 * processElement (consume) -> endInput (finalize: emit what is held and release it) -> close
 * (the rich function's close()). Watermarks pass through unchanged; results carry NO_TIMESTAMP.
 */
export abstract class BatchOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  abstract readonly role: BatchDriverRole;
  /** Handed to user functions; emits with NO_TIMESTAMP. */
  protected out!: OutputCollector<OUT>;
  /** The user function's open/close target; plain functions have none. */
  protected lifecycle: FunctionLifecycle | undefined = undefined;

  override setup(context: OperatorContext, output: Output<OUT>): void {
    super.setup(context, output);
    this.out = new OutputCollector(output);
  }

  override open(): void | Promise<void> {
    return openFunction(this.lifecycle, this.context);
  }

  override close(): void | Promise<void> {
    return closeFunction(this.lifecycle);
  }
}
