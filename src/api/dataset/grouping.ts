/** Grouping: what UnsortedGrouping and SortedGrouping share — the grouped data set, its key, and sortGroup. */
import type { DataSet } from "./data-set.ts";
import type { FieldRef, KeySpec } from "../keys.ts";
import { resolveKey } from "../keys.ts";
import type { SortField } from "../../runtime/operators/batch/index.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { callText } from "./field-checks.ts";
import { Order } from "./order.ts";

export abstract class Grouping<T> {
  constructor(
    protected readonly input: DataSet<T>,
    /** Extracts the grouping key of a record. */
    protected readonly keySelector: (value: T) => unknown,
    /** The key's field references, when it was given by position or name. */
    protected readonly keyFields: readonly FieldRef[] | undefined,
  ) {}

  /** The data set this grouping groups. */
  getInputDataSet(): DataSet<T> {
    return this.input;
  }

  /** The key selector records are grouped by (field keys are turned into one). */
  getKeySelector(): (value: T) => unknown {
    return this.keySelector;
  }

  /** One more sort field, checked against the input's type. */
  protected sortField(field: KeySpec<T>, order: Order): SortField<T> {
    const what = callText("sortGroup", [field, order], this.input.getName());
    if (order !== Order.ASCENDING && order !== Order.DESCENDING) throw new InvalidProgramError(`${what}: groups can only be sorted in Order.ASCENDING or Order.DESCENDING`);
    const selector = resolveKey(field, this.input.transformation.outputType, what).selector as (value: T) => unknown;
    return { selector, order };
  }
}
