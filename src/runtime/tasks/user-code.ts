/**
 * The seam through which a task gets user code without the runtime knowing the APIs: the process
 * that replayed the job's main() builds this table, and tasks look things up by id.
 */
import type { AnyOperator } from "../operators/stream-operator.ts";
import type { TypeSerializer } from "../../types/type-serializer.ts";

export interface EdgeUserCode {
  serializer: TypeSerializer<unknown>;
  keySelector?: (value: unknown) => unknown;
  customPartitioner?: (key: unknown, numPartitions: number) => number;
}

export interface UserCodeTable {
  /** A fresh operator instance for stream node `operatorId` (one per subtask). */
  createOperator(operatorId: number): AnyOperator;
  /** The key selector of an operator on a keyed stream; undefined if it is not keyed. */
  keySelector(operatorId: number): ((value: unknown) => unknown) | undefined;
  /** Keyed two-input operators: the second input's key selector. */
  keySelector2?(operatorId: number): ((value: unknown) => unknown) | undefined;
  edge(edgeId: number): EdgeUserCode;
}
