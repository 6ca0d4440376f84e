/**
 * The public DataGeneratorSource: `new DataGeneratorSource(i => record, count, rate?, type?)`,
 * used with env.fromSource(source, watermarkStrategy, name) or env.addSource(source).
 * Each subtask gets its own generator over its share of the index space.
 */
import { DataGeneratorSource as GeneratorSplitSource, type GeneratorFunction } from "../connectors/data-generator-source.ts";
import type { SplitSource } from "../runtime/operators/source.ts";
import type { TypeInformation } from "../types/type-information.ts";

export interface RateLimiter {
  recordsPerSecond: number;
}

export const RateLimiterStrategy = {
  perSecond: (recordsPerSecond: number): RateLimiter => ({ recordsPerSecond }),
  noOp: (): RateLimiter | undefined => undefined,
};

export class DataGeneratorSource<T> {
  readonly parallel = true;
  readonly bounded: boolean;
  readonly type: TypeInformation<T> | undefined;
  private readonly rate: number | undefined;

  constructor(readonly generator: GeneratorFunction<T>, readonly count: number, rateOrType?: RateLimiter | number | TypeInformation<T>, type?: TypeInformation<T>) {
    this.bounded = count !== Infinity;
    if (typeof rateOrType === "number") this.rate = rateOrType;
    else if (rateOrType && "recordsPerSecond" in rateOrType) this.rate = rateOrType.recordsPerSecond;
    this.type = type ?? (rateOrType && typeof rateOrType === "object" && "kind" in rateOrType ? rateOrType : undefined);
  }

  toSplitSource(): SplitSource<T> {
    return new GeneratorSplitSource(this.generator, this.count, this.rate);
  }
}
