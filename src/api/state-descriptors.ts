/** State descriptors and StateTtlConfig, as Flink's: they name a keyed state and say what it holds. */
import type { StateDescriptorLike, StateKind, StateTtlConfigLike } from "../runtime/state/state-descriptor.ts";
import type { TypeInformation } from "../types/type-information.ts";
import { checkArgument } from "../core/errors.ts";
import { fn, type ReduceFunction } from "./functions.ts";

export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge?(a: ACC, b: ACC): ACC;
}

abstract class StateDescriptor implements StateDescriptorLike {
  ttlConfig: StateTtlConfigLike | undefined;
  abstract readonly kind: StateKind;
  constructor(readonly name: string, readonly type?: TypeInformation) {
    checkArgument(typeof name === "string" && name.length > 0, "a state descriptor needs a non-empty name");
  }
  enableTimeToLive(config: StateTtlConfig): void {
    this.ttlConfig = config.toPlain();
  }
  getName(): string {
    return this.name;
  }
}

export class ValueStateDescriptor<T> extends StateDescriptor {
  readonly kind = "value" as const;
  constructor(name: string, type?: TypeInformation<T>, readonly defaultValue?: T) {
    super(name, type);
  }
}

export class ListStateDescriptor<T> extends StateDescriptor {
  readonly kind = "list" as const;
  constructor(name: string, type?: TypeInformation<T>) {
    super(name, type);
  }
}

export class MapStateDescriptor<K, V> extends StateDescriptor {
  readonly kind = "map" as const;
  constructor(name: string, readonly keyType?: TypeInformation<K>, readonly valueType?: TypeInformation<V>) {
    super(name);
  }
}

export class ReducingStateDescriptor<T> extends StateDescriptor {
  readonly kind = "reducing" as const;
  readonly reduceFunction: (a: T, b: T) => T;
  constructor(name: string, reduce: ReduceFunction<T>, type?: TypeInformation<T>) {
    super(name, type);
    this.reduceFunction = fn<(a: T, b: T) => T>(reduce, "reduce", `ReducingStateDescriptor '${name}'`).call;
  }
}

export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor {
  readonly kind = "aggregating" as const;
  constructor(name: string, readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>, accumulatorType?: TypeInformation<ACC>) {
    super(name, accumulatorType);
    checkArgument(typeof aggregateFunction?.createAccumulator === "function" && typeof aggregateFunction.add === "function" && typeof aggregateFunction.getResult === "function",
      `AggregatingStateDescriptor '${name}': the AggregateFunction needs createAccumulator, add and getResult`);
  }
}

type UpdateType = StateTtlConfigLike["updateType"];
type Visibility = StateTtlConfigLike["stateVisibility"];

/** StateTtlConfig.newBuilder(Time.minutes(5)).setUpdateType(...).setStateVisibility(...).build() */
export class StateTtlConfig {
  static readonly UpdateType = { Disabled: "Disabled", OnCreateAndWrite: "OnCreateAndWrite", OnReadAndWrite: "OnReadAndWrite" } as const;
  static readonly StateVisibility = { NeverReturnExpired: "NeverReturnExpired", ReturnExpiredIfNotCleanedUp: "ReturnExpiredIfNotCleanedUp" } as const;

  private constructor(readonly ttlMs: number, readonly updateType: UpdateType, readonly stateVisibility: Visibility) {}

  static newBuilder(ttl: number | { toMilliseconds(): number }): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(typeof ttl === "number" ? ttl : ttl.toMilliseconds());
  }

  toPlain(): StateTtlConfigLike {
    return { ttlMs: this.ttlMs, updateType: this.updateType, stateVisibility: this.stateVisibility };
  }

  /** @internal */
  static create(ttlMs: number, u: UpdateType, v: Visibility): StateTtlConfig {
    return new StateTtlConfig(ttlMs, u, v);
  }
}

export class StateTtlConfigBuilder {
  private updateType: UpdateType = "OnCreateAndWrite";
  private visibility: Visibility = "NeverReturnExpired";
  constructor(private readonly ttlMs: number) {
    checkArgument(ttlMs > 0, `state TTL must be positive, got ${ttlMs} ms`);
  }
  setUpdateType(t: UpdateType): this {
    this.updateType = t;
    return this;
  }
  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType("OnCreateAndWrite");
  }
  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType("OnReadAndWrite");
  }
  setStateVisibility(v: Visibility): this {
    this.visibility = v;
    return this;
  }
  neverReturnExpired(): this {
    return this.setStateVisibility("NeverReturnExpired");
  }
  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility("ReturnExpiredIfNotCleanedUp");
  }
  build(): StateTtlConfig {
    return StateTtlConfig.create(this.ttlMs, this.updateType, this.visibility);
  }
}
