/**
 * Builds a task's operator chain from its deployment: creates each operator from user code,
 * wires chained outputs as direct calls and network outputs as RecordWriters, and gives each
 * operator its context (keyed state for keyed operators).
 */
import type { TaskDeployment } from "./task-deployment.ts";
import type { UserCodeTable } from "./user-code.ts";
import type { AnyOperator, Output, StreamOperator } from "../operators/stream-operator.ts";
import type { OperatorContext, KeyedContext } from "../operators/operator-context.ts";
import { ChainingOutput, RecordWriterOutput, SideOutputRouter, combineOutputs } from "./chain-outputs.ts";
import { RecordWriter } from "../network/record-writer.ts";
import { ResultSubpartition } from "../network/result-subpartition.ts";
import { channelKey, type NetworkEnvironment } from "../network/network-environment.ts";
import { createChannelSelector } from "../network/channel-selector.ts";
import type { KeyedStateBackend } from "../state/keyed-state-backend.ts";
import type { InternalTimeServiceManager } from "../operators/timers/internal-time-service-manager.ts";
import { KeyGroupRange } from "../../types/key-group.ts";
import { createKeyedContext } from "../operators/operator-state.ts";
import { Configuration } from "../../core/config.ts";
import type { MemoryManager } from "../../memory/memory-manager.ts";
import type { IOManager } from "../../io/io-manager.ts";
import type { BlockingSpill } from "../network/result-subpartition.ts";
import type { Accumulator } from "../../core/accumulators.ts";
import { engineNow } from "../../core/clock.ts";
import { WALL_CLOCK } from "../operators/timers/internal-timer-service.ts";

export interface ChainServices {
  net: NetworkEnvironment;
  userCode: UserCodeTable;
  accumulators: Map<string, Accumulator<unknown, unknown>>;
  executeInMailbox(action: () => void | Promise<void>): void;
  sendToClient(channel: string, payload: unknown): void;
  /** OperatorContext.nextInputSplit of this task's vertex, when the cluster assigns splits. */
  nextInputSplit?: () => Promise<number>;
  onWriterAvailable(): void;
  /** OperatorContext.yieldIfDue of this task. */
  yieldIfDue(): Promise<void> | undefined;
  /** The job's managed memory and spill files in this slot. */
  memory: MemoryManager;
  io: IOManager;
  /** Where this job's blocking results in this slot spill once their in-memory budget is used. */
  blockingSpill: BlockingSpill;
}

export interface OperatorChain {
  operators: AnyOperator[];
  writers: RecordWriter[];
  backends: KeyedStateBackend[];
  /** The keyed operators' timer services; the task disposes them with the backends, closed or failed. */
  timeServices: InternalTimeServiceManager[];
  /** The head's keyed context, if the head is on a keyed stream. */
  keyed: KeyedContext | undefined;
}

export function buildOperatorChain(dep: TaskDeployment, s: ChainServices): OperatorChain {
  const config = new Configuration(dep.config);
  const writers = new Map<number, RecordWriter>();
  for (const out of dep.outputs) {
    const subpartitions = out.consumers.map(
      (c) => new ResultSubpartition(s.net, channelKey(dep.jobId, out.edgeId, dep.subtaskIndex, c.subtask), c.slot, out.blocking, s.onWriterAvailable, s.blockingSpill),
    );
    const code = s.userCode.edge(out.edgeId);
    const selector = createChannelSelector(
      { kind: out.partitioner, keySelector: code.keySelector, customPartitioner: code.customPartitioner, maxParallelism: out.maxParallelism },
      subpartitions.length,
      dep.subtaskIndex,
    );
    writers.set(out.edgeId, new RecordWriter(s.net, subpartitions, selector, code.serializer));
  }

  const operators = dep.operators.map((o) => s.userCode.createOperator(o.id));
  const backends: KeyedStateBackend[] = [];
  const timeServices: InternalTimeServiceManager[] = [];
  const flushAlways = dep.bufferTimeoutMs === 0;
  let headKeyed: KeyedContext | undefined;
  const range = KeyGroupRange.forOperator(dep.maxParallelism, dep.parallelism, dep.subtaskIndex);

  // Wire from the tail back, so every chained target exists (the order is topological).
  for (let i = operators.length - 1; i >= 0; i--) {
    const desc = dep.operators[i]!;
    const main: Output[] = [];
    const sides = new Map<string, Output[]>();
    const route = (tag: string | undefined, o: Output) => {
      if (tag === undefined) main.push(o);
      else sides.set(tag, [...(sides.get(tag) ?? []), o]);
    };
    for (const c of desc.chainedOutputs) route(c.tag, new ChainingOutput(operators[c.operator] as StreamOperator, dep.operators[c.operator]!.name));
    for (const n of desc.networkOutputs) route(n.tag, new RecordWriterOutput(writers.get(n.edge)!, flushAlways));
    const sideOutputs = new Map([...sides].map(([tag, outs]) => [tag, combineOutputs(outs)]));
    const output = sideOutputs.size === 0 ? combineOutputs(main) : new SideOutputRouter(combineOutputs(main), sideOutputs, [...main, ...sideOutputs.values()]);

    const keySelector = s.userCode.keySelector(desc.id);
    let keyed: KeyedContext | undefined;
    if (keySelector) {
      keyed = createKeyedContext({ keySelector, keyGroupRange: range, maxParallelism: dep.maxParallelism, executeInMailbox: s.executeInMailbox, clock: engineNow });
      backends.push(keyed.backend);
      timeServices.push(keyed.timeServiceManager);
    }
    const context: OperatorContext = {
      operatorId: desc.id,
      operatorName: desc.name,
      taskNameWithSubtask: `${desc.name} (${dep.subtaskIndex + 1}/${dep.parallelism})`,
      subtaskIndex: dep.subtaskIndex,
      parallelism: dep.parallelism,
      maxParallelism: dep.maxParallelism,
      config,
      keyed,
      addAccumulator: (name, acc) => {
        if (s.accumulators.has(name)) throw new Error(`an accumulator named '${name}' already exists in this task`);
        s.accumulators.set(name, acc);
      },
      getAccumulator: (name) => s.accumulators.get(name),
      executeInMailbox: s.executeInMailbox,
      sendToClient: s.sendToClient,
      nextInputSplit: s.nextInputSplit,
      yieldIfDue: s.yieldIfDue,
      processingTime: WALL_CLOCK,
      memory: { manager: s.memory, io: s.io, fraction: desc.managedMemoryFraction ?? 0 },
    };
    operators[i]!.setup(context, output);
    if (i === 0) headKeyed = keyed;
  }
  return { operators, writers: [...writers.values()], backends, timeServices, keyed: headKeyed };
}
