/** A user function as DataSet operators take it: the call and its lifecycle, plus a separate instance for a combiner. */
import { fn, type UserFn } from "../functions.ts";
import { copyFunction } from "./function-copy.ts";

export interface DataSetUserFn<F> extends UserFn<F> {
  /**
   * The same function for a second operator of the plan (the combiner of a reduce). A rich
   * function gets its own copy, made now (before any task opens it), so each operator opens,
   * closes and registers accumulators on its own instance; plain functions are shared.
   */
  forCombiner: UserFn<F>;
}

export function userFunction<F extends (...args: any[]) => any>(f: unknown, method: string, operator: string): DataSetUserFn<F> {
  const main = fn<F>(f, method, operator);
  let forCombiner: UserFn<F> = main;
  if (main.lifecycle !== undefined) {
    try {
      forCombiner = fn<F>(copyFunction(f), method, operator);
    } catch {
      forCombiner = main;
    }
  }
  return { ...main, forCombiner };
}
