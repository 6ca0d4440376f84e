/**
 * A Task runs one subtask: an operator chain on a mailbox loop.
 *
 * Lifecycle: build chain -> open operators (tail first) -> RUNNING: read inputs or pull the
 * source until input ends -> endInput through the chain -> end-of-partition downstream ->
 * close operators -> FINISHED. Any error fails the task, naming the operator and subtask.
 * Threading: one thread; mail (timers, flushes, cancel) runs between input buffers. The loop
 * waits on a Signal woken by new input, new mail, or returning credit (backpressure).
 */
import type { TaskDeployment, ExecutionState } from "./task-deployment.ts";
import type { UserCodeTable } from "./user-code.ts";
import { buildOperatorChain, type OperatorChain } from "./operator-chain.ts";
import { InputProcessor } from "./input-processor.ts";
import { Signal, yieldToEventLoop } from "./signal.ts";
import { taggedOperator, tagOperator } from "./operator-error.ts";
import { InputChannel, InputGate } from "../network/input-gate.ts";
import { channelKey, type NetworkEnvironment } from "../network/network-environment.ts";
import { SourceOperator } from "../operators/source-operator.ts";
import { isTwoInput, type AnyOperator } from "../operators/stream-operator.ts";
import { snapshotAccumulator, type Accumulator, type AccumulatorSnapshot } from "../../core/accumulators.ts";
import { InternalError, serializeError, UserCodeError, type SerializedError } from "../../core/errors.ts";
import type { MemoryManager } from "../../memory/memory-manager.ts";
import type { IOManager } from "../../io/io-manager.ts";
import type { BlockingSpill } from "../network/result-subpartition.ts";

export interface TaskHost {
  net: NetworkEnvironment;
  userCode: UserCodeTable;
  reportState(task: Task, state: ExecutionState, error?: SerializedError, accumulators?: Record<string, AccumulatorSnapshot>): void;
  sendToClient(jobId: string, channel: string, payload: unknown): void;
  /** The next split index of a source vertex, from the JobMaster (OperatorContext.nextInputSplit); absent: sources split statically. */
  nextInputSplit?(jobId: string, vertexId: number): Promise<number>;
  /** The job's managed memory and spill files in this slot. */
  memory: MemoryManager;
  io: IOManager;
  blockingSpill: BlockingSpill;
}

/** How many records a source may emit before the loop checks mail and backpressure. */
const SOURCE_BATCH = 4096;
/** Run at most this long (ms) before letting other tasks on the thread and port messages in. */
const SLICE_MS = 2;
/**
 * How long a task reads only the input its two-input head selects (a hash join's build side)
 * while that input stays silent and the other has data; then it reads both for the rest of the
 * run, so a plan in which the selected input waits for the other cannot deadlock.
 */
export const INPUT_SELECTION_PATIENCE_MS = 200;

export class Task {
  state: ExecutionState = "DEPLOYING";
  private readonly signal = new Signal();
  private readonly mailbox: (() => void | Promise<void>)[] = [];
  private readonly accumulators = new Map<string, Accumulator<unknown, unknown>>();
  private chain!: OperatorChain;
  private gate: InputGate | undefined;
  private processor: InputProcessor | undefined;
  private cancelled = false;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  /** When the current turn of an operator's long emit began (see yieldIfDue). */
  private emitSliceStart = 0;

  constructor(readonly deployment: TaskDeployment, private readonly host: TaskHost) {}

  get name(): string {
    return `${this.deployment.vertexName} (${this.deployment.subtaskIndex + 1}/${this.deployment.parallelism})`;
  }
  /** Records read from the network, or for a source task, records its source emitted. */
  get recordsIn(): number {
    const head = this.chain?.operators[0];
    if (head instanceof SourceOperator) return head.emitted;
    return this.processor?.recordsIn ?? 0;
  }
  get recordsOut(): number {
    let n = 0;
    if (this.chain) for (const w of this.chain.writers) n += w.recordsOut;
    return n;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const head = this.chain?.operators[0];
    if (head instanceof SourceOperator) head.cancel();
    this.signal.notify();
  }

  executeInMailbox(action: () => void | Promise<void>): void {
    this.mailbox.push(action);
    this.signal.notify();
  }

