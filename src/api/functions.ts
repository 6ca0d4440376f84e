/**
 * User functions: each may be a plain function or an object with the method; Rich variants are
 * classes with open/close and a RuntimeContext. `fn()` turns any of them into a call plus the
 * lifecycle target the operator opens and closes.
 */
import type { StreamingRuntimeContext } from "../runtime/tasks/runtime-context.ts";
import type { FunctionLifecycle } from "../runtime/operators/user-function.ts";
import { InvalidProgramError } from "../core/errors.ts";

export type RuntimeContext = StreamingRuntimeContext;

export interface Collector<T> {
  collect(value: T): void;
}

export type MapFunction<I, O> = ((value: I) => O) | { map(value: I): O };
export type FlatMapFunction<I, O> = ((value: I, out: Collector<O>) => void) | { flatMap(value: I, out: Collector<O>): void };
export type FilterFunction<T> = ((value: T) => boolean) | { filter(value: T): boolean };
export type ReduceFunction<T> = ((a: T, b: T) => T) | { reduce(a: T, b: T): T };
export type KeySelector<T, K = unknown> = ((value: T) => K) | { getKey(value: T): K };
export type MapPartitionFunction<I, O> = ((values: Iterable<I>, out: Collector<O>) => void) | { mapPartition(values: Iterable<I>, out: Collector<O>): void };
export type GroupReduceFunction<I, O> = ((values: Iterable<I>, out: Collector<O>) => void) | { reduce(values: Iterable<I>, out: Collector<O>): void };
export type GroupCombineFunction<I, O> = ((values: Iterable<I>, out: Collector<O>) => void) | { combine(values: Iterable<I>, out: Collector<O>): void };
export type SinkFunction<T> = ((value: T, context?: unknown) => void) | { invoke(value: T, context?: unknown): void };
export type Partitioner<K> = ((key: K, numPartitions: number) => number) | { partition(key: K, numPartitions: number): number };

/** Base of every rich function: open/close and the runtime context. */
export abstract class AbstractRichFunction implements FunctionLifecycle {
  private runtimeContext: RuntimeContext | undefined;
  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContext = context;
  }
  getRuntimeContext(): RuntimeContext {
    if (!this.runtimeContext) throw new InvalidProgramError("getRuntimeContext() is only available once the function is opened on a task");
    return this.runtimeContext;
  }
  open(_context?: unknown): void | Promise<void> {}
  close(): void | Promise<void> {}
}

export abstract class RichMapFunction<I, O> extends AbstractRichFunction {
  abstract map(value: I): O;
}
export abstract class RichFlatMapFunction<I, O> extends AbstractRichFunction {
  abstract flatMap(value: I, out: Collector<O>): void;
}
export abstract class RichFilterFunction<T> extends AbstractRichFunction {
  abstract filter(value: T): boolean;
}
export abstract class RichReduceFunction<T> extends AbstractRichFunction {
  abstract reduce(a: T, b: T): T;
}
export abstract class RichMapPartitionFunction<I, O> extends AbstractRichFunction {
  abstract mapPartition(values: Iterable<I>, out: Collector<O>): void;
}
export abstract class RichGroupReduceFunction<I, O> extends AbstractRichFunction {
  abstract reduce(values: Iterable<I>, out: Collector<O>): void;
}
export abstract class RichSinkFunction<T> extends AbstractRichFunction {
  abstract invoke(value: T, context?: unknown): void;
}
export abstract class RichCoMapFunction<I1, I2, O> extends AbstractRichFunction {
  abstract map1(value: I1): O;
  abstract map2(value: I2): O;
}
export abstract class RichCoFlatMapFunction<I1, I2, O> extends AbstractRichFunction {
  abstract flatMap1(value: I1, out: Collector<O>): void;
  abstract flatMap2(value: I2, out: Collector<O>): void;
}

/** A normalized user function: what to call, and what to open and close. */
export interface UserFn<F> {
  call: F;
  lifecycle: FunctionLifecycle | undefined;
}

/** Accepts `f` as a function or as an object with `method`; names the operator when neither. */
export function fn<F extends (...args: any[]) => any>(f: unknown, method: string, operator: string): UserFn<F> {
  if (typeof f === "function") return { call: f as F, lifecycle: undefined };
  if (f && typeof f === "object" && typeof (f as any)[method] === "function") {
    const target = f as any;
    const call = target[method].bind(target) as F;
    const lifecycle = typeof target.open === "function" || typeof target.close === "function" || typeof target.setRuntimeContext === "function" ? (target as FunctionLifecycle) : undefined;
    return { call, lifecycle };
  }
  throw new InvalidProgramError(`${operator}: expected a function or an object with a ${method}() method, got ${describeValue(f)}`);
}

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return v.constructor?.name ? `an instance of ${v.constructor.name}` : "an object";
  return typeof v;
}
