/**
 * partitionByRange(keys): sends each record to the subtask owning its key's range, ranges in
 * ascending key order, with boundaries cut from a sample of the data. The plan, built here:
 *
 *   input -> sample (chained, one sample per subtask) -> broadcast ----------.
 *   input -------------------------------------------------> assign range index (waits for the samples)
 *     -> custom partitioner by index -> strip the index -> the records, range-partitioned
 *
 * The assigner runs at the parallelism of the partitioned data set (so it cuts that many ranges)
 * and holds its input in managed memory, spilling, until the samples are complete.
 */
import { Types } from "../../types/types.ts";
import type { KeySpec } from "../keys.ts";
import { StreamMap } from "../../runtime/operators/stream/simple-operators.ts";
import { BroadcastInputOperator } from "../../runtime/operators/broadcast/broadcast-input-operator.ts";
import { RANGE_SAMPLES, RangeAssignOperator, RangeSampleOperator } from "../../runtime/operators/broadcast/range-partition-operators.ts";
import { registerRangePartition } from "../../graph/optimizer/plan-info.ts";
import { DataSet } from "./data-set.ts";
import { dataSetKey } from "./key-identity.ts";
import { callText } from "./field-checks.ts";

export function partitionByRange<T>(input: DataSet<T>, keys: KeySpec<T>): DataSet<T> {
  const env = input.getExecutionEnvironment();
  const type = input.transformation.outputType;
  const key = dataSetKey(keys, type, callText("partitionByRange", [keys], input.getName()));
  const keyOf = key.selector;
  const sample = env.addTransformation("one-input", [input.transformation], {
    name: "RangePartition: Sample",
    operatorKind: "range-sample",
    createOperator: () => new RangeSampleOperator(keyOf),
  });
  env.followInputParallelism(sample, input.transformation);
  const samples = env.addTransformation("partition", [sample], { name: "broadcast", partitioner: "broadcast" });
  const tagged = type ? Types.TUPLE(Types.INT, type) : undefined;
  const assign = env.addTransformation("two-input", [input.transformation, samples], {
    name: "RangePartition: AssignIndex",
    operatorKind: "range-assign",
    outputType: tagged,
    createOperator: () => new BroadcastInputOperator(new RangeAssignOperator(keyOf), [RANGE_SAMPLES], type, 0),
    managedMemoryWeight: 1,
  });
  const byIndex = env.addTransformation("partition", [assign], {
    name: "Partition (range)",
    partitioner: "custom",
    partitionKeySelector: (r) => (r as [number, T])[0],
    customPartitioner: (index) => index as number,
    outputType: tagged,
  });
  registerRangePartition(byIndex, key.id);
  const strip = env.addTransformation("one-input", [byIndex], {
    name: "RangePartition: RemoveIndex",
    operatorKind: "range-strip",
    outputType: type,
    createOperator: () => new StreamMap((r: [number, T]) => r[1]),
  });
  // the assigner cuts as many ranges as the partitioned data set has subtasks
  env.followInputParallelism(assign, strip);
  return new DataSet<T>(env, strip);
}
