/** ConnectedStreams: two streams, possibly of different types, processed by one two-input operator. */
import type { DataStream } from "./data-stream.ts";
import { SingleOutputStreamOperator } from "./data-stream.ts";
import type { StreamExecutionEnvironment } from "../stream-execution-environment.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { CoStreamOperator, type CoFunctions } from "../../runtime/operators/stream/co-operators.ts";
import { resolveKey, type KeySpec } from "../keys.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import type { Collector } from "../functions.ts";

export interface CoMapFunction<I1, I2, O> {
  map1(value: I1): O;
  map2(value: I2): O;
}
export interface CoFlatMapFunction<I1, I2, O> {
  flatMap1(value: I1, out: Collector<O>): void;
  flatMap2(value: I2, out: Collector<O>): void;
}

export class ConnectedStreams<I1, I2> {
  constructor(readonly environment: StreamExecutionEnvironment, readonly first: DataStream<I1>, readonly second: DataStream<I2>) {}

  getFirstInput(): DataStream<I1> {
    return this.first;
  }
  getSecondInput(): DataStream<I2> {
    return this.second;
  }

  keyBy(key1: KeySpec<I1>, key2: KeySpec<I2>): ConnectedStreams<I1, I2> {
    return new ConnectedStreams(this.environment, this.first.keyBy(key1), this.second.keyBy(key2));
  }

  map<O>(mapper: CoMapFunction<I1, I2, O>, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    need(mapper, ["map1", "map2"], "CoMap");
    const fns = bind(mapper, (f: any) => ({ first: (v: unknown) => f.map1(v), second: (v: unknown) => f.map2(v) }));
    return this.transform("Co-Map", "co-map", type, () => new CoStreamOperator(fns, "map", "CoMap"));
  }

  flatMap<O>(flatMapper: CoFlatMapFunction<I1, I2, O>, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    need(flatMapper, ["flatMap1", "flatMap2"], "CoFlatMap");
    const fns = bind(flatMapper, (f: any) => ({ first: (v: unknown, out: any) => f.flatMap1(v, out), second: (v: unknown, out: any) => f.flatMap2(v, out) }));
    return this.transform("Co-Flat Map", "co-flatmap", type, () => new CoStreamOperator(fns, "emit", "CoFlatMap"));
  }

  process<O>(processFunction: { processElement1: Function; processElement2: Function }, type?: TypeInformation<O>): SingleOutputStreamOperator<O> {
    need(processFunction, ["processElement1", "processElement2"], "CoProcess");
    const keyed = this.first.keySelector !== undefined;
    const fns = bind(processFunction, (f: any) => ({
      first: (v: unknown, out: any, ctx: any) => f.processElement1(v, ctx, out),
      second: (v: unknown, out: any, ctx: any) => f.processElement2(v, ctx, out),
    }));
    return this.transform(keyed ? "KeyedCo-Process" : "Co-Process", keyed ? "keyed-co-process" : "co-process", type, () => new CoStreamOperator(fns, "emit", keyed ? "KeyedCoProcess" : "CoProcess"));
  }

  private transform<O>(name: string, kind: string, type: TypeInformation<O> | undefined, create: () => CoStreamOperator): SingleOutputStreamOperator<O> {
    const k1 = this.first.keySelector as ((v: unknown) => unknown) | undefined;
    const k2 = this.second.keySelector as ((v: unknown) => unknown) | undefined;
    if ((k1 === undefined) !== (k2 === undefined)) throw new InvalidProgramError(`${name}: either both connected streams must be keyed or neither`);
    const t = this.environment.addTransformation("two-input", [this.first.transformation, this.second.transformation], {
      name,
      operatorKind: kind,
      outputType: type,
      createOperator: create,
      keySelector: k1,
      keySelector2: k2,
    });
    return new SingleOutputStreamOperator<O>(this.environment, t);
  }
}

function need(f: any, methods: string[], what: string): void {
  for (const m of methods) if (typeof f?.[m] !== "function") throw new InvalidProgramError(`${what}: the function must have a ${m}() method`);
}

/** Wraps the user's object so the operator calls it and opens/closes it as a rich function. */
function bind(target: any, make: (f: any) => { first: Function; second: Function }): CoFunctions {
  const calls = make(target);
  return {
    first: calls.first as CoFunctions["first"],
    second: calls.second as CoFunctions["second"],
    onTimer: typeof target.onTimer === "function" ? (ts, ctx, out) => target.onTimer(ts, ctx, out) : undefined,
    setRuntimeContext: typeof target.setRuntimeContext === "function" ? (rc) => target.setRuntimeContext(rc) : undefined,
    open: typeof target.open === "function" ? (rc) => target.open(rc) : undefined,
    close: typeof target.close === "function" ? () => target.close() : undefined,
  };
}