  async run(): Promise<void> {
    try {
      this.chain = buildOperatorChain(this.deployment, {
        net: this.host.net,
        userCode: this.host.userCode,
        accumulators: this.accumulators,
        executeInMailbox: (a) => this.executeInMailbox(a),
        sendToClient: (channel, payload) => this.host.sendToClient(this.deployment.jobId, channel, payload),
        nextInputSplit: this.host.nextInputSplit && (() => this.host.nextInputSplit!(this.deployment.jobId, this.deployment.vertexId)),
        onWriterAvailable: () => this.signal.notify(),
        yieldIfDue: () => this.yieldIfDue(),
        memory: this.host.memory,
        io: this.host.io,
        blockingSpill: this.host.blockingSpill,
      });
      this.connectInputs();
      const ops = this.chain.operators;
      for (let i = ops.length - 1; i >= 0; i--) await this.guard(ops[i]!, () => ops[i]!.open());
      this.transition("RUNNING");
      this.startFlushTimer();
      const head = ops[0]!;
      const completed = head instanceof SourceOperator ? await this.runSource(head) : await this.runInputs(head);
      if (completed) {
        for (let i = head instanceof SourceOperator || !isTwoInput(head) ? 0 : 1; i < ops.length; i++) {
          const op = ops[i]!;
          await this.guard(op, () => (isTwoInput(op) ? undefined : op.endInput()));
          await this.drainMail();
        }
        for (const w of this.chain.writers) w.finish();
      }
      this.stopFlushTimer();
      for (const op of ops) await this.guard(op, () => op.close());
      this.finishWith(this.cancelled ? "CANCELED" : "FINISHED");
    } catch (e) {
      this.stopFlushTimer();
      if (this.cancelled) return this.finishWith("CANCELED");
      this.fail(e);
    } finally {
      this.gate?.close();
      for (const t of this.chain?.timeServices ?? []) t.dispose();
      for (const b of this.chain?.backends ?? []) b.dispose();
      for (const o of this.deployment.operators) this.host.memory.releaseAll(`${o.name} (${this.deployment.subtaskIndex + 1}/${this.deployment.parallelism})`);
    }
  }

  private connectInputs(): void {
    const dep = this.deployment;
    if (dep.inputs.length === 0) return;
    const gate = (this.gate = new InputGate(() => this.signal.notify()));
    for (const input of dep.inputs) {
      const ser = this.host.userCode.edge(input.edgeId).serializer;
      for (const p of input.producers)
        gate.add(new InputChannel(this.host.net, gate, channelKey(dep.jobId, input.edgeId, p.subtask, dep.subtaskIndex), p.slot, input.targetInput, ser));
    }
    const head = dep.operators[0]!.id;
    const keyed = this.chain.keyed;
    const setter = (selector: ((v: unknown) => unknown) | undefined) =>
      selector && keyed
        ? (v: unknown, keyGroup: number) => (keyGroup >= 0 ? keyed.setCurrentKeyInGroup(selector(v), keyGroup) : keyed.setCurrentKey(selector(v)))
        : undefined;
    const keySelector = this.host.userCode.keySelector(head);
    const setKey1 = setter(keySelector);
    const setKey2 = setter(this.host.userCode.keySelector2?.(head) ?? keySelector);
    this.processor = new InputProcessor(gate, this.chain.operators[0]!, setKey1, setKey2);
    for (const c of gate.channels) c.open();
  }

