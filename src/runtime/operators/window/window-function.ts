/**
 * How a window operator keeps a window's contents and hands them to the user: Flink's
 * InternalWindowFunction, and the kind of window state (incremental reduce or aggregate, or
 * the elements as a list).
 */
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import type { WindowProcessContext } from "./window-contexts.ts";
import type { Window } from "./windows.ts";

export type AggregateFunctionLike = NonNullable<StateDescriptorLike["aggregateFunction"]>;

/**
 * What a window holds: the running reduce value, the aggregate accumulator, or every element.
 * Incremental kinds hand the function one value when the window fires; "list" hands an array.
 */
export type WindowContents =
  | { readonly kind: "reduce"; readonly reduce: (a: any, b: any) => any }
  | { readonly kind: "aggregate"; readonly aggregate: AggregateFunctionLike }
  | { readonly kind: "list" };

export interface WindowCollector<OUT> {
  collect(value: OUT): void;
}

/**
 * The user's window function as the operator calls it. `input` is the single reduced or
 * aggregated value for "reduce"/"aggregate" contents, and a read-only array for "list".
 * Records collected carry the window's maxTimestamp().
 */
export interface InternalWindowFunction<IN = any, OUT = any> {
  process(key: unknown, window: Window, ctx: WindowProcessContext, input: IN, out: WindowCollector<OUT>): void;
  /** The window is dropped: a ProcessWindowFunction clears its per-window state here. */
  clear(window: Window, ctx: WindowProcessContext): void;
  /** The user function(s) to open and close with the operator. */
  readonly lifecycles: readonly FunctionLifecycle[];
  /** For the plan view, e.g. "ReduceFunction, ProcessWindowFunction". */
  readonly label: string;
}

/**
 * The descriptor of a window's contents state (Flink calls it "window-contents"). `onExisting`,
 * if given, is called during an add that finds contents already there (reduce and aggregate
 * contents; the state calls reduce, or adds without a new accumulator, exactly then).
 */
export function contentsDescriptor(contents: WindowContents, onExisting?: () => void): StateDescriptorLike {
  switch (contents.kind) {
    case "reduce": {
      const reduce = contents.reduce;
      if (onExisting === undefined) return { name: "window-contents", kind: "reducing", reduceFunction: reduce };
      return {
        name: "window-contents",
        kind: "reducing",
        reduceFunction: (a: unknown, b: unknown) => {
          onExisting();
          return reduce(a, b);
        },
      };
    }
    case "aggregate": {
      const agg = contents.aggregate;
      if (onExisting === undefined) return { name: "window-contents", kind: "aggregating", aggregateFunction: agg };
      // the state creates an accumulator right before the add that fills an empty window
      let fresh = false;
      return {
        name: "window-contents",
        kind: "aggregating",
        aggregateFunction: {
          createAccumulator: () => {
            fresh = true;
            return agg.createAccumulator();
          },
          add: (value: unknown, acc: unknown) => {
            if (fresh) fresh = false;
            else onExisting();
            return agg.add(value, acc);
          },
          getResult: (acc: unknown) => agg.getResult(acc),
          merge: agg.merge === undefined ? undefined : (a: unknown, b: unknown) => agg.merge!(a, b),
        },
      };
    }
    case "list":
      return { name: "window-contents", kind: "list" };
  }
}

/** Folds a list of elements the way the incremental state would have (used after eviction). */
export function foldContents(contents: WindowContents, values: readonly unknown[]): { empty: boolean; value: unknown } {
  switch (contents.kind) {
    case "list":
      return { empty: false, value: values };
    case "reduce": {
      if (values.length === 0) return { empty: true, value: undefined };
      let acc = values[0];
      for (let i = 1; i < values.length; i++) acc = contents.reduce(acc, values[i]);
      return { empty: false, value: acc };
    }
    case "aggregate": {
      const fn = contents.aggregate;
      let acc = fn.createAccumulator();
      for (const v of values) acc = fn.add(v, acc);
      return { empty: false, value: fn.getResult(acc) };
    }
  }
}
