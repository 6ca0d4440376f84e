/** The cross product as a block nested loop: one side in memory block by block, the other streamed once per block. */
import { DataOutputView } from "../../../types/data-output-view.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import type { PagePool } from "./page-pool.ts";
import { RecordBuffer, type SpillPolicy } from "./record-buffer.ts";

/** Receives each pair as (block record, streamed record). */
export type CrossSink = (block: unknown, streamed: unknown) => void;

/**
 * Both inputs are buffered as serialized records in the operator's pages; when memory runs
 * short the streamed side spills first, then the block side. When both ended, the block side
 * is read in blocks of at most the free pages' bytes, each deserialized once into an array, and
 * the streamed side is read once per block (from its spill file when it spilled). If the block
 * side ended first and stayed in memory, streamed records that arrive later are crossed at once
 * and never buffered.
 *
 * Lifecycle: addBlock / addStreamed (any interleaving) -> endBlock, endStreamed -> close.
 * Memory: pages come from the pool; a block's JS objects are bounded by the bytes of the pages
 * it was read from.
 */
export class BlockNestedLoopCross implements SpillPolicy {
  private blockBuf: RecordBuffer;
  private streamBuf: RecordBuffer;
  private block: unknown[] | null = null;
  private blockDone = false;
  private streamDone = false;
  private readonly out = new DataOutputView(1024);

  constructor(
    private readonly pool: PagePool,
    private readonly blockSerializer: TypeSerializer<any>,
    private readonly streamSerializer: TypeSerializer<any>,
    private readonly emit: CrossSink,
  ) {
    this.blockBuf = new RecordBuffer(pool, this, "cross-block");
    this.streamBuf = new RecordBuffer(pool, this, "cross-stream");
  }

  makeRoom(pages: number, requester: RecordBuffer): void {
    while (this.pool.available() < pages && !requester.spilled) {
      if (!this.streamBuf.spilled && this.streamBuf.pageCount > 0) this.streamBuf.spill();
      else if (!this.blockBuf.spilled) this.blockBuf.spill();
      else requester.spill();
    }
  }

  addBlock(value: unknown): void {
    this.append(this.blockBuf, this.blockSerializer, value);
  }

  addStreamed(value: unknown): void {
    const block = this.block;
    if (block !== null) {
      for (let i = 0; i < block.length; i++) this.emit(block[i], value);
      return;
    }
    this.append(this.streamBuf, this.streamSerializer, value);
  }

  private append(buffer: RecordBuffer, serializer: TypeSerializer<unknown>, value: unknown): void {
    const out = this.out;
    out.reset();
    serializer.serialize(value, out);
    buffer.append(0, out.buf, 0, out.pos);
  }

  endBlock(): void {
    this.blockDone = true;
    this.blockBuf.finishWrite();
    if (!this.blockBuf.spilled) {
      // the whole block side fits: one block, and later streamed records need no buffer
      const block = this.readBlock(this.blockBuf.cursor(), Infinity);
      this.blockBuf.release();
      this.streamBuf.finishWrite();
      this.crossBuffered(block);
      this.streamBuf.release();
      this.streamBuf = new RecordBuffer(this.pool, this, "cross-stream");
      this.block = block;
      return;
    }
    if (this.streamDone) this.crossAll();
  }

  endStreamed(): void {
    this.streamDone = true;
    if (this.blockDone && this.block === null) this.crossAll();
  }

  /** Both sides are buffered and the block side spilled: one pass over the streamed side per block. */
  private crossAll(): void {
    this.streamBuf.finishWrite();
    const blocks = this.blockBuf.cursor();
    try {
      while (true) {
        // keep a read page for the streamed side's file
        const budget = Math.max(1, this.pool.available() - 1) * this.pool.pageSize;
        const block = this.readBlock(blocks, budget);
        if (block.length === 0) break;
        this.crossBuffered(block);
      }
    } finally {
      blocks.close();
    }
  }

  /** Deserializes records from `cursor` until their payload bytes reach `budget` (at least one record). */
  private readBlock(cursor: ReturnType<RecordBuffer["cursor"]>, budget: number): unknown[] {
    const block: unknown[] = [];
    let bytes = 0;
    while (bytes < budget && cursor.next()) {
      bytes += cursor.end - cursor.start;
      block.push(this.blockSerializer.deserialize(cursor.input));
    }
    return block;
  }

  private crossBuffered(block: unknown[]): void {
    if (block.length === 0 || this.streamBuf.records === 0) return;
    const cursor = this.streamBuf.cursor();
    while (cursor.next()) {
      const value = this.streamSerializer.deserialize(cursor.input);
      for (let i = 0; i < block.length; i++) this.emit(block[i], value);
    }
  }

  close(): void {
    this.block = null;
    this.blockBuf.release();
    this.streamBuf.release();
  }
}
