/**
 * Window coGroup, as Flink's CoGroupedStreams: `a.coGroup(b).where(kA).equalTo(kB)
 * .window(assigner).apply(fn)` calls fn once per key and window with the elements of each side.
 * Built as Flink builds it: both inputs tagged into one union type, unioned, keyed by the key of
 * either side, windowed, and split again in the window function. Results carry the window's
 * maxTimestamp.
 */
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { Evictor } from "../../runtime/operators/window/evictors.ts";
import type { Trigger } from "../../runtime/operators/window/trigger.ts";
import type { WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import type { Duration } from "../../runtime/operators/window/duration.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import { AbstractRichFunction, describeValue, type Collector } from "../functions.ts";
import { resolveKey, type KeySpec } from "../keys.ts";
import type { DataStream, SingleOutputStreamOperator } from "./data-stream.ts";
import { WindowedStream } from "./windowed-stream.ts";

/** Called once per key and window with the elements of each input (either may be empty). */
export type CoGroupFunction<IN1, IN2, OUT> =
  | ((first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>) => void)
  | { coGroup(first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>): void };

export abstract class RichCoGroupFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract coGroup(first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>): void;
}

/** An element of either input: [1, first, undefined] or [2, undefined, second]. */
export type TaggedUnion<T1, T2> = [1, T1, undefined] | [2, undefined, T2];

/** The tagged union's type: typed when both inputs are, so it serializes without the generic codec. */
export function taggedUnionType<T1, T2>(t1: TypeInformation<T1> | undefined, t2: TypeInformation<T2> | undefined): TypeInformation<TaggedUnion<T1, T2>> {
  const side = (t: TypeInformation | undefined) => (t === undefined ? Types.GENERIC : Types.NULLABLE(t));
  return Types.TUPLE(Types.INT, side(t1), side(t2)) as unknown as TypeInformation<TaggedUnion<T1, T2>>;
}

/** The parts of a two-input window operation that coGroup and join share, as their builders collect them. */
export interface TwoInputWindowSpec<T1, T2> {
  input1: DataStream<T1>;
  input2: DataStream<T2>;
  key1: (v: T1) => unknown;
  key2: (v: T2) => unknown;
  assigner: WindowAssigner<any, any>;
  trigger?: Trigger<any, any>;
  evictor?: Evictor<any, any>;
  allowedLateness?: Duration;
  /** For the operator's name: "CoGroup" or "Join". */
  label: string;
}

/**
 * Tags, unions, keys and windows the two inputs, and applies `split`: called per key and window
 * with both sides' elements. `lifecycle` is the user's rich function, opened with the operator.
 */
export function applyOnWindowedUnion<T1, T2, OUT>(
  spec: TwoInputWindowSpec<T1, T2>,
  split: (first: T1[], second: T2[], out: Collector<OUT>) => void,
  lifecycle: object | undefined,
  type: TypeInformation<OUT> | undefined,
): SingleOutputStreamOperator<OUT> {
  const unionType = taggedUnionType(spec.input1.getType(), spec.input2.getType());
  const tagged1 = spec.input1.map((v: T1): TaggedUnion<T1, T2> => [1, v, undefined], unionType).name(`${spec.label}: tag first input`);
  const tagged2 = spec.input2.map((v: T2): TaggedUnion<T1, T2> => [2, undefined, v], unionType).name(`${spec.label}: tag second input`);
  const { key1, key2 } = spec;
  const keyed = tagged1.union(tagged2).keyBy((u: TaggedUnion<T1, T2>) => (u[0] === 1 ? key1(u[1]) : key2(u[2] as T2)));
  const windowed = new WindowedStream(keyed, spec.assigner as WindowAssigner<TaggedUnion<T1, T2>, Window>);
  if (spec.trigger) windowed.trigger(spec.trigger);
  if (spec.evictor) windowed.evictor(spec.evictor);
  if (spec.allowedLateness !== undefined) windowed.allowedLateness(spec.allowedLateness);
  const windowFunction = {
    apply(_key: unknown, _window: Window, input: Iterable<TaggedUnion<T1, T2>>, out: Collector<OUT>): void {
      const first: T1[] = [];
      const second: T2[] = [];
      for (const u of input) {
        if (u[0] === 1) first.push(u[1]);
        else second.push(u[2] as T2);
      }
      split(first, second, out);
    },
    ...lifecycleOf(lifecycle),
  };
  return windowed.apply(windowFunction, type).name(`${spec.label}(${String(spec.assigner)})`);
}

