/** Which key groups a parallel subtask owns, and which subtask owns a key group (Flink's KeyGroupRangeAssignment). */
import { checkState } from "../../core/errors.ts";

/** A range of key groups, both ends inclusive; empty when end < start. */
export interface KeyGroupRangeLike {
  start: number;
  end: number;
}

/** Subtask `operatorIndex` of `parallelism` owns this contiguous range (ends inclusive). */
export function computeKeyGroupRangeForOperatorIndex(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRangeLike {
  checkState(parallelism >= 1 && parallelism <= maxParallelism, `parallelism ${parallelism} must be in [1, maxParallelism ${maxParallelism}]`);
  checkState(operatorIndex >= 0 && operatorIndex < parallelism, `operator index ${operatorIndex} must be in [0, ${parallelism - 1}]`);
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism + parallelism - 1) / parallelism) - 1;
  return { start, end };
}

/** The inverse: the subtask of `parallelism` whose range holds `keyGroup`. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}
