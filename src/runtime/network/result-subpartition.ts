/**
 * The producer's queue for one consumer subtask, sending only as many buffers as it holds
 * credits for (credit-based flow control).
 *
 * Pipelined: a backlog beyond MAX_BACKLOG makes the producing task unavailable, so a slow
 * consumer slows its producers and memory stays bounded. Blocking: the whole result is kept
 * until the consumer, deployed later, grants credits; buffers stay in memory while the job's
 * blocking budget in this slot lasts and go to a spill file after that, so a blocking result
 * larger than memory lives on disk.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { FileChannel, IOManager } from "../../io/io-manager.ts";
import { BUFFER_SIZE, type Buffer } from "./buffer.ts";
import type { CreditReceiver, NetworkEnvironment } from "./network-environment.ts";

export const MAX_BACKLOG = 2;

/** Where blocking subpartitions of one job in one slot spill, and the bytes they may still hold in memory (shared). */
export interface BlockingSpill {
  io: IOManager;
  budget: { bytes: number };
}

export class ResultSubpartition implements CreditReceiver {
  private readonly queue: Buffer[] = [];
  private credits = 0;
  private released = false;
  /** Blocking and over budget: every later buffer is appended here as [u32 length][bytes], in order after `queue`. */
  private spill: { channel: FileChannel; fd: number; writePos: number; readPos: number; frames: number } | undefined;
  private readonly lengthBytes = new Uint8Array(4);

  constructor(
    private readonly net: NetworkEnvironment,
    readonly key: string,
    private readonly consumerSlot: number,
    readonly blocking: boolean,
    private readonly onAvailable: () => void,
    private readonly blockingSpill?: BlockingSpill,
  ) {
    net.registerSubpartition(key, this);
  }

  add(buffer: Buffer): void {
    const spill = this.blocking ? this.blockingSpill : undefined;
    if (spill && (this.spill || spill.budget.bytes < buffer.data.byteLength)) this.spillBuffer(buffer);
    else {
      if (spill) spill.budget.bytes -= buffer.data.byteLength; // memory held is the whole buffer
      this.queue.push(buffer);
    }
    if (this.credits > 0) this.drain();
  }

  /** True while the producer may keep writing into this subpartition. */
  isAvailable(): boolean {
    return this.blocking || this.queue.length <= MAX_BACKLOG;
  }

  get backlog(): number {
    return this.queue.length + (this.spill?.frames ?? 0);
  }

  /** Bytes of this result written to disk. */
  get spilledBytes(): number {
    return this.spill?.channel.bytes ?? 0;
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
    this.released = true;
    this.giveBack(this.queue);
    this.queue.length = 0;
    this.closeSpill();
    this.net.unregister(this.key);
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
    while (this.credits > 0 && this.queue.length === 0 && this.spill && this.spill.frames > 0) {
      this.credits--;
      this.net.sendBuffer(this.consumerSlot, this.key, this.readSpilled());
    }
    if (this.spill && this.spill.frames === 0) this.closeSpill();
  }

  /** Returns queued blocking buffers' bytes to the job's in-memory budget. */
  private giveBack(buffers: readonly Buffer[]): void {
    const spill = this.blockingSpill;
    if (!this.blocking || !spill) return;
    for (const b of buffers) spill.budget.bytes += b.data.byteLength;
  }

  private spillBuffer(buffer: Buffer): void {
    if (!this.spill) {
      const channel = this.blockingSpill!.io.createChannel("blocking-result");
      this.spill = { channel, fd: openSync(channel.path, "r+"), writePos: 0, readPos: 0, frames: 0 };
    }
    const s = this.spill;
    new DataView(this.lengthBytes.buffer).setUint32(0, buffer.length, true);
    this.writeFully(this.lengthBytes, 4);
    this.writeFully(new Uint8Array(buffer.data, 0, buffer.length), buffer.length);
    s.frames++;
    s.channel.bytes += 4 + buffer.length;
    this.blockingSpill!.io.spilledBytes += 4 + buffer.length;
    this.net.pool.recycle(buffer.data);
  }

  private writeFully(bytes: Uint8Array, n: number): void {
    const s = this.spill!;
    let done = 0;
    while (done < n) done += writeSync(s.fd, bytes, done, n - done, s.writePos + done);
    s.writePos += n;
  }

  private readSpilled(): Buffer {
    const s = this.spill!;
    this.readFully(this.lengthBytes, 4);
    const length = new DataView(this.lengthBytes.buffer).getUint32(0, true);
    const data = length <= BUFFER_SIZE ? this.net.pool.take() : new ArrayBuffer(length);
    this.readFully(new Uint8Array(data, 0, length), length);
    s.frames--;
    return { data, length };
  }

  private readFully(into: Uint8Array, n: number): void {
    const s = this.spill!;
    let done = 0;
    while (done < n) {
      const got = readSync(s.fd, into, done, n - done, s.readPos + done);
      if (got === 0) throw new Error(`blocking result spill file ${s.channel.path} ends early`);
      done += got;
    }
    s.readPos += n;
  }

  private closeSpill(): void {
    const s = this.spill;
    if (!s) return;
    this.spill = undefined;
    closeSync(s.fd);
    this.blockingSpill!.io.deleteChannel(s.channel);
  }
}
