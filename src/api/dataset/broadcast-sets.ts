/**
 * withBroadcastSet(ds, name): makes every record of `ds` available to each parallel instance of
 * an operator as `getRuntimeContext().getBroadcastVariable(name)`, complete before the
 * operator's function opens. The operator becomes a two-input one: its own input stays input 1;
 * the broadcast sets, tagged with their names, are broadcast on input 2 (a BroadcastInputOperator
 * makes input 1 wait in managed memory until input 2 has ended).
 */
import type { Transformation } from "../../graph/transformation.ts";
import { StreamMap } from "../../runtime/operators/stream/simple-operators.ts";
import { BroadcastInputOperator, type BroadcastRecord } from "../../runtime/operators/broadcast/broadcast-input-operator.ts";
import type { StreamOperator } from "../../runtime/operators/stream-operator.ts";
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { ExecutionEnvironment } from "./execution-environment.ts";
import type { DataSet } from "./data-set.ts";

interface BroadcastInputs {
  names: string[];
  /** The union of the tagged broadcast sets: one more input per withBroadcastSet call. */
  union: Transformation;
}

const registered = new WeakMap<Transformation, BroadcastInputs>();

/** Adds the broadcast set `set` named `name` to the operator `target` (and to `local`, its combiner, if any). */
export function addBroadcastSet(env: ExecutionEnvironment, target: Transformation, local: Transformation | undefined, set: DataSet<unknown>, name: string): void {
  const what = `withBroadcastSet(..., '${name}') on '${target.name}'`;
  checkArgument(typeof name === "string" && name.length > 0, `${what}: give the broadcast set a name`);
  if (set.getExecutionEnvironment() !== env) throw new InvalidProgramError(`${what}: the broadcast set must belong to the same ExecutionEnvironment`);
  for (const t of local ? [target, local] : [target]) addTo(env, t, set, name, what);
}

function addTo(env: ExecutionEnvironment, target: Transformation, set: DataSet<unknown>, name: string, what: string): void {
  let inputs = registered.get(target);
  if (!inputs) {
    if (target.kind === "two-input") throw new InvalidProgramError(`${what}: broadcast sets are supported on single-input operators (map, filter, reduce, groupBy operations...), not on joins, coGroups or crosses`);
    if (target.kind !== "one-input" || !target.props.createOperator)
      throw new InvalidProgramError(`${what}: only operators that run a function can read broadcast sets, not a ${target.kind}`);
    inputs = convert(env, target);
  }
  if (inputs.names.includes(name)) throw new InvalidProgramError(`${what}: a broadcast set named '${name}' was already given`);
  inputs.names.push(name);
  const tag = env.addTransformation("one-input", [set.transformation], {
    name: `Broadcast '${name}'`,
    operatorKind: "broadcast-tag",
    createOperator: () => new StreamMap((v: unknown): BroadcastRecord => [name, v]),
  });
  env.followInputParallelism(tag, set.transformation);
  inputs.union.inputs.push(tag);
}

/** Turns a one-input operator into a BroadcastInputOperator over it, with an (empty) union of broadcast sets as input 2. */
function convert(env: ExecutionEnvironment, target: Transformation): BroadcastInputs {
  const union = env.addTransformation("union", [], { name: "Broadcast sets" });
  const broadcast = env.addTransformation("partition", [union], { name: "broadcast", partitioner: "broadcast" });
  const inputs: BroadcastInputs = { names: [], union };
  const create = target.props.createOperator!;
  const weight = target.props.managedMemoryWeight ?? 0;
  const mainType = target.inputs[0]!.outputType;
  target.kind = "two-input";
  target.inputs.push(broadcast);
  target.props.managedMemoryWeight = weight + 1;
  target.props.createOperator = () => new BroadcastInputOperator(create() as StreamOperator, inputs.names, mainType, weight);
  registered.set(target, inputs);
  return inputs;
}
