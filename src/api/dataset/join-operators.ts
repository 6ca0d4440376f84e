/**
 * Joins of the DataSet API: `a.join(b, hint?).where(k1).equalTo(k2)` gives the pairs (and
 * `.with(fn)` what a join function makes of them, `.projectFirst/.projectSecond` tuples of their
 * fields); leftOuterJoin, rightOuterJoin and fullOuterJoin need `.with(fn)`, which receives null
 * for the side without a match. Keys are given as groupBy takes them and must have the same type
 * on both sides.
 */
import type { TypeInformation } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import { JoinOperator } from "../../runtime/operators/join/join-operator.ts";
import type { UserFn } from "../functions.ts";
import type { KeySpec } from "../keys.ts";
import { JoinHint, type JoinStrategy, type OuterJoinType } from "../../graph/optimizer/plan-info.ts";
import { checkJoinHint } from "../../graph/optimizer/candidates.ts";
import { DataSet } from "./data-set.ts";
import { addBinaryOperator, checkKeysMatch } from "./binary-operator-plan.ts";
import { joinCall, pairCall, type FlatJoinFunction, type JoinFunction, type PairCall } from "./binary-functions.ts";
import { projectionCall, projectionType, projectMore, type ProjectedField } from "./binary-projection.ts";
import { dataSetKey, type DataSetKey } from "./key-identity.ts";
import { callText } from "./field-checks.ts";
import type { Transformation } from "../../graph/transformation.ts";

const METHOD: Record<OuterJoinType | "inner", string> = { inner: "join", left: "leftOuterJoin", right: "rightOuterJoin", full: "fullOuterJoin" };
const NAME: Record<OuterJoinType | "inner", string> = { inner: "Join", left: "LeftOuterJoin", right: "RightOuterJoin", full: "FullOuterJoin" };

/**
 * What join(other) and the outer joins return: name the first input's key with where(). `J` is
 * what equalTo() gives: the pairs for inner joins, a JoinFunctionAssigner for outer joins.
 */
export class JoinOperatorSets<L, R, J = DefaultJoin<L, R>> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
    private readonly hint: JoinHint = JoinHint.OPTIMIZER_CHOOSES,
    private readonly outer?: OuterJoinType,
  ) {
    checkJoinHint(hint, outer, `${METHOD[outer ?? "inner"]} of '${first.getName()}' and '${second.getName()}'`);
  }

  where(keys: KeySpec<L>): JoinOperatorSetsPredicate<L, R, J> {
    const key = dataSetKey(keys, this.first.transformation.outputType, callText("where", [keys], this.first.getName()));
    return new JoinOperatorSetsPredicate<L, R, J>(this.first, this.second, this.hint, this.outer, key);
  }
}

/** What where() returns: name the second input's key with equalTo(). */
export class JoinOperatorSetsPredicate<L, R, J = DefaultJoin<L, R>> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
    private readonly hint: JoinHint,
    private readonly outer: OuterJoinType | undefined,
    private readonly key1: DataSetKey<L>,
  ) {}

  /** Inner joins: the pairs, as a data set of `[first, second]` that also offers with() and projections. */
  equalTo(keys: KeySpec<R>): J {
    const method = METHOD[this.outer ?? "inner"];
    const key2 = dataSetKey(keys, this.second.transformation.outputType, callText("equalTo", [keys], this.second.getName()));
    checkKeysMatch(this.key1, key2, `${method} of '${this.first.getName()}' and '${this.second.getName()}'`);
    const join = new EquiJoin<L, R>(this.first, this.second, this.hint, this.outer, this.key1, key2);
    return (this.outer ? join.assigner() : join.defaultJoin()) as J;
  }
}

/** What an outer join's equalTo() returns: a join function must be given. */
export interface JoinFunctionAssigner<L, R> {
  with<O>(fn: JoinFunction<L | null, R | null, O>, type?: TypeInformation<O>): DataSet<O>;
  with<O>(fn: FlatJoinFunction<L | null, R | null, O>, type?: TypeInformation<O>): DataSet<O>;
}

