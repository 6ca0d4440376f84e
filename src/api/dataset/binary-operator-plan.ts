/**
 * How joins, coGroups and crosses enter the program: a two-input operator behind one partition
 * transformation per input. The optimizer later sets those partitions (hash, broadcast, or the
 * input's own) and the local strategy; the operator factory reads that choice when a task
 * creates the operator.
 */
import type { Transformation } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import { registerBinary, type BinaryChoice, type BinaryInfo, type CrossHint, type JoinHint, type OuterJoinType } from "../../graph/optimizer/plan-info.ts";
import { candidatesFor } from "../../graph/optimizer/candidates.ts";
import type { DataSet } from "./data-set.ts";
import type { DataSetKey } from "./key-identity.ts";

export interface BinarySpec {
  name: string;
  kind: BinaryInfo["kind"];
  /** The operator kind of the plan view, e.g. "join", "left-outer-join". */
  operatorKind: string;
  outer?: OuterJoinType;
  hint: JoinHint | CrossHint;
  keys?: [DataSetKey<any>, DataSetKey<any>];
  type: TypeInformation | undefined;
  /** Makes the operator for the chosen strategy; `name` is the operator's name when the task starts. */
  create: (choice: BinaryChoice, name: string) => AnyOperator;
}

/** Binary operators build hash tables, sort or hold blocks in managed memory; they weigh as much as a sorter. */
const MANAGED_MEMORY_WEIGHT = 1;

export function addBinaryOperator(first: DataSet<any>, second: DataSet<any>, spec: BinarySpec): Transformation {
  const env = first.getExecutionEnvironment();
  if (second.getExecutionEnvironment() !== env) throw new InvalidProgramError(`${spec.name} of '${first.getName()}' and '${second.getName()}': both data sets must belong to the same ExecutionEnvironment`);
  const ship = (input: DataSet<any>, i: number) =>
    env.addTransformation("partition", [input.transformation], { name: `${spec.name} (input ${i})`, outputType: input.transformation.outputType });
  const ships: [Transformation, Transformation] = [ship(first, 1), ship(second, 2)];
  const info: BinaryInfo = { kind: spec.kind, outer: spec.outer, hint: spec.hint, keys: spec.keys, ships, choice: { ship: ["hash", "hash"], local: "sort-merge" } };
  info.choice = { ...candidatesFor(info)[0]! };
  const t = env.addTransformation("two-input", ships, {
    name: spec.name,
    operatorKind: spec.operatorKind,
    outputType: spec.type,
    createOperator: () => spec.create(info.choice, t.name),
    managedMemoryWeight: MANAGED_MEMORY_WEIGHT,
  });
  registerBinary(t, info);
  return t;
}

/** Refuses keys of different kinds or types on the two sides (Flink: "the types of the key fields do not match"). */
export function checkKeysMatch(k1: DataSetKey<any>, k2: DataSetKey<any>, what: string): void {
  if (k1.arity !== undefined && k2.arity !== undefined && k1.arity !== k2.arity)
    throw new InvalidProgramError(`${what}: the first input's key has ${k1.arity} field(s) but the second's has ${k2.arity}`);
  const a = nonNullable(k1.type)?.toString();
  const b = nonNullable(k2.type)?.toString();
  if (a !== undefined && b !== undefined && a !== b && a !== "GENERIC" && b !== "GENERIC")
    throw new InvalidProgramError(`${what}: the key types do not match: ${a} in the first input, ${b} in the second`);
}

function nonNullable(t: TypeInformation | undefined): TypeInformation | undefined {
  return t?.kind === "NULLABLE" ? t.innerType : t;
}
