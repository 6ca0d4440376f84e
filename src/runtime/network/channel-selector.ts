/** Picks the output channel (consumer subtask) of each record: Flink's StreamPartitioners. */
import type { PartitionerKind } from "../jobgraph/job-graph.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "../../types/key-group.ts";
import { engineRandom } from "../../core/clock.ts";

export interface ChannelSelector {
  /** The channel for `value`, or -1 to send it to every channel. */
  select(value: unknown): number;
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
    case "hash": {
      const keyOf = spec.keySelector!;
      const maxP = spec.maxParallelism;
      return { select: (v) => computeOperatorIndexForKeyGroup(maxP, numChannels, assignToKeyGroup(keyOf(v), maxP)) };
    }
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
