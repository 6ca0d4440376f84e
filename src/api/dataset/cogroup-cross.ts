/**
 * coGroup and cross of the DataSet API. `a.coGroup(b).where(k1).equalTo(k2).with(fn)` calls fn
 * once per key with all records of that key from each input (either may be empty);
 * `a.cross(b)` pairs every record of a with every record of b (`.with(fn)` maps each pair,
 * `.projectFirst/.projectSecond` make tuples). crossWithTiny / crossWithHuge say which input is
 * small enough to be broadcast.
 */
import type { TypeInformation } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import { CoGroupOperator } from "../../runtime/operators/join/co-group-operator.ts";
import { CrossOperator } from "../../runtime/operators/join/cross-operator.ts";
import type { UserFn } from "../functions.ts";
import type { KeySpec } from "../keys.ts";
import { CrossHint } from "../../graph/optimizer/plan-info.ts";
import { checkCrossHint } from "../../graph/optimizer/candidates.ts";
import { DataSet } from "./data-set.ts";
import { addBinaryOperator, checkKeysMatch } from "./binary-operator-plan.ts";
import { coGroupCall, crossCall, pairCall, type CoGroupFunction, type CrossFunction, type PairCall } from "./binary-functions.ts";
import { projectionCall, projectionType, projectMore, type ProjectedField } from "./binary-projection.ts";
import { dataSetKey, type DataSetKey } from "./key-identity.ts";
import { callText } from "./field-checks.ts";

/** What coGroup(other) returns: name the first input's key with where(). */
export class CoGroupOperatorSets<L, R> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
  ) {}

  where(keys: KeySpec<L>): CoGroupOperatorSetsPredicate<L, R> {
    const key = dataSetKey(keys, this.first.transformation.outputType, callText("where", [keys], this.first.getName()));
    return new CoGroupOperatorSetsPredicate(this.first, this.second, key);
  }
}

export class CoGroupOperatorSetsPredicate<L, R> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
    private readonly key1: DataSetKey<L>,
  ) {}

  equalTo(keys: KeySpec<R>): CoGroupFunctionAssigner<L, R> {
    const key2 = dataSetKey(keys, this.second.transformation.outputType, callText("equalTo", [keys], this.second.getName()));
    checkKeysMatch(this.key1, key2, `coGroup of '${this.first.getName()}' and '${this.second.getName()}'`);
    return new CoGroupFunctionAssigner(this.first, this.second, this.key1, key2);
  }
}

export class CoGroupFunctionAssigner<L, R> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
    private readonly key1: DataSetKey<L>,
    private readonly key2: DataSetKey<R>,
  ) {}

  /** Calls `fn(firstGroup, secondGroup, out)` once per key present in either input. */
  with<O>(fn: CoGroupFunction<L, R, O>, type?: TypeInformation<O>): DataSet<O> {
    const f = coGroupCall(fn, "CoGroup");
    const { key1, key2 } = this;
    const type1 = this.first.transformation.outputType;
    const type2 = this.second.transformation.outputType;
    const t = addBinaryOperator(this.first, this.second, {
      name: "CoGroup",
      kind: "cogroup",
      operatorKind: "cogroup",
      hint: "OPTIMIZER_CHOOSES",
      keys: [key1, key2],
      type,
      create: (_choice, name) => new CoGroupOperator({ name, key1: key1.selector, key2: key2.selector, type1, type2, coGroup: f.call, lifecycle: f.lifecycle }),
    });
    return new DataSet<O>(this.first.getExecutionEnvironment(), t);
  }
}

/** The pairs of a cross, with with() and projections to turn them into something else. */
export interface CrossOperatorResult<L, R> extends DataSet<[L, R]> {
  with<O>(fn: CrossFunction<L, R, O>, type?: TypeInformation<O>): DataSet<O>;
  projectFirst(...fields: number[]): ProjectCross<L, R>;
  projectSecond(...fields: number[]): ProjectCross<L, R>;
}

export interface ProjectCross<L, R> extends DataSet<unknown[]> {
  projectFirst(...fields: number[]): ProjectCross<L, R>;
  projectSecond(...fields: number[]): ProjectCross<L, R>;
}

const CROSS_METHOD: Record<CrossHint, string> = { OPTIMIZER_CHOOSES: "cross", FIRST_IS_SMALL: "crossWithHuge", SECOND_IS_SMALL: "crossWithTiny" };

/** cross(other), crossWithTiny(other) (hint SECOND_IS_SMALL), crossWithHuge(other) (FIRST_IS_SMALL). */
export function crossOf<L, R>(first: DataSet<L>, second: DataSet<R>, hint: CrossHint = CrossHint.OPTIMIZER_CHOOSES): CrossOperatorResult<L, R> {
  checkCrossHint(hint, `${CROSS_METHOD[hint] ?? "cross"} of '${first.getName()}' and '${second.getName()}'`);
  const build = <O>(f: UserFn<PairCall>, type: TypeInformation | undefined): DataSet<O> => {
    const type1 = first.transformation.outputType;
    const type2 = second.transformation.outputType;
    const t = addBinaryOperator(first, second, {
      name: "Cross",
      kind: "cross",
      operatorKind: "cross",
      hint,
      type,
      create: (choice, name) =>
        new CrossOperator({ name, type1, type2, blockSide: choice.local === "nested-loop-block-first" ? 1 : 2, cross: f.call, lifecycle: f.lifecycle }),
    });
    return new DataSet<O>(first.getExecutionEnvironment(), t);
  };
  const project = (before: ProjectedField[], side: 1 | 2, fields: number[]): ProjectCross<L, R> => {
    const all = projectMore(before, side, fields, side === 1 ? first : second);
    return Object.assign(build<unknown[]>({ call: projectionCall(all), lifecycle: undefined }, projectionType(all, first, second)), {
      projectFirst: (...more: number[]) => project(all, 1, more),
      projectSecond: (...more: number[]) => project(all, 2, more),
    });
  };
  const t1 = first.transformation.outputType;
  const t2 = second.transformation.outputType;
  const pairs = build<[L, R]>({ call: pairCall, lifecycle: undefined }, t1 && t2 ? Types.TUPLE(t1, t2) : undefined);
  return Object.assign(pairs, {
    with: <O>(fn: CrossFunction<L, R, O>, type?: TypeInformation<O>) => build<O>(crossCall(fn, "Cross"), type),
    projectFirst: (...fields: number[]) => project([], 1, fields),
    projectSecond: (...fields: number[]) => project([], 2, fields),
  });
}
