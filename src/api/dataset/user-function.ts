/** A user function as DataSet operators take it: the call and its lifecycle, plus a separate instance for a combiner. */
import { fn, type UserFn } from "../functions.ts";
import { copyFunction } from "./function-copy.ts";

export interface DataSetUserFn<F> extends UserFn<F> {
  /**
   * The same function for a second operator of the plan (the combiner of a reduce). A rich
   * function gets its own copy, so each operator opens, closes and registers accumulators on its
   * own instance; plain functions are shared. Call it while the program is built, before any
   * task opens the original.
   */
  forCombiner(): UserFn<F>;
}

export function userFunction<F extends (...args: any[]) => any>(f: unknown, method: string, operator: string): DataSetUserFn<F> {
  const main = fn<F>(f, method, operator);
  const forCombiner = (): UserFn<F> => {
    if (main.lifecycle === undefined) return main;
    try {
      return fn<F>(copyFunction(f), method, operator);
    } catch {
      return main; // an object that cannot be copied is shared, as plain functions are
    }
  };
  return { ...main, forCombiner };
}