/** The pairs of an inner join, with the ways to turn them into something else. */
export interface DefaultJoin<L, R> extends DataSet<[L, R]>, JoinFunctionAssigner<L, R> {
  with<O>(fn: JoinFunction<L, R, O>, type?: TypeInformation<O>): DataSet<O>;
  with<O>(fn: FlatJoinFunction<L, R, O>, type?: TypeInformation<O>): DataSet<O>;
  /** A tuple of these fields of the first input (the whole record when none are given), then of what projectSecond adds. */
  projectFirst(...fields: number[]): ProjectJoin<L, R>;
  projectSecond(...fields: number[]): ProjectJoin<L, R>;
}

/** A join's projection: tuples of fields of both inputs, extended by further projectFirst/projectSecond calls. */
export interface ProjectJoin<L, R> extends DataSet<unknown[]> {
  projectFirst(...fields: number[]): ProjectJoin<L, R>;
  projectSecond(...fields: number[]): ProjectJoin<L, R>;
}

/** One equi-join of two inputs on a key of each: builds its transformations. */
class EquiJoin<L, R> {
  constructor(
    private readonly first: DataSet<L>,
    private readonly second: DataSet<R>,
    private readonly hint: JoinHint,
    private readonly outer: OuterJoinType | undefined,
    private readonly key1: DataSetKey<L>,
    private readonly key2: DataSetKey<R>,
  ) {}

  assigner(): JoinFunctionAssigner<L, R> {
    return { with: <O>(fn: unknown, type?: TypeInformation<O>) => this.build<O>(joinCall(fn, NAME[this.outer ?? "inner"]), type) };
  }

  defaultJoin(): DefaultJoin<L, R> {
    const t1 = this.first.transformation.outputType;
    const t2 = this.second.transformation.outputType;
    const pairs = this.build<[L, R]>({ call: pairCall, lifecycle: undefined }, t1 && t2 ? (Types.TUPLE(t1, t2) as TypeInformation<[L, R]>) : undefined);
    return Object.assign(pairs, {
      with: <O>(fn: unknown, type?: TypeInformation<O>) => this.build<O>(joinCall(fn, "Join"), type),
      projectFirst: (...fields: number[]) => this.project([], 1, fields),
      projectSecond: (...fields: number[]) => this.project([], 2, fields),
    });
  }

  private project(before: ProjectedField[], side: 1 | 2, fields: number[]): ProjectJoin<L, R> {
    const all = projectMore(before, side, fields, side === 1 ? this.first : this.second);
    const projected = this.build<unknown[]>({ call: projectionCall(all), lifecycle: undefined }, projectionType(all, this.first, this.second));
    return Object.assign(projected, {
      projectFirst: (...more: number[]) => this.project(all, 1, more),
      projectSecond: (...more: number[]) => this.project(all, 2, more),
    });
  }

  private build<O>(f: UserFn<PairCall>, type: TypeInformation | undefined): DataSet<O> {
    const outer = this.outer;
    const { key1, key2 } = this;
    const type1 = this.first.transformation.outputType;
    const type2 = this.second.transformation.outputType;
    // reading the build side first would stall a source that also feeds the probe side
    const independentInputs = !shareAncestor(this.first.transformation, this.second.transformation);
    const t = addBinaryOperator(this.first, this.second, {
      name: NAME[outer ?? "inner"],
      kind: "join",
      operatorKind: outer ? `${outer}-outer-join` : "join",
      outer,
      hint: this.hint,
      keys: [key1, key2],
      type,
      create: (choice, name) =>
        new JoinOperator({ name, strategy: choice.local as JoinStrategy, outer, key1: key1.selector, key2: key2.selector, type1, type2, keyField1: key1.field, keyField2: key2.field, readBuildFirst: independentInputs, join: f.call, lifecycle: f.lifecycle }),
    });
    return new DataSet<O>(this.first.getExecutionEnvironment(), t);
  }
}

/** True when some transformation feeds both `a` and `b` (or one is upstream of the other). */
function shareAncestor(a: Transformation, b: Transformation): boolean {
  const upstream = (t: Transformation, seen: Set<Transformation>): Set<Transformation> => {
    if (!seen.has(t)) {
      seen.add(t);
      for (const input of t.inputs) upstream(input, seen);
    }
    return seen;
  };
  const ofA = upstream(a, new Set());
  for (const t of upstream(b, new Set())) if (ofA.has(t)) return true;
  return false;
}
