/**
 * sortPartition(field, order): sorts each parallel partition by a field, locally, without a
 * shuffle (Flink's SortPartitionOperator). Calling sortPartition again on the result adds a
 * field to the same sort instead of sorting twice.
 */
import { InvalidProgramError } from "../../core/errors.ts";
import type { Transformation } from "../../graph/transformation.ts";
import { type SortField, SortPartitionOperator } from "../../runtime/operators/batch/index.ts";
import { type KeySpec, resolveKey } from "../keys.ts";
import { DataSet } from "./data-set.ts";
import { callText } from "./field-checks.ts";
import { registerPartitionSort } from "./key-identity.ts";
import { Order } from "./order.ts";

interface PartitionSort {
  fields: SortField[];
  /** The only field is the whole record and a STRING: the sorter stores the record once, as its key. */
  wholeString: boolean;
}

/** The sorts made here, by their transformation: what a further sortPartition call extends. */
const sorts = new WeakMap<Transformation, PartitionSort>();

export function sortPartition<T>(input: DataSet<T>, field: KeySpec<T>, order: Order): DataSet<T> {
  const type = input.transformation.outputType;
  const what = callText("sortPartition", [field, order], input.getName());
  if (order !== Order.ASCENDING && order !== Order.DESCENDING) throw new InvalidProgramError(`${what}: partitions can only be sorted in Order.ASCENDING or Order.DESCENDING`);
  const resolved = resolveKey(field, type, what);
  const sortField: SortField = { selector: resolved.selector as (v: unknown) => unknown, order, type: resolved.type };
  const existing = sorts.get(input.transformation);
  if (existing) {
    existing.fields.push(sortField);
    existing.wholeString = false;
    return input;
  }
  const sort: PartitionSort = { fields: [sortField], wholeString: (field === 0 || field === "*") && type?.kind === "STRING" };
  const env = input.getExecutionEnvironment();
  const t = env.addTransformation("one-input", [input.transformation], {
    name: "SortPartition",
    operatorKind: "sort-partition",
    outputType: type,
    createOperator: () => new SortPartitionOperator(sort.fields, { inputType: type, keyIsRecord: sort.wholeString }),
    managedMemoryWeight: 1,
  });
  env.followInputParallelism(t, input.transformation);
  sorts.set(t, sort);
  registerPartitionSort(t, field, type, order);
  return new DataSet<T>(env, t);
}
