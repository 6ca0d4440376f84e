/** MemorySegment: one fixed-size page of managed memory, the unit sorters, hash tables and spill files work in. */

/** The size of every managed-memory page and of network buffers: 32 KiB. */
export const PAGE_SIZE = 32 * 1024;

/**
 * A page of bytes with a little-endian DataView over it. Segments are owned by the
 * MemoryManager that handed them out; after `release` the owner must not touch them again
 * (the manager reuses the bytes for the next allocation).
 */
export class MemorySegment {
  readonly buf: Uint8Array;
  readonly view: DataView;

  constructor(readonly size: number = PAGE_SIZE) {
    const ab = new ArrayBuffer(size);
    this.buf = new Uint8Array(ab);
    this.view = new DataView(ab);
  }

  get arrayBuffer(): ArrayBuffer {
    return this.buf.buffer as ArrayBuffer;
  }
}
