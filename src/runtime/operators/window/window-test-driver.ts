/**
 * A minimal driver for window operator unit tests in this folder: feeds elements, watermarks and
 * processing time one by one, records output, and snapshots through the operator-state seam.
 * (The public step-by-step harnesses are in flinkts/testing; the runtime's tests do not import them.)
 */
import { Configuration } from "../../../core/config.ts";
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { assignToKeyGroup, KeyGroupRange } from "../../../types/key-group.ts";
import type { KeyedContext, OperatorContext } from "../operator-context.ts";
import { createKeyedContext, snapshotOperatorState, type OperatorStateSnapshot } from "../operator-state.ts";
import type { Output, StreamOperator } from "../stream-operator.ts";
import type { ProcessingTimeScheduler } from "../timers/internal-timer-service.ts";
import type { InternalWindowFunction } from "./window-function.ts";

/** What the operator emitted, in order: [value, timestamp] records and "wm:<ts>" watermarks. */
export type Emitted = [unknown, number | null] | string;

/** A processing-time clock and mailbox that move only when the test says so. */
class ManualTime implements ProcessingTimeScheduler {
  now = 0;
  private seq = 0;
  private pending: { at: number; seq: number; cb: () => void; cancelled: boolean }[] = [];
  private readonly mail: (() => void | Promise<void>)[] = [];
  readonly clock = () => this.now;
  readonly executeInMailbox = (action: () => void | Promise<void>) => void this.mail.push(action);
  schedule(delayMs: number, cb: () => void): unknown {
    const p = { at: this.now + Math.max(0, delayMs), seq: this.seq++, cb, cancelled: false };
    this.pending.push(p);
    return p;
  }
  cancel(handle: unknown): void {
    (handle as { cancelled: boolean }).cancelled = true;
  }
  advanceTo(time: number): void {
    this.now = time;
    this.drain();
    for (;;) {
      const due = this.pending.filter((p) => !p.cancelled && p.at <= time).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) return;
      due.cancelled = true;
      due.cb();
      this.drain();
    }
  }
  drain(): void {
    while (this.mail.length > 0) void this.mail.shift()!();
  }
}

export class WindowTestDriver {
  readonly out: Emitted[] = [];
  readonly side = new Map<string, [unknown, number][]>();
  readonly time = new ManualTime();
  readonly keyed: KeyedContext;
  private readonly context: OperatorContext;

  constructor(
    readonly operator: StreamOperator,
    private readonly keySelector: (v: any) => unknown,
    restoreFrom: readonly OperatorStateSnapshot[] = [],
    now = 0,
  ) {
    this.time.now = now;
    const output: Output = {
      collect: (value, ts) => void this.out.push([value, ts === NO_TIMESTAMP ? null : ts]),
      collectSide: (tag, value, ts) => {
        const list = this.side.get(tag) ?? [];
        list.push([value, ts]);
        this.side.set(tag, list);
      },
      emitWatermark: (ts) => void this.out.push(`wm:${ts}`),
    };
    this.keyed = createKeyedContext({
      keySelector,
      keyGroupRange: KeyGroupRange.forOperator(128, 1, 0),
      maxParallelism: 128,
      executeInMailbox: this.time.executeInMailbox,
      clock: this.time.clock,
      scheduler: this.time,
      restoreFrom,
    });
    this.context = {
      operatorId: 1,
      operatorName: "window",
      taskNameWithSubtask: "window (1/1)",
      subtaskIndex: 0,
      parallelism: 1,
      maxParallelism: 128,
      config: new Configuration(),
      keyed: this.keyed,
      addAccumulator: () => {},
      getAccumulator: () => undefined,
      executeInMailbox: this.time.executeInMailbox,
      sendToClient: () => {},
    } as OperatorContext;
    operator.setup(this.context, output);
  }

  async open(): Promise<this> {
    await this.operator.open();
    return this;
  }

  element(value: unknown, timestamp: number = NO_TIMESTAMP): this {
    const key = this.keySelector(value);
    this.keyed.setCurrentKeyInGroup(key, assignToKeyGroup(key, 128));
    this.operator.processElement(value, timestamp);
    this.time.drain();
    return this;
  }

  watermark(timestamp: number): this {
    this.operator.processWatermark(timestamp);
    this.time.drain();
    return this;
  }

  setProcessingTime(time: number): this {
    this.time.advanceTo(time);
    return this;
  }

  /** The output so far, and clears it. */
  take(): Emitted[] {
    return this.out.splice(0, this.out.length);
  }

  /** A snapshot as a checkpoint would store it: structured-cloned, so windows come back as plain data. */
  snapshot(): OperatorStateSnapshot {
    return structuredClone(snapshotOperatorState(this.context, this.operator));
  }

  stateEntries(): number {
    return this.keyed.backend.numKeyValueStateEntries();
  }

  timers(): number {
    return this.keyed.timeServiceManager.numEventTimeTimers() + this.keyed.timeServiceManager.numProcessingTimeTimers();
  }

  async close(): Promise<void> {
    await this.operator.close();
  }
}

/** A window function for tests: emits what `f` returns for (key, window, input). */
export function windowFn(f: (key: unknown, w: any, input: any, ctx: any) => unknown, clear: (w: any, ctx: any) => void = () => {}): InternalWindowFunction {
  return { process: (key, w, ctx, input, out) => out.collect(f(key, w, input, ctx)), clear, lifecycles: [], label: "test" };
}