  /** Reads input until every channel has ended. Returns false if cancelled first. */
  private async runInputs(head: AnyOperator): Promise<boolean> {
    const gate = this.gate!;
    const processor = this.processor!;
    let sliceStart = performance.now();
    const selectable = isTwoInput(head) && head.nextSelection !== undefined ? head : null;
    let selecting = selectable !== null;
    /** When the selected input last delivered (or the selection began). */
    let selectedProgress = performance.now();
    while (!gate.allFinished()) {
      if (this.mailbox.length > 0) await this.drainMail();
      if (this.cancelled) return false;
      if (!this.writersAvailable()) {
        await this.signal.wait();
        continue;
      }
      const select = selecting ? selectable!.nextSelection!() : 0;
      const next = gate.poll(select);
      if (!next) {
        if (select !== 0 && gate.hasParked()) {
          // the other input has data and waits: wait for the selected one, but not forever
          const waited = performance.now() - selectedProgress;
          if (waited >= INPUT_SELECTION_PATIENCE_MS) {
            selecting = false;
            continue;
          }
          const timer = setTimeout(() => this.signal.notify(), INPUT_SELECTION_PATIENCE_MS - waited + 1);
          await this.signal.wait();
          clearTimeout(timer);
        } else {
          await this.signal.wait();
        }
        sliceStart = performance.now();
        continue;
      }
      if (select !== 0) selectedProgress = performance.now();
      let ended: 0 | 1 | 2;
      try {
        ended = processor.process(next.channel, next.buffer);
      } catch (e) {
        throw tagOperator(e, this.deployment.operators[0]!.name);
      }
      if (ended && isTwoInput(head)) await this.guard(head, () => head.endInput(ended as 1 | 2));
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return true;
  }

  /** Pulls the source in batches until it is exhausted. Returns false if cancelled first. */
  private async runSource(head: SourceOperator): Promise<boolean> {
    for (;;) {
      if (this.mailbox.length > 0) await this.drainMail();
      if (this.cancelled) return false;
      if (!this.writersAvailable()) {
        await this.signal.wait();
        continue;
      }
      let more: boolean | Promise<boolean>;
      try {
        more = head.emitNext(SOURCE_BATCH);
        if (more instanceof Promise) more = await this.awaitWithMail(more);
      } catch (e) {
        throw tagOperator(e, this.deployment.operators[0]!.name);
      }
      if (!more) return !this.cancelled;
      await yieldToEventLoop();
    }
  }

  /** Waits for `p` while still running mail (timers, cancel) as it arrives. */
  private async awaitWithMail<T>(p: Promise<T>): Promise<T> {
    let done = false;
    let value!: T;
    let error: unknown;
    p.then(
      (v) => ((done = true), (value = v), this.signal.notify()),
      (e) => ((done = true), (error = e ?? new Error("rejected")), this.signal.notify()),
    );
    while (!done) {
      await this.signal.wait();
      if (this.mailbox.length > 0) await this.drainMail();
      if (this.cancelled && !done) return false as T;
    }
    if (error !== undefined) throw error;
    return value;
  }

  /** OperatorContext.yieldIfDue: a pause once a time slice has passed or an output is over its backlog. */
  private yieldIfDue(): Promise<void> | undefined {
    if (performance.now() - this.emitSliceStart < SLICE_MS && this.writersAvailable()) return undefined;
    return this.pause();
  }

  private async pause(): Promise<void> {
    await yieldToEventLoop();
    while (!this.writersAvailable() && !this.cancelled) await this.signal.wait();
    // any error ends a cancelled task as CANCELED (see run)
    if (this.cancelled) throw new InternalError(`${this.name} was cancelled`);
    this.emitSliceStart = performance.now();
  }

  private writersAvailable(): boolean {
    for (const w of this.chain.writers) if (!w.isAvailable()) return false;
    return true;
  }

  private async drainMail(): Promise<void> {
    while (this.mailbox.length > 0) {
      const mail = this.mailbox.shift()!;
      const r = mail();
      if (r instanceof Promise) await r;
    }
  }

  private async guard(op: AnyOperator, action: () => void | Promise<void>): Promise<void> {
    try {
      const r = action();
      if (r instanceof Promise) await r;
    } catch (e) {
      const index = this.chain.operators.indexOf(op);
      throw tagOperator(e, this.deployment.operators[index]?.name ?? this.deployment.vertexName);
    }
  }

  private startFlushTimer(): void {
    const timeout = this.deployment.bufferTimeoutMs;
    if (timeout > 0 && this.chain.writers.length > 0)
      this.flushTimer = setInterval(() => {
        for (const w of this.chain.writers) w.flushAll();
      }, timeout);
  }

  private stopFlushTimer(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = undefined;
  }

  private fail(e: unknown): void {
    const operator = taggedOperator(e) ?? this.deployment.vertexName;
    const where = `${operator} (${this.deployment.subtaskIndex + 1}/${this.deployment.parallelism})`;
    const err = serializeError(e);
    const failure: SerializedError = {
      name: e instanceof Error && !(e instanceof UserCodeError) && e.name !== "Error" ? e.name : "UserCodeError",
      message: `${where} failed: ${err.message}`,
      stack: err.stack,
    };
    this.state = "FAILED";
    this.host.reportState(this, "FAILED", failure);
  }

  private finishWith(state: "FINISHED" | "CANCELED"): void {
    const acc: Record<string, AccumulatorSnapshot> = {};
    for (const [name, a] of this.accumulators) acc[name] = snapshotAccumulator(a);
    this.state = state;
    this.host.reportState(this, state, undefined, acc);
  }

  private transition(state: ExecutionState): void {
    this.state = state;
    this.host.reportState(this, state);
  }
}
