/**
 * BroadcastInputOperator: runs a one-input operator that reads broadcast variables
 * (withBroadcastSet): input 2 brings the broadcast sets, each record tagged `[name, value]`;
 * input 1 is the operator's own input. The wrapped operator opens only once every broadcast set
 * has been read completely, so its rich function can read them in open(); records of input 1
 * that arrive before that wait in managed memory and spill to disk when it is full.
 */
import type { OperatorContext, OperatorMemory } from "../operator-context.ts";
import { memoryOf } from "../operator-memory.ts";
import type { Output, StreamOperator, TwoInputStreamOperator } from "../stream-operator.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { DataOutputView } from "../../../types/data-output-view.ts";
import { MIN_WATERMARK, NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { PagePool } from "../join/page-pool.ts";
import { RecordBuffer } from "../join/record-buffer.ts";
import { serializerFor } from "../join/two-input-batch-operator.ts";
import { GcNudge } from "../sort/gc-nudge.ts";

/** Records replayed between two checks whether to pause (see OperatorContext.yieldIfDue). */
const YIELD_EVERY = 256;

/** A broadcast record on input 2: the variable's name and one of its values. */
export type BroadcastRecord = [name: string, value: unknown];

/**
 * Lifecycle: setup (the wrapped operator is set up with a context that carries the broadcast
 * variables) -> open (nothing yet) -> processElement2 fills the variables while processElement1
 * buffers -> endInput(2): opens the wrapped operator, replays the buffered records into it ->
 * further input 1 goes straight through -> endInput(1) (before or after endInput(2)) ends the
 * wrapped operator once it is open -> close.
 * Memory: the buffer takes `1 / (innerWeight + 1)` of the operator's managed memory share, the
 * wrapped operator the rest; the buffer's pages are its own (owner "<task> [broadcast wait]")
 * and go back as soon as the replay is done.
 */
export class BroadcastInputOperator<IN = unknown, OUT = unknown> implements TwoInputStreamOperator<IN, BroadcastRecord, OUT> {
  readonly twoInput = true as const;
  private readonly variables = new Map<string, unknown[]>();
  private context!: OperatorContext;
  private memory!: OperatorMemory;
  private bufferFraction = 0;
  private serializer!: TypeSerializer<IN>;
  private buffer: RecordBuffer | null = null;
  private bufferOwner = "";
  private readonly scratch = new DataOutputView();
  /** Buffering and replay turn every record into bytes and back: garbage strings the engine is slow to collect. */
  private readonly gcNudge = new GcNudge();
  private ready = false;
  private opened = false;
  private mainEnded = false;
  private watermark = MIN_WATERMARK;

  constructor(
    private readonly inner: StreamOperator<IN, OUT>,
    names: readonly string[],
    private readonly mainType: TypeInformation | undefined,
    /** The managed memory weight of the wrapped operator (0 when it needs none). */
    private readonly innerWeight: number,
  ) {
    for (const n of names) this.variables.set(n, []);
  }

  setup(context: OperatorContext, output: Output<OUT>): void {
    this.context = context;
    this.memory = memoryOf(context);
    this.bufferFraction = this.memory.fraction / (this.innerWeight + 1);
    const innerMemory: OperatorMemory = { ...this.memory, fraction: this.memory.fraction - this.bufferFraction };
    this.inner.setup({ ...context, broadcastVariables: this.variables, memory: innerMemory }, output);
  }

  open(): void {
    this.serializer = serializerFor(this.mainType) as TypeSerializer<IN>;
  }

  processElement1(value: IN, timestamp: number): void {
    if (this.ready) return this.inner.processElement(value, timestamp);
    const out = this.scratch;
    out.reset();
    this.serializer.serialize(value, out);
    (this.buffer ??= this.newBuffer()).append(0, out.buf, 0, out.pos);
    this.gcNudge.account(out.pos);
  }

  processElement2(record: BroadcastRecord): void {
    const values = this.variables.get(record[0]);
    if (values) values.push(record[1]);
  }

  processWatermark(timestamp: number): void {
    if (this.ready) this.inner.processWatermark(timestamp);
    else this.watermark = timestamp;
  }

  async endInput(input: 1 | 2): Promise<void> {
    if (input === 1) {
      this.mainEnded = true;
      if (this.ready) await this.inner.endInput();
      return;
    }
    const opened = this.inner.open();
    if (opened instanceof Promise) await opened;
    this.opened = true;
    await this.replay();
    this.ready = true;
    if (this.watermark > MIN_WATERMARK) this.inner.processWatermark(this.watermark);
    if (this.mainEnded) await this.inner.endInput();
  }

  async close(): Promise<void> {
    this.releaseBuffer();
    if (this.opened) await this.inner.close();
  }

  describe(): string {
    return `${this.inner.describe()} with broadcast sets ${[...this.variables.keys()].join(", ")}`;
  }

  private newBuffer(): RecordBuffer {
    const mem = this.memory;
    const pages = Math.max(2, this.bufferFraction > 0 ? mem.manager.pagesFor(Math.min(1, this.bufferFraction)) : 0);
    this.bufferOwner = `${this.context.taskNameWithSubtask} [broadcast wait]`;
    const pool = new PagePool(mem.manager.allocatePages(this.bufferOwner, pages), mem.io, this.bufferOwner);
    return new RecordBuffer(pool, null, "broadcast-wait");
  }

  /**
   * Feeds the records that waited for the broadcast sets to the wrapped operator, in arrival
   * order, pausing every YIELD_EVERY records when the task should let its consumers run (their
   * credits arrive on this thread's event loop; without pauses the whole input would queue up).
   */
  private async replay(): Promise<void> {
    const buffer = this.buffer;
    if (buffer === null) return;
    buffer.finishWrite();
    const cursor = buffer.cursor();
    const yieldIfDue = this.context.yieldIfDue;
    let n = 0;
    while (cursor.next()) {
      this.inner.processElement(this.serializer.deserialize(cursor.input), NO_TIMESTAMP);
      this.gcNudge.account(cursor.end - cursor.start);
      if (++n === YIELD_EVERY && yieldIfDue) {
        n = 0;
        const pause = yieldIfDue();
        if (pause) await pause;
      }
    }
    this.releaseBuffer();
  }

  private releaseBuffer(): void {
    if (this.buffer === null) return;
    this.buffer.release();
    this.buffer = null;
    this.memory.manager.releaseAll(this.bufferOwner);
  }
}
