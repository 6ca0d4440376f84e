/**
 * The data-plane links of one slot thread to every other slot of its TaskManager: a SharedRing
 * per direction and a doorbell per slot.
 *
 * Doorbell protocol (Int32 [count, sleeping]): a sender writes its message, increments the
 * receiver's count, and notifies only if the receiver said it sleeps. The receiver sets
 * `sleeping`, reads the count, drains every incoming ring, and only then waits (waitAsync, so its
 * event loop keeps running) for the count to change. Sequentially consistent atomics on both
 * sides make a lost wake-up impossible.
 * Backpressure: a full ring parks messages in a local queue; the receiver rings the sender's
 * doorbell after draining a ring the sender marked as waiting, and the sender retries.
 */
import { SharedRing } from "./shared-ring.ts";

export interface SlotLinksSetup {
  slot: number;
  /** One per slot of the TaskManager, indexed by slot. */
  doorbells: SharedArrayBuffer[];
  /** Rings this slot writes, by receiving slot. */
  outgoing: Record<number, SharedArrayBuffer>;
  /** Rings this slot reads, by sending slot. */
  incoming: Record<number, SharedArrayBuffer>;
}

const COUNT = 0;
const SLEEPING = 1;
/** In a ring's header: the writer waits for room. */
const WRITER_WAITING = 2;

export class SlotLinks {
  private readonly bells: Int32Array[];
  private readonly out = new Map<number, SharedRing>();
  private readonly inc: [number, SharedRing][] = [];
  private readonly parked = new Map<number, Uint8Array[]>();
  private running = false;

  constructor(private readonly setup: SlotLinksSetup, private readonly onMessage: (bytes: Uint8Array, offset: number, length: number) => void) {
    this.bells = setup.doorbells.map((b) => new Int32Array(b));
    for (const [peer, sab] of Object.entries(setup.outgoing)) this.out.set(Number(peer), new SharedRing(sab));
    for (const [peer, sab] of Object.entries(setup.incoming)) this.inc.push([Number(peer), new SharedRing(sab)]);
  }

  /** Creates the shared memory for `slots` slots; entry i is what slot i needs. */
  static allocate(slots: number, ringBytes = 4 << 20): SlotLinksSetup[] {
    const doorbells = Array.from({ length: slots }, () => new SharedArrayBuffer(16));
    const setups: SlotLinksSetup[] = doorbells.map((_, slot) => ({ slot, doorbells, outgoing: {}, incoming: {} }));
    for (let a = 0; a < slots; a++)
      for (let b = 0; b < slots; b++) {
        if (a === b) continue;
        const ring = SharedRing.create(ringBytes).sab;
        setups[a]!.outgoing[b] = ring;
        setups[b]!.incoming[a] = ring;
      }
    return setups;
  }

  send(peer: number, parts: Uint8Array[], length: number): void {
    const parked = this.parked.get(peer);
    const ring = this.out.get(peer)!;
    if (parked && parked.length > 0) {
      this.park(peer, parts, length);
      this.markWaiting(ring);
      return;
    }
    if (!ring.tryWrite(parts, length)) {
      // flag first, then try again: if the reader drained in between, the second try succeeds;
      // if not, the ring is not empty and the reader will see the flag when it drains.
      this.markWaiting(ring);
      if (!ring.tryWrite(parts, length)) {
        this.park(peer, parts, length);
        return;
      }
    }
    this.ring(peer);
  }

  /** Starts the receive loop; it runs on this thread's event loop for the thread's lifetime. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    const me = this.bells[this.setup.slot]!;
    for (;;) {
      Atomics.store(me, SLEEPING, 1);
      const seen = Atomics.load(me, COUNT);
      const got = this.drain() + this.retryParked();
      if (got > 0) {
        Atomics.store(me, SLEEPING, 0);
        // let tasks run on what arrived before reading more
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      const w = Atomics.waitAsync(me, COUNT, seen);
      if (w.async) await w.value;
      Atomics.store(me, SLEEPING, 0);
    }
  }

  private drain(): number {
    let n = 0;
    for (const [peer, ring] of this.inc) {
      let read = 0;
      while (ring.read(this.onMessage) >= 0) read++;
      if (read > 0) {
        n += read;
        const header = new Int32Array(ring.sab, 0, 4);
        if (Atomics.load(header, WRITER_WAITING) === 1) {
          Atomics.store(header, WRITER_WAITING, 0);
          this.ring(peer);
        }
      }
    }
    return n;
  }

  private retryParked(): number {
    let n = 0;
    for (const [peer, queue] of this.parked) {
      const ring = this.out.get(peer)!;
      if (queue.length === 0) continue;
      this.markWaiting(ring);
      let i = 0;
      while (i < queue.length && ring.tryWrite([queue[i]!], queue[i]!.length)) i++;
      if (i > 0) {
        queue.splice(0, i);
        n += i;
        this.ring(peer);
      }
    }
    return n;
  }

  private park(peer: number, parts: Uint8Array[], length: number): void {
    const copy = new Uint8Array(length);
    let o = 0;
    for (const p of parts) {
      copy.set(p, o);
      o += p.length;
    }
    const q = this.parked.get(peer);
    if (q) q.push(copy);
    else this.parked.set(peer, [copy]);
  }

  private markWaiting(ring: SharedRing): void {
    Atomics.store(new Int32Array(ring.sab, 0, 4), WRITER_WAITING, 1);
  }

  private ring(peer: number): void {
    const bell = this.bells[peer]!;
    Atomics.add(bell, COUNT, 1);
    if (Atomics.load(bell, SLEEPING) === 1) Atomics.notify(bell, COUNT);
  }
}
