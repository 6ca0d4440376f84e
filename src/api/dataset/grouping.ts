/** Grouping: what UnsortedGrouping and SortedGrouping share — the grouped data set, its key, and sortGroup. */
import type { DataSet } from "./data-set.ts";
import type { FieldRef, KeySpec } from "../keys.ts";
import { resolveKey } from "../keys.ts";
import type { SortField, SortSettings } from "../../runtime/operators/batch/index.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { fieldType } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
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
    const resolved = resolveKey(field, this.input.transformation.outputType, what);
    return { selector: resolved.selector as (value: T) => unknown, order, type: resolved.type };
  }

  /** The record and key types grouped operators store records with (keys of a selector function are untyped). */
  protected sortSettings(): SortSettings {
    const inputType = this.input.transformation.outputType;
    const fields = this.keyFields;
    if (!inputType || !fields) return { inputType };
    const types = fields.map((f) => fieldType(inputType, f, "groupBy"));
    return { inputType, keyType: types.length === 1 ? types[0] : Types.TUPLE(...types), keyField: fields.length === 1 ? fields[0] : undefined };
  }
}
