/** The RuntimeContext rich functions see: subtask identity, keyed state, accumulators. */
import type { OperatorContext } from "../operators/operator-context.ts";
import type { Accumulator } from "../../core/accumulators.ts";
import type { StateDescriptorLike } from "../state/state-descriptor.ts";
import { UserError } from "../../core/errors.ts";

export class StreamingRuntimeContext {
  constructor(private readonly ctx: OperatorContext, private readonly broadcastVariables?: Map<string, unknown[]>) {}

  getIndexOfThisSubtask(): number {
    return this.ctx.subtaskIndex;
  }
  getNumberOfParallelSubtasks(): number {
    return this.ctx.parallelism;
  }
  getMaxNumberOfParallelSubtasks(): number {
    return this.ctx.maxParallelism;
  }
  getTaskName(): string {
    return this.ctx.operatorName;
  }
  getTaskNameWithSubtasks(): string {
    return this.ctx.taskNameWithSubtask;
  }

  getState<S = any>(descriptor: StateDescriptorLike): S {
    return this.keyedState(descriptor, "value");
  }
  getListState<S = any>(descriptor: StateDescriptorLike): S {
    return this.keyedState(descriptor, "list");
  }
  getMapState<S = any>(descriptor: StateDescriptorLike): S {
    return this.keyedState(descriptor, "map");
  }
  getReducingState<S = any>(descriptor: StateDescriptorLike): S {
    return this.keyedState(descriptor, "reducing");
  }
  getAggregatingState<S = any>(descriptor: StateDescriptorLike): S {
    return this.keyedState(descriptor, "aggregating");
  }

  addAccumulator(name: string, accumulator: Accumulator<any, any>): void {
    this.ctx.addAccumulator(name, accumulator);
  }
  getAccumulator<A extends Accumulator<any, any>>(name: string): A | undefined {
    return this.ctx.getAccumulator(name) as A | undefined;
  }
  getIntCounter(name: string): Accumulator<number, number> {
    return this.ctx.getAccumulator(name) as Accumulator<number, number>;
  }

  getBroadcastVariable<T>(name: string): T[] {
    const v = this.broadcastVariables?.get(name);
    if (!v) throw new UserError(`${this.ctx.operatorName}: no broadcast variable named '${name}'; register it with withBroadcastSet(ds, '${name}')`);
    return v as T[];
  }

  getIterationRuntimeContext(): never {
    throw new UserError(`${this.ctx.operatorName}: getIterationRuntimeContext() is only available inside an iteration`);
  }

  private keyedState<S>(descriptor: StateDescriptorLike, kind: StateDescriptorLike["kind"]): S {
    const keyed = this.ctx.keyed;
    if (!keyed)
      throw new UserError(`${this.ctx.operatorName}: keyed state '${descriptor.name}' can only be used on a keyed stream, i.e. after keyBy()`);
    if (descriptor.kind !== kind)
      throw new UserError(`${this.ctx.operatorName}: state '${descriptor.name}' is a ${descriptor.kind} state descriptor, not ${kind}`);
    return keyed.backend.getPartitionedState<S>(descriptor);
  }
}
