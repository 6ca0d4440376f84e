/**
 * A single-producer single-consumer ring of byte messages in a SharedArrayBuffer: the data path
 * between two slot threads. (Bun relays MessagePort traffic through the thread that created
 * the channel, which costs a whole core; shared memory reaches the other thread directly.)
 *
 * Layout: Int32 header [writeCount, readCount] (bytes, wrapping uint32), then `capacity` bytes
 * (a power of two). A message is a u32 length followed by its bytes, split at the wrap point.
 * Memory: fixed at creation; a message larger than half the ring is refused.
 */

const HEADER_BYTES = 16;
const WRITE = 0;
const READ = 1;

export class SharedRing {
  readonly capacity: number;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly view: DataView;

  constructor(readonly sab: SharedArrayBuffer) {
    this.capacity = sab.byteLength - HEADER_BYTES;
    if ((this.capacity & (this.capacity - 1)) !== 0) throw new RangeError(`ring capacity ${this.capacity} is not a power of two`);
    this.header = new Int32Array(sab, 0, 4);
    this.data = new Uint8Array(sab, HEADER_BYTES);
    this.view = new DataView(sab, HEADER_BYTES);
  }

  static create(capacity: number): SharedRing {
    return new SharedRing(new SharedArrayBuffer(HEADER_BYTES + capacity));
  }

  /** Bytes a message of `length` takes in the ring. */
  static footprint(length: number): number {
    return 4 + length;
  }

  /** Writes one message made of `parts`; false if the ring has no room now. */
  tryWrite(parts: Uint8Array[], length: number): boolean {
    if (SharedRing.footprint(length) > this.capacity / 2) throw new RangeError(`a message of ${length} bytes does not fit a ring of ${this.capacity} bytes`);
    const w = Atomics.load(this.header, WRITE) >>> 0;
    const r = Atomics.load(this.header, READ) >>> 0;
    const used = (w - r) >>> 0;
    if (this.capacity - used < 4 + length) return false;
    const mask = this.capacity - 1;
    let pos = w & mask;
    // the length prefix, byte by byte so it may wrap
    for (let i = 0; i < 4; i++) {
      this.data[pos] = (length >>> (8 * i)) & 0xff;
      pos = (pos + 1) & mask;
    }
    for (const part of parts) {
      const first = Math.min(part.length, this.capacity - pos);
      this.data.set(first === part.length ? part : part.subarray(0, first), pos);
      if (first < part.length) this.data.set(part.subarray(first), 0);
      pos = (pos + part.length) & mask;
    }
    Atomics.store(this.header, WRITE, (w + 4 + length) | 0);
    return true;
  }

  /** Reads the next message into `target` (grown if needed); returns its length, or -1 if empty. */
  read(sink: (bytes: Uint8Array, offset: number, length: number, wrapped: Uint8Array | undefined) => void): number {
    const w = Atomics.load(this.header, WRITE) >>> 0;
    const r = Atomics.load(this.header, READ) >>> 0;
    if (w === r) return -1;
    const mask = this.capacity - 1;
    let pos = r & mask;
    let length = 0;
    for (let i = 0; i < 4; i++) {
      length |= this.data[pos]! << (8 * i);
      pos = (pos + 1) & mask;
    }
    length >>>= 0;
    const first = Math.min(length, this.capacity - pos);
    if (first === length) sink(this.data, pos, length, undefined);
    else {
      // a wrapped message is copied together so the reader sees one contiguous range
      const joined = new Uint8Array(length);
      joined.set(this.data.subarray(pos, pos + first), 0);
      joined.set(this.data.subarray(0, length - first), first);
      sink(joined, 0, length, joined);
    }
    Atomics.store(this.header, READ, (r + 4 + length) | 0);
    return length;
  }
}
