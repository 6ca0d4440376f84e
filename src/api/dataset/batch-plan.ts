/**
 * The plans a cost-free optimizer picks for DataSet operations, built as Transformations: an
 * optional local operator chained to the input (a combiner, a local distinct or first-n), a
 * shuffle (hash by key, or global to one subtask), and the final operator.
 */
import type { Transformation } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import type { ExecutionEnvironment } from "./execution-environment.ts";

/** How the data reaches the final operator. */
export type Shuffle = { kind: "hash"; key: (value: any) => unknown } | { kind: "global" } | { kind: "forward" };

export interface PlanSpec {
  /** The final operator's name and kind (plan view, graph hash). */
  name: string;
  kind: string;
  type: TypeInformation | undefined;
  final: () => AnyOperator;
  /** A pre-shuffle operator at the input's parallelism; its output type is the input's. */
  local?: { name: string; kind: string; create: () => AnyOperator; managedMemory?: boolean };
  shuffle: Shuffle;
  /** The final operator sorts or hashes in managed memory: it declares a share of the slot's budget. */
  managedMemory?: boolean;
}

/** The weight of an operator that sorts or hashes in managed memory (every such operator weighs the same). */
const MANAGED_MEMORY_WEIGHT = 1;

/** The transformations of one plan; `final` is what the resulting DataSet wraps. */
export interface BuiltPlan {
  final: Transformation;
  local?: Transformation;
  /** The final operator runs with parallelism 1 whatever the program asks (non-grouped reduce, first). */
  singleton: boolean;
}

export function buildPlan(env: ExecutionEnvironment, input: Transformation, spec: PlanSpec): BuiltPlan {
  let upstream = input;
  let local: Transformation | undefined;
  if (spec.local) {
    local = env.addTransformation("one-input", [input], {
      name: spec.local.name,
      operatorKind: spec.local.kind,
      outputType: input.outputType,
      createOperator: spec.local.create,
      ...(spec.local.managedMemory ? { managedMemoryWeight: MANAGED_MEMORY_WEIGHT } : {}),
    });
    env.followInputParallelism(local, input);
    upstream = local;
  }
  const singleton = spec.shuffle.kind === "global";
  if (spec.shuffle.kind !== "forward") {
    const partitioner = spec.shuffle.kind;
    const key = spec.shuffle.kind === "hash" ? (spec.shuffle.key as (v: unknown) => unknown) : undefined;
    upstream = env.addTransformation("partition", [upstream], { name: partitioner, partitioner, partitionKeySelector: key, outputType: upstream.outputType });
  }
  const final = env.addTransformation("one-input", [upstream], {
    name: spec.name,
    operatorKind: spec.kind,
    outputType: spec.type,
    createOperator: spec.final,
    parallelism: singleton ? 1 : undefined,
    ...(spec.managedMemory ? { managedMemoryWeight: MANAGED_MEMORY_WEIGHT } : {}),
  });
  if (spec.shuffle.kind === "forward" && !spec.local) env.followInputParallelism(final, input);
  return { final, local, singleton };
}
