/**
 * What every operator test harness shares (Flink's AbstractStreamOperatorTestHarness): the
 * operator's context with a test-driven clock and mailbox, captured output, the lifecycle, and
 * snapshots through the runtime's operator-state seam.
 */
import { Configuration } from "../../core/config.ts";
import { UserError } from "../../core/errors.ts";
import type { Accumulator } from "../../core/accumulators.ts";
import { DEFAULT_MAX_PARALLELISM, KeyGroupRange, assignToKeyGroup } from "../../types/key-group.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import type { KeyedContext, OperatorContext } from "../../runtime/operators/operator-context.ts";
import { createKeyedContext, initializeOperatorState, snapshotOperatorState, type OperatorStateSnapshot } from "../../runtime/operators/operator-state.ts";
import type { KeyedStateBackend } from "../../runtime/state/keyed-state-backend.ts";
import { copyState } from "./state-copy.ts";
import { TestProcessingTimeService } from "./test-time.ts";
import { TestOutput, isRecord, tagId, type OutputElement, type StreamRecord, type TagRef } from "./test-output.ts";

export type { OperatorStateSnapshot } from "../../runtime/operators/operator-state.ts";

/** Where the harness's subtask sits: Flink's (maxParallelism, parallelism, subtaskIndex). */
export interface SubtaskPosition {
  maxParallelism: number;
  parallelism: number;
  subtaskIndex: number;
}

type Phase = "created" | "initialized" | "open" | "closed";

/**
 * Lifecycle: construct -> initializeState(snapshot?) (optional; open() does it with no state)
 * -> open() -> process... / setProcessingTime / snapshot() -> close().
 * Threading: everything runs on the caller's thread; each step ends by running the mail the
 * operator posted, so processing-time timers fire inside setProcessingTime, never on their own.
 * Snapshots are deep copies: later steps do not change them, and one snapshot can initialize
 * any number of harnesses.
 */
export abstract class AbstractStreamOperatorTestHarness<OUT = unknown> {
  protected readonly output = new TestOutput();
  protected readonly time = new TestProcessingTimeService();
  protected keyed: KeyedContext | undefined;
  protected context!: OperatorContext;
  private phase: Phase = "created";
  private readonly accumulators = new Map<string, Accumulator<unknown, unknown>>();
  readonly position: SubtaskPosition;

  constructor(
    protected readonly operator: AnyOperator,
    position: Partial<SubtaskPosition>,
    private readonly keySelector?: (value: unknown) => unknown,
  ) {
    const maxParallelism = position.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
    const parallelism = position.parallelism ?? 1;
    const subtaskIndex = position.subtaskIndex ?? 0;
    KeyGroupRange.forOperator(maxParallelism, parallelism, subtaskIndex); // validates the position
    this.position = { maxParallelism, parallelism, subtaskIndex };
  }

  /**
   * Sets the operator up, restoring from `snapshot` (or the snapshots of several old subtasks,
   * e.g. when the parallelism changes): keyed state and timers of this subtask's key groups,
   * and the operator state of all. Call before open(); open() calls it if you do not.
   */
  initializeState(snapshot?: OperatorStateSnapshot | readonly OperatorStateSnapshot[]): void {
    if (this.phase !== "created") throw new UserError("initializeState() must come before open(), once");
    const restoreFrom = copyState(snapshot === undefined ? [] : Array.isArray(snapshot) ? [...snapshot] : [snapshot as OperatorStateSnapshot]);
    const { maxParallelism, parallelism, subtaskIndex } = this.position;
    if (this.keySelector) {
      this.keyed = createKeyedContext({
        keySelector: this.keySelector,
        keyGroupRange: KeyGroupRange.forOperator(maxParallelism, parallelism, subtaskIndex),
        maxParallelism,
        executeInMailbox: this.time.executeInMailbox,
        clock: this.time.clock,
        scheduler: this.time,
        restoreFrom,
      });
    }
    const name = this.operator.describe();
    this.context = {
      operatorId: 0,
      operatorName: name,
      taskNameWithSubtask: `${name} (${subtaskIndex + 1}/${parallelism})`,
      subtaskIndex,
      parallelism,
      maxParallelism,
      config: new Configuration(),
      keyed: this.keyed,
      addAccumulator: (n, acc) => {
        if (this.accumulators.has(n)) throw new Error(`an accumulator named '${n}' already exists in this task`);
        this.accumulators.set(n, acc);
      },
      getAccumulator: (n) => this.accumulators.get(n),
      executeInMailbox: this.time.executeInMailbox,
      processingTime: { clock: this.time.clock, scheduler: this.time },
      sendToClient: () => {},
    };
    this.operator.setup(this.context, this.output);
    initializeOperatorState(this.operator, restoreFrom);
    this.phase = "initialized";
  }

