/**
 * The user functions of DataSet joins, coGroups and crosses (Flink's JoinFunction,
 * FlatJoinFunction, CoGroupFunction are the DataStream API's; CrossFunction is here), and how
 * the API turns each into the `(first, second, out)` call the runtime operators make.
 */
import { AbstractRichFunction, fn, type UserFn } from "../functions.ts";
import { RichFlatJoinFunction, RichJoinFunction, type FlatJoinFunction, type JoinFunction } from "../datastream/joined-streams.ts";
import type { CoGroupFunction } from "../datastream/co-grouped-streams.ts";
import type { Collector } from "../functions.ts";

export type { CoGroupFunction, FlatJoinFunction, JoinFunction };

export type CrossFunction<L, R, O> = ((first: L, second: R) => O) | { cross(first: L, second: R): O };

export abstract class RichCrossFunction<L, R, O> extends AbstractRichFunction {
  abstract cross(first: L, second: R): O;
}

/** The call the runtime makes per pair (or per pair of groups), emitting into `out`. */
export type PairCall = (first: any, second: any, out: Collector<any>) => void;

/**
 * A join function as the operator calls it: flat join functions (RichFlatJoinFunction, or three
 * declared parameters) are called as they are, plain ones have their result collected.
 */
export function joinCall(f: unknown, operator: string): UserFn<PairCall> {
  const u = fn<(...args: any[]) => any>(f, "join", operator);
  const flat =
    typeof f === "function" ? f.length >= 3 : f instanceof RichFlatJoinFunction || (!(f instanceof RichJoinFunction) && (f as { join: (...a: unknown[]) => unknown }).join.length >= 3);
  if (flat) return { call: u.call as PairCall, lifecycle: u.lifecycle };
  const call = u.call;
  return { call: (a, b, out) => out.collect(call(a, b)), lifecycle: u.lifecycle };
}

export function crossCall(f: unknown, operator: string): UserFn<PairCall> {
  const u = fn<(a: unknown, b: unknown) => unknown>(f, "cross", operator);
  const call = u.call;
  return { call: (a, b, out) => out.collect(call(a, b)), lifecycle: u.lifecycle };
}

export function coGroupCall(f: unknown, operator: string): UserFn<PairCall> {
  const u = fn<PairCall>(f, "coGroup", operator);
  return { call: u.call, lifecycle: u.lifecycle };
}

/** The default of join() and cross() without a function: the pair itself. */
export const pairCall: PairCall = (a, b, out) => out.collect([a, b]);
