/**
 * Turns the user's window functions (ProcessWindowFunction, WindowFunction, their All variants,
 * plain functions) into the runtime's InternalWindowFunction.
 */
import { InvalidProgramError } from "../../core/errors.ts";
import type { FunctionLifecycle } from "../../runtime/operators/user-function.ts";
import type { InternalWindowFunction, WindowCollector } from "../../runtime/operators/window/window-function.ts";
import type { WindowProcessContext } from "../../runtime/operators/window/window-contexts.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import { describeValue } from "../functions.ts";

/** How the function is called: with the key (keyed windows) or without (windowAll). */
export type WindowFunctionShape = "process" | "apply" | "processAll" | "applyAll";

/** Whether the operator hands the function one value (reduce, aggregate) or the element list. */
export type InputShape = "single" | "list";

function lifecyclesOf(f: unknown): FunctionLifecycle[] {
  const o = f as FunctionLifecycle | null;
  if (o !== null && typeof o === "object" && (typeof o.open === "function" || typeof o.close === "function" || typeof o.setRuntimeContext === "function")) return [o];
  return [];
}

function nameOf(f: unknown, fallback: string): string {
  if (typeof f === "function") return f.name && f.name !== "anonymous" ? f.name : fallback;
  const ctor = (f as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor && ctor !== "Object" ? ctor : fallback;
}

/** The result of reduce or aggregate without a window function: emitted as is. */
export function passThrough(label: string): InternalWindowFunction {
  return {
    process: (_key, _window, _ctx, input, out) => out.collect(input),
    clear: () => {},
    lifecycles: [],
    label,
  };
}

/**
 * Adapts a user window function. `shape` says how it is called; plain functions take the same
 * arguments as the method would. `input: "single"` wraps the one value in an array.
 */
export function internalWindowFunction(userFn: unknown, shape: WindowFunctionShape, input: InputShape, label: string, what: string): InternalWindowFunction {
  const method = shape === "process" || shape === "processAll" ? "process" : "apply";
  let call: (...args: any[]) => void;
  let clear: (ctx: WindowProcessContext) => void = () => {};
  if (typeof userFn === "function") {
    call = userFn as (...args: any[]) => void;
  } else if (userFn !== null && typeof userFn === "object" && typeof (userFn as any)[method] === "function") {
    const target = userFn as any;
    call = target[method].bind(target);
    if (typeof target.clear === "function") clear = (ctx) => target.clear(ctx);
  } else {
    throw new InvalidProgramError(`${what}: expected a function or an object with a ${method}() method, got ${describeValue(userFn)}`);
  }
  const single = input === "single";
  const elements = (v: unknown) => (single ? [v] : (v as unknown[]));
  let process: InternalWindowFunction["process"];
  switch (shape) {
    case "process":
      process = (key, _w, ctx, v, out) => call(key, ctx, elements(v), out);
      break;
    case "processAll":
      process = (_key, _w, ctx, v, out) => call(ctx, elements(v), out);
      break;
    case "apply":
      process = (key, w, _ctx, v, out) => call(key, w, elements(v), out);
      break;
    case "applyAll":
      process = (_key, w, _ctx, v, out) => call(w, elements(v), out);
      break;
  }
  return {
    process: process as (key: unknown, window: Window, ctx: WindowProcessContext, input: unknown, out: WindowCollector<unknown>) => void,
    clear: (_window, ctx) => clear(ctx),
    lifecycles: lifecyclesOf(userFn),
    label: `${label}${label ? ", " : ""}${nameOf(userFn, shape === "apply" || shape === "applyAll" ? "WindowFunction" : "ProcessWindowFunction")}`,
  };
}

/** The reduce/aggregate function itself may not be rich in a window, as in Flink. */
export function rejectRich(f: unknown, what: string, instead: string): void {
  if (lifecyclesOf(f).length > 0) throw new InvalidProgramError(`${what} can not be a RichFunction. Please use ${instead} instead.`);
}

export { nameOf as functionName };