  async open(): Promise<void> {
    if (this.phase === "created") this.initializeState();
    if (this.phase !== "initialized") throw new UserError(`open() of a harness that is ${this.phase}`);
    await this.operator.open();
    this.phase = "open";
    this.time.drainMail();
  }

  /** The operator's state now, as a checkpoint would take it (a deep copy). */
  snapshot(): OperatorStateSnapshot {
    this.checkOpen("snapshot()");
    return copyState(snapshotOperatorState(this.context, this.operator));
  }

  /** Moves processing time to `time` and fires every processing-time timer due by then, in timestamp order. */
  setProcessingTime(time: number): void {
    this.checkOpen("setProcessingTime()");
    this.time.setCurrentTime(time);
  }

  getProcessingTime(): number {
    return this.time.getCurrentProcessingTime();
  }

  async close(): Promise<void> {
    if (this.phase === "closed") return;
    if (this.phase === "open") await this.operator.close();
    this.keyed?.timeServiceManager.dispose();
    this.keyed?.backend.dispose();
    this.phase = "closed";
  }

  /** Everything emitted, in order: records ({value, timestamp}), watermarks ({watermark}) and statuses. The live list: clear it with `.length = 0`. */
  getOutput(): OutputElement<OUT>[] {
    return this.output.elements as OutputElement<OUT>[];
  }

  /** The records emitted, with their timestamps. */
  extractOutputStreamRecords(): StreamRecord<OUT>[] {
    return this.getOutput().filter(isRecord);
  }

  /** The values of the records emitted, in order. */
  extractOutputValues(): OUT[] {
    return this.extractOutputStreamRecords().map((r) => r.value);
  }

  /** The records emitted to a side output (an OutputTag or its id); empty when none. */
  getSideOutput<X = unknown>(tag: TagRef): StreamRecord<X>[] {
    return (this.output.sides.get(tagId(tag)) ?? []) as StreamRecord<X>[];
  }

  getAccumulator<A extends Accumulator<any, any>>(name: string): A | undefined {
    return this.accumulators.get(name) as A | undefined;
  }

  getOperator(): AnyOperator {
    return this.operator;
  }

  /** Keyed harnesses: the state backend; undefined otherwise. */
  getKeyedStateBackend(): KeyedStateBackend | undefined {
    return this.keyed?.backend;
  }

  numKeyedStateEntries(): number {
    return this.keyed?.backend.numKeyValueStateEntries() ?? 0;
  }

  numEventTimeTimers(): number {
    return this.keyed?.timeServiceManager.numEventTimeTimers() ?? 0;
  }

  numProcessingTimeTimers(): number {
    return this.keyed?.timeServiceManager.numProcessingTimeTimers() ?? 0;
  }

  /** Makes the key of `value` current, checking that this subtask owns its key group. */
  protected setKeyOf(value: unknown, selector: ((value: unknown) => unknown) | undefined): void {
    const keyed = this.keyed;
    if (keyed === undefined || selector === undefined) return;
    const key = selector(value);
    const kg = assignToKeyGroup(key, this.position.maxParallelism);
    const range = keyed.timeServiceManager.keyGroupRange;
    if (kg < range.start || kg > range.end) {
      throw new UserError(`key ${JSON.stringify(key)} is in key group ${kg}, which subtask ${this.position.subtaskIndex} of ${this.position.parallelism} does not own (key groups ${range.start}..${range.end})`);
    }
    keyed.setCurrentKeyInGroup(key, kg);
  }

  /** Runs one step of the operator, then the mail it posted. */
  protected step(what: string, action: () => void): void {
    this.checkOpen(what);
    action();
    this.time.drainMail();
  }

  protected async stepAsync(what: string, action: () => void | Promise<void>): Promise<void> {
    this.checkOpen(what);
    await action();
    this.time.drainMail();
  }

  private checkOpen(what: string): void {
    if (this.phase !== "open") throw new UserError(`${what} needs an open harness (it is ${this.phase}); call open() first`);
  }
}
