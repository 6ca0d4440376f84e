/** Picks the output channel (consumer subtask) of each record: Flink's StreamPartitioners. */
import type { PartitionerKind } from "../jobgraph/job-graph.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "../../types/key-group.ts";
import { engineRandom } from "../../core/clock.ts";

export interface ChannelSelector {
  /** The channel for `value`, or -1 to send it to every channel. */
  select(value: unknown): number;
  /** Hash partitioning: the key group of the value last selected, sent with it so the consumer need not hash again. */
  readonly keyGroup?: number;
}

export interface PartitionerSpec {
  kind: PartitionerKind;
  keySelector?: (value: unknown) => unknown;
  customPartitioner?: (key: unknown, numPartitions: number) => number;
  maxParallelism: number;
}

export function createChannelSelector(spec: PartitionerSpec, numChannels: number, subtaskIndex: number): ChannelSelector {
  if (numChannels === 1 && spec.kind !== "broadcast") return { select: () => 0 };
  switch (spec.kind) {
    case "forward":
    case "global":
      return { select: () => 0 };
    case "broadcast":
      return { select: () => -1 };
    case "rebalance":
    case "rescale": {
      let next = subtaskIndex % numChannels;
      return {
        select: () => {
          const c = next;
          next = next + 1 === numChannels ? 0 : next + 1;
          return c;
        },
      };
    }
    case "shuffle":
      return { select: () => Math.floor(engineRandom() * numChannels) };
    case "hash":
      return new KeyGroupSelector(spec.keySelector!, spec.maxParallelism, numChannels);
    case "custom": {
      const keyOf = spec.keySelector!;
      const part = spec.customPartitioner!;
      return {
        select: (v) => {
          const c = part(keyOf(v), numChannels);
          if (!Number.isInteger(c) || c < 0 || c >= numChannels)
            throw new RangeError(`custom partitioner returned ${c}; expected an integer in [0, ${numChannels})`);
          return c;
        },
      };
    }
  }
}

/** Flink's KeyGroupStreamPartitioner: key -> key group -> the subtask that owns it. */
class KeyGroupSelector implements ChannelSelector {
  keyGroup = 0;
  constructor(private readonly keyOf: (value: unknown) => unknown, private readonly maxParallelism: number, private readonly numChannels: number) {}
  select(value: unknown): number {
    const kg = (this.keyGroup = assignToKeyGroup(this.keyOf(value), this.maxParallelism));
    return computeOperatorIndexForKeyGroup(this.maxParallelism, this.numChannels, kg);
  }
}