/** open/close/setRuntimeContext of a rich user function, forwarded by the window function that wraps it. */
function lifecycleOf(f: object | undefined): object {
  const target = f as { open?: Function; close?: Function; setRuntimeContext?: Function } | undefined;
  if (!target || (typeof target.open !== "function" && typeof target.close !== "function" && typeof target.setRuntimeContext !== "function")) return {};
  return {
    setRuntimeContext: (rc: unknown) => target.setRuntimeContext?.(rc),
    open: (rc: unknown) => target.open?.(rc),
    close: () => target.close?.(),
  };
}

/** Resolves where()/equalTo() keys against the input's type (selectors, tuple positions or row fields). */
export function keyOf<T>(spec: KeySpec<T>, input: DataStream<T>, what: string): (v: T) => unknown {
  checkArgument(spec !== undefined && spec !== null, `${what}: a key is required (a key selector, field position or field name)`);
  return resolveKey(spec, input.getType(), what).selector;
}

/** Window settings of coGroup and join, shared by their WithWindow builders. */
export abstract class WindowSettings<T1, T2> {
  constructor(protected readonly spec: TwoInputWindowSpec<T1, T2>) {}

  trigger(trigger: Trigger<any, any>): this {
    this.spec.trigger = trigger;
    return this;
  }

  evictor(evictor: Evictor<any, any>): this {
    this.spec.evictor = evictor;
    return this;
  }

  allowedLateness(lateness: Duration): this {
    this.spec.allowedLateness = lateness;
    return this;
  }

  getWindowAssigner(): WindowAssigner<any, any> {
    return this.spec.assigner;
  }
}

/** `a.coGroup(b)`: give the keys, then the window, then the function. */
export class CoGroupedStreams<T1, T2> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
  ) {}

  where<K = unknown>(keySelector: KeySpec<T1>): CoGroupedWhere<T1, T2, K> {
    return new CoGroupedWhere(this.input1, this.input2, keyOf(keySelector, this.input1, "coGroup().where"));
  }
}

export class CoGroupedWhere<T1, T2, K> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
  ) {}

  equalTo(keySelector: KeySpec<T2>): CoGroupedEqualTo<T1, T2, K> {
    return new CoGroupedEqualTo(this.input1, this.input2, this.key1, keyOf(keySelector, this.input2, "coGroup().equalTo"));
  }
}

export class CoGroupedEqualTo<T1, T2, K> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
    private readonly key2: (v: T2) => unknown,
  ) {}

  window<W extends Window>(assigner: WindowAssigner<any, W>): CoGroupedWithWindow<T1, T2, K, W> {
    return new CoGroupedWithWindow({ input1: this.input1, input2: this.input2, key1: this.key1, key2: this.key2, assigner, label: "CoGroup" });
  }
}

export class CoGroupedWithWindow<T1, T2, K, W extends Window> extends WindowSettings<T1, T2> {
  /** Calls the function once per key and window; results carry the window's maxTimestamp. */
  apply<OUT>(fn: CoGroupFunction<T1, T2, OUT>, type?: TypeInformation<OUT>): SingleOutputStreamOperator<OUT> {
    const call = coGroupCall(fn);
    return applyOnWindowedUnion(this.spec, call, typeof fn === "object" ? fn : undefined, type);
  }

  /** Flink's deprecated alias of apply. */
  with<OUT>(fn: CoGroupFunction<T1, T2, OUT>, type?: TypeInformation<OUT>): SingleOutputStreamOperator<OUT> {
    return this.apply(fn, type);
  }
}

function coGroupCall<T1, T2, OUT>(fn: CoGroupFunction<T1, T2, OUT>): (first: T1[], second: T2[], out: Collector<OUT>) => void {
  if (typeof fn === "function") return fn;
  if (fn !== null && typeof fn === "object" && typeof fn.coGroup === "function") return (a, b, out) => fn.coGroup(a, b, out);
  throw new InvalidProgramError(`coGroup().apply: expected a CoGroupFunction (coGroup(first, second, out)), got ${describeValue(fn)}`);
}
