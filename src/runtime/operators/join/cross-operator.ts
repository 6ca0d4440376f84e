/** CrossOperator: the driver of cross, crossWithTiny and crossWithHuge — every pair of the two inputs. */
import { checkArgument } from "../../../core/errors.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { Collector } from "../batch/collector.ts";
import type { FunctionLifecycle } from "../user-function.ts";
import { BlockNestedLoopCross } from "./block-nested-loop-cross.ts";
import { serializerFor, TwoInputBatchOperator } from "./two-input-batch-operator.ts";

/** The fewest pages a cross runs with: a write page per side and a read page. */
export const CROSS_MIN_PAGES = 4;

export interface CrossOperatorOptions<A = any, B = any, O = any> {
  name: string;
  type1?: TypeInformation;
  type2?: TypeInformation;
  /** The input held in memory block by block (Flink's FIRST_IS_SMALL: 1); the other is read once per block. */
  blockSide: 1 | 2;
  cross: (first: A, second: B, out: Collector<O>) => void;
  lifecycle?: FunctionLifecycle;
}

/**
 * Calls `cross(first, second, out)` for every pair of records of input 1 and input 2, by a block
 * nested loop that spills (see BlockNestedLoopCross). Either input may arrive first or
 * interleaved with the other.
 */
export class CrossOperator<A = any, B = any, O = any> extends TwoInputBatchOperator<O> {
  private cross: BlockNestedLoopCross | null = null;

  constructor(private readonly options: CrossOperatorOptions<A, B, O>) {
    super(options.name, CROSS_MIN_PAGES, options.lifecycle);
    checkArgument(options.blockSide === 1 || options.blockSide === 2, `${options.name}: blockSide must be 1 or 2, got ${String(options.blockSide)}`);
  }

  protected start(): void {
    const o = this.options;
    const cross = o.cross;
    const out = this.out;
    const s1 = serializerFor(o.type1);
    const s2 = serializerFor(o.type2);
    const pool = this.allocatePool(this.sharePages());
    this.cross =
      o.blockSide === 1
        ? new BlockNestedLoopCross(pool, s1, s2, (a, b) => cross(a as A, b as B, out))
        : new BlockNestedLoopCross(pool, s2, s1, (b, a) => cross(a as A, b as B, out));
  }

  processElement1(value: unknown): void {
    if (this.options.blockSide === 1) this.cross!.addBlock(value);
    else this.cross!.addStreamed(value);
  }

  processElement2(value: unknown): void {
    if (this.options.blockSide === 2) this.cross!.addBlock(value);
    else this.cross!.addStreamed(value);
  }

  endInput(input: 1 | 2): void {
    if (input === this.options.blockSide) this.cross!.endBlock();
    else this.cross!.endStreamed();
  }

  protected stop(): void {
    this.cross?.close();
    this.cross = null;
  }

  describe(): string {
    return `Cross (block nested loop, block ${this.options.blockSide === 1 ? "first" : "second"}): ${this.options.name}`;
  }
}
