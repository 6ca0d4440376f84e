/**
 * One thread's end of the data plane: registers result subpartitions and input channels, and
 * routes buffers and credits between them, locally or over the MessagePort to another slot.
 *
 * Threading: lives on one slot thread; every method is called from that thread's event loop.
 * Channels are named by ChannelKey (job, edge, producer subtask, consumer subtask); a credit or
 * buffer may arrive before its receiver registers, so both are parked until it does.
 */
import { BufferPool, BUFFER_SIZE, type Buffer } from "./buffer.ts";
import { SlotLinks, type SlotLinksSetup } from "./slot-links.ts";

/** The far end of a channel, as seen from either side. */
export interface BufferReceiver {
  onBuffer(buffer: Buffer): void;
}
export interface CreditReceiver {
  onCredit(credits: number, recycled: ArrayBuffer | undefined): void;
  /** The job ended (finished, failed or cancelled): drop what is still queued, close spill files. */
  release?(): void;
}

const MSG_BUFFER = 0;
const MSG_CREDIT = 1;

export function channelKey(jobId: string, edge: number, producer: number, consumer: number): string {
  return `${jobId}/${edge}/${producer}/${consumer}`;
}

export class NetworkEnvironment {
  readonly pool = new BufferPool();
  private links: SlotLinks | undefined;
  private readonly header = new Uint8Array(256);
  private readonly inputs = new Map<string, BufferReceiver>();
  private readonly outputs = new Map<string, CreditReceiver>();
  private readonly parkedBuffers = new Map<string, Buffer[]>();
  private readonly parkedCredits = new Map<string, number>();

  constructor(readonly slot: number) {}

  /** Connects this slot to the other slots of its TaskManager through shared memory. */
  connect(setup: SlotLinksSetup): void {
    this.links = new SlotLinks(setup, (bytes, offset, length) => this.onMessage(bytes, offset, length));
    this.links.start();
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

  /** Drops everything of a job: its channels and parked messages; releases its subpartitions. */
  releaseJob(jobId: string): void {
    const prefix = jobId + "/";
    for (const [k, r] of this.outputs) if (k.startsWith(prefix)) r.release?.();
    for (const map of [this.inputs, this.outputs, this.parkedBuffers, this.parkedCredits] as Map<string, unknown>[])
      for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
  }

  sendBuffer(toSlot: number, key: string, buffer: Buffer): void {
    if (toSlot === this.slot) return this.deliverBuffer(key, buffer);
    const h = this.writeHeader(MSG_BUFFER, key);
    this.link().send(toSlot, [this.header.subarray(0, h), new Uint8Array(buffer.data, 0, buffer.length)], h + buffer.length);
    // the bytes were copied into the ring: the buffer is free again
    this.pool.recycle(buffer.data);
  }

  sendCredit(toSlot: number, key: string, credits: number, recycled?: ArrayBuffer): void {
    if (toSlot === this.slot) return this.deliverCredit(key, credits, recycled);
    if (recycled) this.pool.recycle(recycled);
    const h = this.writeHeader(MSG_CREDIT, key);
    new DataView(this.header.buffer).setUint32(h, credits, true);
    this.link().send(toSlot, [this.header.subarray(0, h + 4)], h + 4);
  }

  private link(): SlotLinks {
    if (!this.links) throw new Error(`slot ${this.slot} is not connected to other slots`);
    return this.links;
  }

  /** [type, key length, key bytes (ASCII)]; returns the header length. */
  private writeHeader(type: number, key: string): number {
    const h = this.header;
    h[0] = type;
    h[1] = key.length;
    for (let i = 0; i < key.length; i++) h[2 + i] = key.charCodeAt(i);
    return 2 + key.length;
  }

  private onMessage(bytes: Uint8Array, offset: number, length: number): void {
    const type = bytes[offset]!;
    const keyLength = bytes[offset + 1]!;
    let key = "";
    for (let i = 0; i < keyLength; i++) key += String.fromCharCode(bytes[offset + 2 + i]!);
    const body = offset + 2 + keyLength;
    if (type === MSG_CREDIT) {
      const credits = new DataView(bytes.buffer, bytes.byteOffset).getUint32(body, true);
      return this.deliverCredit(key, credits, undefined);
    }
    const n = offset + length - body;
    const data = n <= BUFFER_SIZE ? this.pool.take() : new ArrayBuffer(n);
    new Uint8Array(data).set(bytes.subarray(body, body + n));
    this.deliverBuffer(key, { data, length: n });
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
