/**
 * The producer's queue for one consumer subtask, sending only as many buffers as it holds
 * credits for (credit-based flow control).
 *
 * Pipelined: a backlog beyond MAX_BACKLOG makes the producing task unavailable, so a slow
 * consumer slows its producers. A producer that keeps writing anyway (a batch operator emitting
 * its whole result in one synchronous call: credits arrive on the event loop it is blocking)
 * keeps PIPELINED_MEMORY_BUFFERS in memory and spills the rest to a file, read back in order as
 * credits come. Blocking: the whole result is kept until the consumer, deployed later, grants
 * credits; buffers stay in memory while the job's blocking budget in this slot lasts and go to a
 * spill file after that. Either way memory stays bounded and a result larger than it lives on disk.
 *
 * Memory: once a spill file exists every later buffer goes to it, behind what is queued in
 * memory, so order holds; the file is removed when it has been read to the end or at release.
 */
import type { IOManager } from "../../io/io-manager.ts";
import type { Buffer } from "./buffer.ts";
import type { CreditReceiver, NetworkEnvironment } from "./network-environment.ts";
import { SpilledBuffers } from "./spilled-buffers.ts";

export const MAX_BACKLOG = 2;

/**
 * Buffers (32 KiB each) a pipelined subpartition holds in memory before it spills. Far above
 * MAX_BACKLOG, so a producer that respects backpressure (checked between input buffers and source
 * batches) never reaches it and streams with unchanged latency.
 */
export const PIPELINED_MEMORY_BUFFERS = 32;

/**
 * Where the subpartitions of one job in one slot spill, and the bytes that blocking ones may
 * still hold in memory (shared). Pipelined subpartitions spill through the same IOManager but
 * count against their own fixed PIPELINED_MEMORY_BUFFERS, not the budget.
 */
export interface BlockingSpill {
  io: IOManager;
  budget: { bytes: number };
}

export class ResultSubpartition implements CreditReceiver {
  private readonly queue: Buffer[] = [];
  private credits = 0;
  private released = false;
  /** Every buffer added while it exists is appended here, in order after `queue`. */
  private spill: SpilledBuffers | undefined;

  constructor(
    private readonly net: NetworkEnvironment,
    readonly key: string,
    private readonly consumerSlot: number,
    readonly blocking: boolean,
    private readonly onAvailable: () => void,
    /** Absent (tests): the queue is never spilled. */
    private readonly spillTo?: BlockingSpill,
  ) {
    net.registerSubpartition(key, this);
  }

  add(buffer: Buffer): void {
    if (this.released) return this.net.pool.recycle(buffer.data); // a cancelled producer may still emit
    if (this.spill || this.overMemory(buffer)) this.spillBuffer(buffer);
    else {
      if (this.blocking && this.spillTo) this.spillTo.budget.bytes -= buffer.data.byteLength; // memory held is the whole buffer
      this.queue.push(buffer);
    }
    if (this.credits > 0) this.drain();
  }

  /** True while the producer may keep writing into this subpartition. */
  isAvailable(): boolean {
    return this.blocking || this.backlog <= MAX_BACKLOG;
  }

  get backlog(): number {
    return this.queue.length + (this.spill?.frames ?? 0);
  }

  /** Buffers of the backlog held in memory (the rest is on disk). */
  get inMemory(): number {
    return this.queue.length;
  }

  /** Bytes of this result written to its current spill file. */
  get spilledBytes(): number {
    return this.spill?.bytes ?? 0;
  }

  onCredit(credits: number, recycled: ArrayBuffer | undefined): void {
    if (recycled) this.net.pool.recycle(recycled);
    if (this.released) return;
    this.credits += credits;
    const wasBlocked = !this.isAvailable();
    this.drain();
    if (wasBlocked && this.isAvailable()) this.onAvailable();
  }

  /** Called when the job ends: no more sends, drop the queue and the spill file. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.giveBack(this.queue);
    this.queue.length = 0;
    this.closeSpill();
    this.net.unregister(this.key);
  }

  private overMemory(buffer: Buffer): boolean {
    const spill = this.spillTo;
    if (!spill) return false;
    return this.blocking ? spill.budget.bytes < buffer.data.byteLength : this.queue.length >= PIPELINED_MEMORY_BUFFERS;
  }

  private drain(): void {
    let i = 0;
    while (this.credits > 0 && i < this.queue.length) {
      this.credits--;
      this.net.sendBuffer(this.consumerSlot, this.key, this.queue[i++]!);
    }
    if (i > 0) {
      if (this.blocking) this.giveBack(this.queue.slice(0, i));
      this.queue.splice(0, i);
    }
    const spill = this.spill;
    if (!spill || this.queue.length > 0) return;
    while (this.credits > 0 && spill.frames > 0) {
      this.credits--;
      this.net.sendBuffer(this.consumerSlot, this.key, spill.read(this.net.pool));
    }
    if (spill.frames === 0) this.closeSpill();
  }

  /** Returns queued blocking buffers' bytes to the job's in-memory budget. */
  private giveBack(buffers: readonly Buffer[]): void {
    const spill = this.spillTo;
    if (!this.blocking || !spill) return;
    for (const b of buffers) spill.budget.bytes += b.data.byteLength;
  }

  private spillBuffer(buffer: Buffer): void {
    this.spill ??= new SpilledBuffers(this.spillTo!.io, this.blocking ? "blocking-result" : "pipelined-result");
    this.spill.write(buffer);
    this.net.pool.recycle(buffer.data);
  }

  private closeSpill(): void {
    const s = this.spill;
    if (!s) return;
    this.spill = undefined;
    s.close();
  }
}
