/**
 * Network buffers and the element framing inside them.
 *
 * A buffer is a 32 KiB ArrayBuffer filled with elements, each a tag byte followed by its body.
 * A record never spans buffers: a record larger than a buffer travels alone in an oversized one.
 */

export const BUFFER_SIZE = 32 * 1024;

export const enum ElementTag {
  Record = 0,
  RecordWithTimestamp = 1,
  Watermark = 2,
  EndOfPartition = 3,
  Idle = 4,
  Active = 5,
  /** A record of a hash-partitioned edge, preceded by its key group (u16). */
  KeyedRecord = 6,
  KeyedRecordWithTimestamp = 7,
}

/** A filled buffer on its way to a consumer: bytes [0, length) of `data` are valid. */
export interface Buffer {
  data: ArrayBuffer;
  length: number;
}

/**
 * Recycled buffers, shared by every writer on one thread, so steady-state streaming
 * allocates no buffers. Bounded: surplus buffers are left to the garbage collector.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  constructor(private readonly maxPooled = 1024) {}

  take(): ArrayBuffer {
    return this.free.pop() ?? new ArrayBuffer(BUFFER_SIZE);
  }

  recycle(data: ArrayBuffer): void {
    if (data.byteLength === BUFFER_SIZE && this.free.length < this.maxPooled) this.free.push(data);
  }
}
