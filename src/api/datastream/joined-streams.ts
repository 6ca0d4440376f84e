/**
 * Window joins, as Flink's JoinedStreams: `a.join(b).where(kA).equalTo(kB).window(assigner)
 * .apply(joinFn)` pairs every element of a with every element of b that has the same key and
 * falls in the same window. It is a coGroup whose function loops over both sides (Flink's
 * JoinCoGroupFunction); results carry the window's maxTimestamp.
 */
import { InvalidProgramError } from "../../core/errors.ts";
import type { WindowAssigner } from "../../runtime/operators/window/window-assigner.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { AbstractRichFunction, describeValue, type Collector } from "../functions.ts";
import type { KeySpec } from "../keys.ts";
import { applyOnWindowedUnion, keyOf, WindowSettings } from "./co-grouped-streams.ts";
import type { DataStream, SingleOutputStreamOperator } from "./data-stream.ts";

/** Returns the joined value of one pair. */
export type JoinFunction<IN1, IN2, OUT> = ((first: IN1, second: IN2) => OUT) | { join(first: IN1, second: IN2): OUT };

/** Emits any number of values per pair. */
export type FlatJoinFunction<IN1, IN2, OUT> =
  | ((first: IN1, second: IN2, out: Collector<OUT>) => void)
  | { join(first: IN1, second: IN2, out: Collector<OUT>): void };

export abstract class RichJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract join(first: IN1, second: IN2): OUT;
}

export abstract class RichFlatJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  abstract join(first: IN1, second: IN2, out: Collector<OUT>): void;
}

/** `a.join(b)`: give the keys, then the window, then the function. */
export class JoinedStreams<T1, T2> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
  ) {}

  where<K = unknown>(keySelector: KeySpec<T1>): JoinedWhere<T1, T2, K> {
    return new JoinedWhere(this.input1, this.input2, keyOf(keySelector, this.input1, "join().where"));
  }
}

export class JoinedWhere<T1, T2, K> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
  ) {}

  equalTo(keySelector: KeySpec<T2>): JoinedEqualTo<T1, T2, K> {
    return new JoinedEqualTo(this.input1, this.input2, this.key1, keyOf(keySelector, this.input2, "join().equalTo"));
  }
}

export class JoinedEqualTo<T1, T2, K> {
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: (v: T1) => unknown,
    private readonly key2: (v: T2) => unknown,
  ) {}

  window<W extends Window>(assigner: WindowAssigner<any, W>): JoinedWithWindow<T1, T2, K, W> {
    return new JoinedWithWindow({ input1: this.input1, input2: this.input2, key1: this.key1, key2: this.key2, assigner, label: "Join" });
  }
}

export class JoinedWithWindow<T1, T2, K, W extends Window> extends WindowSettings<T1, T2> {
  /**
   * Joins each pair of a key and window. A JoinFunction returns the result; a FlatJoinFunction
   * (an instance of RichFlatJoinFunction, or a function or join method taking three arguments)
   * emits through its collector.
   */
  apply<OUT>(fn: JoinFunction<T1, T2, OUT> | FlatJoinFunction<T1, T2, OUT>, type?: TypeInformation<OUT>): SingleOutputStreamOperator<OUT> {
    const join = joinCall(fn);
    const split = join.flat
      ? (first: T1[], second: T2[], out: Collector<OUT>) => {
          for (const a of first) for (const b of second) join.call(a, b, out);
        }
      : (first: T1[], second: T2[], out: Collector<OUT>) => {
          for (const a of first) for (const b of second) out.collect(join.call(a, b, out) as OUT);
        };
    return applyOnWindowedUnion(this.spec, split, typeof fn === "object" ? fn : undefined, type);
  }

  /** Flink's deprecated alias of apply. */
  with<OUT>(fn: JoinFunction<T1, T2, OUT> | FlatJoinFunction<T1, T2, OUT>, type?: TypeInformation<OUT>): SingleOutputStreamOperator<OUT> {
    return this.apply(fn, type);
  }
}

function joinCall<T1, T2, OUT>(fn: unknown): { flat: boolean; call: (a: T1, b: T2, out: Collector<OUT>) => unknown } {
  if (typeof fn === "function") return { flat: fn.length >= 3, call: fn as (a: T1, b: T2, out: Collector<OUT>) => unknown };
  const target = fn as { join?: (a: T1, b: T2, out: Collector<OUT>) => unknown } | null;
  if (target !== null && typeof target === "object" && typeof target.join === "function") {
    const flat = target instanceof RichFlatJoinFunction || (!(target instanceof RichJoinFunction) && target.join.length >= 3);
    return { flat, call: (a, b, out) => target.join!(a, b, out) };
  }
  throw new InvalidProgramError(`join().apply: expected a JoinFunction (join(first, second)) or FlatJoinFunction (join(first, second, out)), got ${describeValue(fn)}`);
}
