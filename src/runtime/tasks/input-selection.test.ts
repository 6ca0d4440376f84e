/**
 * Input selection in a running task: a two-input head that asks for input 1 first while input 1's
 * producer waits for input 2 to be consumed. The task parks input 2, then after
 * INPUT_SELECTION_PATIENCE_MS without input 1 reads both, so the plan ends instead of hanging.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IOManager } from "../../io/io-manager.ts";
import { MemoryManager } from "../../memory/memory-manager.ts";
import { NetworkEnvironment } from "../network/network-environment.ts";
import type { SourceOutput, SplitSource } from "../operators/source.ts";
import { SourceOperator } from "../operators/source-operator.ts";
import type { AnyOperator, TwoInputStreamOperator } from "../operators/stream-operator.ts";
import { Types } from "../../types/types.ts";
import { Task, type TaskHost } from "./task.ts";
import type { ExecutionState, TaskDeployment } from "./task-deployment.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-selection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Emits `values` once `ready` resolves (at once without it). */
class ListSource implements SplitSource<number> {
  readonly bounded = true;
  private at = 0;
  constructor(private readonly values: number[], private ready?: Promise<void>) {}
  open(): void {}
  emitNext(output: SourceOutput<number>, budget: number): boolean | Promise<boolean> {
    if (this.ready !== undefined && this.at === 0) {
      const ready = this.ready;
      this.ready = undefined;
      return ready.then(() => true);
    }
    for (let i = 0; i < budget && this.at < this.values.length; i++) output.collect(this.values[this.at++]!);
    return this.at < this.values.length;
  }
  cancel(): void {}
  close(): void {}
  describe(): string {
    return "list";
  }
}

/** Reads input 1 first (nextSelection) and logs which input each record came from. */
class SelectingHead implements TwoInputStreamOperator<number, number, never> {
  readonly twoInput = true as const;
  readonly order: (1 | 2)[] = [];
  private ended1 = false;
  constructor(private readonly onSecond: (count: number) => void) {}
  setup(): void {}
  open(): void {}
  nextSelection(): 0 | 1 | 2 {
    return this.ended1 ? 0 : 1;
  }
  processElement1(): void {
    this.order.push(1);
  }
  processElement2(): void {
    this.order.push(2);
    this.onSecond(this.order.filter((i) => i === 2).length);
  }
  processWatermark(): void {}
  endInput(input: 1 | 2): void {
    if (input === 1) this.ended1 = true;
  }
  close(): void {}
  describe(): string {
    return "selecting head";
  }
}

const op = (id: number, name: string, edge?: number) => ({ id, name, kind: edge === undefined ? "two-input" : "source", outputType: "INT", chainedOutputs: [], networkOutputs: edge === undefined ? [] : [{ edge }] });

function deployment(vertexId: number, operators: TaskDeployment["operators"], inputs: TaskDeployment["inputs"], outputs: TaskDeployment["outputs"]): TaskDeployment {
  return { jobId: "selection", vertexId, vertexName: operators[0]!.name, subtaskIndex: 0, parallelism: 1, maxParallelism: 128, attempt: 0, bufferTimeoutMs: 0, operators, inputs, outputs, config: {} };
}

test("a head waiting for an input whose producer waits for the other input reads both after the patience, and the job ends", async () => {
  let release!: () => void;
  const secondConsumed = new Promise<void>((resolve) => (release = resolve));
  const first = Array.from({ length: 10 }, (_, i) => i);
  const second = Array.from({ length: 5000 }, (_, i) => 1000 + i);
  const head = new SelectingHead((n) => n === 50 && release());
  const operators: Record<number, () => AnyOperator> = {
    1: () => new SourceOperator(new ListSource(first, secondConsumed)),
    2: () => new SourceOperator(new ListSource(second)),
    3: () => head,
  };
  const io = new IOManager([dir]);
  const states: ExecutionState[] = [];
  const host: TaskHost = {
    net: new NetworkEnvironment(0),
    userCode: { createOperator: (id) => operators[id]!(), keySelector: () => undefined, edge: () => ({ serializer: Types.INT.createSerializer() as never }) },
    reportState: (_task, state) => void states.push(state),
    sendToClient() {},
    memory: new MemoryManager(1 << 20),
    io,
    blockingSpill: { io, budget: { bytes: 1 << 20 } },
  };
  const output = (edgeId: number) => [{ edgeId, blocking: false, partitioner: "forward" as const, maxParallelism: 128, consumers: [{ subtask: 0, slot: 0 }] }];
  const producer = [{ subtask: 0, slot: 0 }];
  const tasks = [
    new Task(deployment(3, [op(3, "head")], [{ edgeId: 1, targetInput: 1, producers: producer }, { edgeId: 2, targetInput: 2, producers: producer }], []), host),
    new Task(deployment(1, [op(1, "first", 1)], [], output(1)), host),
    new Task(deployment(2, [op(2, "second", 2)], [], output(2)), host),
  ];
  await Promise.all(tasks.map((t) => t.run()));
  io.close();
  expect(tasks.map((t) => t.state)).toEqual(["FINISHED", "FINISHED", "FINISHED"]);
  expect(head.order.filter((i) => i === 1).length).toBe(first.length);
  expect(head.order.filter((i) => i === 2).length).toBe(second.length);
  expect(head.order[0]).toBe(2); // nothing of input 1 could come before input 2 was read
}, 10_000);
