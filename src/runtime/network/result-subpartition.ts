/**
 * The producer's queue for one consumer subtask, sending only as many buffers as it holds
 * credits for (credit-based flow control).
 *
 * Pipelined: a backlog beyond MAX_BACKLOG makes the producing task unavailable, so a slow
 * consumer slows its producers and memory stays bounded. Blocking: the backlog is unbounded; the
 * whole result is kept until the consumer, deployed later, grants credits.
 */
import type { Buffer } from "./buffer.ts";
import type { CreditReceiver, NetworkEnvironment } from "./network-environment.ts";

export const MAX_BACKLOG = 2;

export class ResultSubpartition implements CreditReceiver {
  private readonly queue: Buffer[] = [];
  private credits = 0;
  private released = false;

  constructor(
    private readonly net: NetworkEnvironment,
    readonly key: string,
    private readonly consumerSlot: number,
    readonly blocking: boolean,
    private readonly onAvailable: () => void,
  ) {
    net.registerSubpartition(key, this);
  }

  add(buffer: Buffer): void {
    this.queue.push(buffer);
    if (this.credits > 0) this.drain();
  }

  /** True while the producer may keep writing into this subpartition. */
  isAvailable(): boolean {
    return this.blocking || this.queue.length <= MAX_BACKLOG;
  }

  get backlog(): number {
    return this.queue.length;
  }

  onCredit(credits: number, recycled: ArrayBuffer | undefined): void {
    if (recycled) this.net.pool.recycle(recycled);
    if (this.released) return;
    this.credits += credits;
    const wasBlocked = !this.isAvailable();
    this.drain();
    if (wasBlocked && this.isAvailable()) this.onAvailable();
  }

  /** Called when the job ends: no more sends, drop the queue. */
  release(): void {
    this.released = true;
    this.queue.length = 0;
    this.net.unregister(this.key);
  }

  private drain(): void {
    let i = 0;
    while (this.credits > 0 && i < this.queue.length) {
      this.credits--;
      this.net.sendBuffer(this.consumerSlot, this.key, this.queue[i++]!);
    }
    if (i > 0) this.queue.splice(0, i);
  }
}
