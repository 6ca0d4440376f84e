/**
 * A FIFO of network buffers on disk: the part of a subpartition's backlog that does not stay in
 * memory (a blocking result over its budget, or a pipelined producer far past its credits).
 *
 * Format: frames of [u32 length, little-endian][bytes], appended at the end and read from the
 * front, so buffers come back in the order they went in.
 * Lifecycle: created on the first buffer that spills; `close()` once `frames` is 0 or when the
 * result is released closes the descriptor and removes the file.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { FileChannel, IOManager } from "../../io/io-manager.ts";
import { BUFFER_SIZE, type Buffer, type BufferPool } from "./buffer.ts";
import { InternalError } from "../../core/errors.ts";

export class SpilledBuffers {
  private readonly channel: FileChannel;
  private readonly fd: number;
  private writePos = 0;
  private readPos = 0;
  /** Buffers written and not yet read back. */
  frames = 0;
  private readonly header = new Uint8Array(4);
  private readonly headerView = new DataView(this.header.buffer);

  constructor(private readonly io: IOManager, prefix: string) {
    this.channel = io.createChannel(prefix);
    this.fd = openSync(this.channel.path, "r+");
  }

  /** Bytes written to this file so far (also counted in the IOManager's spilledBytes). */
  get bytes(): number {
    return this.channel.bytes;
  }

  get path(): string {
    return this.channel.path;
  }

  /** Appends the buffer's bytes; the caller may reuse `buffer.data` afterwards. */
  write(buffer: Buffer): void {
    this.headerView.setUint32(0, buffer.length, true);
    this.writeFully(this.header, 4);
    this.writeFully(new Uint8Array(buffer.data, 0, buffer.length), buffer.length);
    this.frames++;
    this.channel.bytes += 4 + buffer.length;
    this.io.spilledBytes += 4 + buffer.length;
  }

  /** The oldest buffer not read yet, in a buffer from `pool` (or an oversized one). */
  read(pool: BufferPool): Buffer {
    this.readFully(this.header, 4);
    const length = this.headerView.getUint32(0, true);
    const data = length <= BUFFER_SIZE ? pool.take() : new ArrayBuffer(length);
    this.readFully(new Uint8Array(data, 0, length), length);
    this.frames--;
    return { data, length };
  }

  close(): void {
    closeSync(this.fd);
    this.io.deleteChannel(this.channel);
  }

  private writeFully(bytes: Uint8Array, n: number): void {
    let done = 0;
    while (done < n) done += writeSync(this.fd, bytes, done, n - done, this.writePos + done);
    this.writePos += n;
  }

  private readFully(into: Uint8Array, n: number): void {
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, into, done, n - done, this.readPos + done);
      if (got === 0) throw new InternalError(`spilled result file ${this.channel.path} ends early: ${this.frames} buffers missing`);
      done += got;
    }
    this.readPos += n;
  }
}
