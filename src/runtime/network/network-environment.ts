/**
 * One thread's end of the data plane: registers result subpartitions and input channels, and
 * routes buffers and credits between them, locally or over the MessagePort to another slot.
 *
 * Threading: lives on one slot thread; every method is called from that thread's event loop.
 * Channels are named by ChannelKey (job, edge, producer subtask, consumer subtask); a credit or
 * buffer may arrive before its receiver registers, so both are parked until it does.
 */
import { BufferPool, type Buffer } from "./buffer.ts";

/** The far end of a channel, as seen from either side. */
export interface BufferReceiver {
  onBuffer(buffer: Buffer): void;
}
export interface CreditReceiver {
  onCredit(credits: number, recycled: ArrayBuffer | undefined): void;
}

type NetMessage =
  | { t: 0; k: string; b: ArrayBuffer; n: number } // buffer to an input channel
  | { t: 1; k: string; c: number; b?: ArrayBuffer }; // credit (and a recycled buffer) to a subpartition

export function channelKey(jobId: string, edge: number, producer: number, consumer: number): string {
  return `${jobId}/${edge}/${producer}/${consumer}`;
}

export interface PeerPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
}

export class NetworkEnvironment {
  readonly pool = new BufferPool();
  private readonly peers = new Map<number, PeerPort>();
  private readonly inputs = new Map<string, BufferReceiver>();
  private readonly outputs = new Map<string, CreditReceiver>();
  private readonly parkedBuffers = new Map<string, Buffer[]>();
  private readonly parkedCredits = new Map<string, number>();

  constructor(readonly slot: number) {}

  /** Connects this slot to another slot's thread. */
  addPeer(slot: number, port: PeerPort & { onmessage: ((e: MessageEvent) => void) | null }): void {
    this.peers.set(slot, port);
    port.onmessage = (e: MessageEvent) => this.onMessage(e.data as NetMessage);
  }

  registerInputChannel(key: string, receiver: BufferReceiver): void {
    this.inputs.set(key, receiver);
    const parked = this.parkedBuffers.get(key);
    if (parked) {
      this.parkedBuffers.delete(key);
      for (const b of parked) receiver.onBuffer(b);
    }
  }

  registerSubpartition(key: string, receiver: CreditReceiver): void {
    this.outputs.set(key, receiver);
    const parked = this.parkedCredits.get(key);
    if (parked) {
      this.parkedCredits.delete(key);
      receiver.onCredit(parked, undefined);
    }
  }

  unregister(key: string): void {
    this.inputs.delete(key);
    this.outputs.delete(key);
  }

  /** Drops everything of a job: its channels and parked messages. */
  releaseJob(jobId: string): void {
    const prefix = jobId + "/";
    for (const map of [this.inputs, this.outputs, this.parkedBuffers, this.parkedCredits] as Map<string, unknown>[])
      for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
  }

  sendBuffer(toSlot: number, key: string, buffer: Buffer): void {
    if (toSlot === this.slot) return this.deliverBuffer(key, buffer);
    this.peer(toSlot).postMessage({ t: 0, k: key, b: buffer.data, n: buffer.length }, [buffer.data]);
  }

  sendCredit(toSlot: number, key: string, credits: number, recycled?: ArrayBuffer): void {
    if (toSlot === this.slot) return this.deliverCredit(key, credits, recycled);
    if (recycled) this.peer(toSlot).postMessage({ t: 1, k: key, c: credits, b: recycled }, [recycled]);
    else this.peer(toSlot).postMessage({ t: 1, k: key, c: credits });
  }

  private peer(slot: number): PeerPort {
    const p = this.peers.get(slot);
    if (!p) throw new Error(`slot ${this.slot} has no connection to slot ${slot}`);
    return p;
  }

  private onMessage(m: NetMessage): void {
    if (m.t === 0) this.deliverBuffer(m.k, { data: m.b, length: m.n });
    else this.deliverCredit(m.k, m.c, m.b);
  }

  private deliverBuffer(key: string, buffer: Buffer): void {
    const r = this.inputs.get(key);
    if (r) return r.onBuffer(buffer);
    const parked = this.parkedBuffers.get(key);
    if (parked) parked.push(buffer);
    else this.parkedBuffers.set(key, [buffer]);
  }

  private deliverCredit(key: string, credits: number, recycled: ArrayBuffer | undefined): void {
    const r = this.outputs.get(key);
    if (r) return r.onCredit(credits, recycled);
    if (recycled) this.pool.recycle(recycled);
    this.parkedCredits.set(key, (this.parkedCredits.get(key) ?? 0) + credits);
  }
}
