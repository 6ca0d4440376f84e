/**
 * Reads the lines of a subtask's file segments through one reused buffer, a chunk of whole
 * lines at a time: as strings (`nextLine`, decoding the chunk at once) or as bytes for parsers
 * that scan lines themselves (`nextChunk` with `bytes`, `pos`, `end`, `lineRead`).
 *
 * Ownership: a line belongs to the segment where it starts. A segment not at a file's start
 * skips the partial line it begins in; every segment reads past its end to finish its last
 * line. Lines end at "\n"; a "\r" before it is dropped; the last line of a file may lack "\n".
 *
 * Memory: one buffer (1 MiB, doubled while a single line does not fit). A chunk is the buffer
 * up to its last newline (a last line without one gets a "\n" written after it, so every chunk
 * ends in "\n"); the rest is carried to the front of the buffer when the next chunk is read.
 * Strings are decoded latin1 when the chunk's bytes are ASCII, else UTF-8, which never splits a
 * character at a newline.
 */
import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { UserError } from "../core/errors.ts";
import type { FileSegment, FileSplitQueue } from "./file-splits.ts";

const NEWLINE = 10;
const CR = 13;
export const DEFAULT_READ_BUFFER_SIZE = 1 << 20;

/** Node's and Bun's undeclared Buffer decoders: no argument checks, no encoding lookup. */
interface RawSlicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export class LineSplitReader {
  private buf: Buffer;
  private segIndex = -1;
  private seg: FileSegment | null = null;
  private fd = -1;
  /** File offset of the next read. */
  private readPos = 0;
  /** buf[0, carry) holds the start of a line whose end has not been read yet. */
  private carry = 0;
  /** Nothing more of the current segment is to be read. */
  private segDone = true;
  /** buf[0, chunkBytes) is the current chunk; buf[chunkBytes, dataEnd) the start of the next line. */
  private chunkBytes = 0;
  private dataEnd = 0;
  /** Decoded lines of the chunk for nextLine, each ending in "\n"; chunkPos is where the next line starts. */
  private chunk = "";
  private chunkPos = 0;
  private chunkHasCR = false;
  /**
   * Byte access (nextChunk): the chunk is `bytes[pos, end)`, whole lines each ending in "\n";
   * `ascii` tells whether all of them are ASCII. The reader of the bytes moves `pos` past each
   * line it takes and calls `lineRead` for it.
   */
  bytes: Buffer;
  pos = 0;
  end = 0;
  ascii = true;
  private firstLineOffset = 0;
  private linesInSegment = 0;
  private newlinesBefore = -1;

  constructor(
    private readonly segments: readonly FileSegment[],
    bufferSize = DEFAULT_READ_BUFFER_SIZE,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(2, bufferSize));
    this.bytes = this.buf;
  }

  /** The next line, or null when every segment is read. */
  nextLine(): string | null {
    let q = this.chunk.indexOf("\n", this.chunkPos);
    while (q < 0) {
      if (!this.fill()) return null;
      this.decodeChunk();
      q = this.chunk.indexOf("\n", 0);
    }
    const p = this.chunkPos;
    this.chunkPos = q + 1;
    this.linesInSegment++;
    if (this.chunkHasCR && q > p && this.chunk.charCodeAt(q - 1) === CR) return this.chunk.slice(p, q - 1);
    return this.chunk.slice(p, q);
  }

  /**
   * Loads the next chunk of whole lines into `bytes[pos, end)` (call when `pos === end`); false
   * when every segment is read.
   */
  nextChunk(): boolean {
    if (!this.fill()) return false;
    this.bytes = this.buf;
    this.pos = 0;
    this.end = this.chunkBytes;
    this.ascii = isAscii(this.buf.subarray(0, this.chunkBytes));
    return true;
  }

  /** Counts a line taken from `bytes` (for isFirstLineOfFile and currentLineNumber). */
  lineRead(): void {
    this.linesInSegment++;
  }

  /** The text of `bytes[start, end)`, decoded as nextLine would (latin1 for an ASCII chunk, else UTF-8). */
  text(start: number, end: number): string {
    const raw = this.buf as unknown as RawSlicing;
    return this.ascii ? raw.latin1Slice(start, end) : raw.utf8Slice(start, end);
  }

  /** The file of the line last returned. */
  currentPath(): string {
    return this.seg?.path ?? "";
  }

  /** True if the line last returned is the first line of its file (a CSV header). */
  isFirstLineOfFile(): boolean {
    return this.firstLineOffset === 0 && this.linesInSegment === 1;
  }

  /** 1-based line number, within its file, of the line last returned. Counts lazily: meant for error messages. */
  currentLineNumber(): number {
    if (this.newlinesBefore < 0) this.newlinesBefore = this.countNewlinesBefore(this.firstLineOffset);
    return this.newlinesBefore + this.linesInSegment;
  }

  close(): void {
    this.closeFile();
    this.segIndex = this.segments.length;
    this.segDone = true;
    this.chunk = "";
    this.chunkPos = 0;
    this.chunkBytes = this.dataEnd = 0;
    this.pos = this.end = 0;
  }

  /** Makes buf[0, chunkBytes) the next chunk of whole lines; false when all segments are exhausted. */
  private fill(): boolean {
    if (this.chunkBytes > 0) {
      // the previous chunk is consumed: carry the start of the next line to the front
      this.buf.copyWithin(0, this.chunkBytes, this.dataEnd);
      this.carry = this.dataEnd - this.chunkBytes;
      this.chunkBytes = this.dataEnd = 0;
    }
    for (;;) {
      if (this.segDone) {
        if (!this.nextSegment()) return false;
        continue;
      }
      if (this.carry === this.buf.length) this.grow();
      const buf = this.buf;
      const n = readSync(this.fd, buf, this.carry, buf.length - this.carry, this.readPos);
      if (n === 0) {
        // End of file: what is carried is a last line without "\n"; give it one.
        this.segDone = true;
        if (this.carry === 0) continue;
        if (this.carry === this.buf.length) this.grow();
        this.buf[this.carry] = NEWLINE;
        this.chunkBytes = this.dataEnd = this.carry + 1;
        this.carry = 0;
        return true;
      }
      const bufOffset = this.readPos - this.carry;
      this.readPos += n;
      const end = this.carry + n;
      // The segment's last line is the one that ends at the first "\n" at or after byte end - 1.
      const stopFrom = this.seg!.end - 1 - bufOffset;
      const k = stopFrom < end ? buf.indexOf(NEWLINE, stopFrom < 0 ? 0 : stopFrom) : -1;
      let last: number;
      if (k >= 0 && k < end) {
        last = k;
        this.segDone = true;
      } else {
        last = buf.lastIndexOf(NEWLINE, end - 1);
      }
      if (last < 0) {
        this.carry = end;
        continue;
      }
      this.chunkBytes = last + 1;
      this.dataEnd = this.segDone ? last + 1 : end;
      this.carry = 0;
      return true;
    }
  }

  private decodeChunk(): void {
    const length = this.chunkBytes;
    const bytes = this.buf.subarray(0, length);
    const raw = this.buf as unknown as RawSlicing;
    this.chunk = isAscii(bytes) ? raw.latin1Slice(0, length) : raw.utf8Slice(0, length);
    this.chunkPos = 0;
    this.chunkHasCR = bytes.indexOf(CR) >= 0;
  }

  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.carry);
    this.buf = bigger;
  }

  /** Opens the next segment that owns at least one line. */
  private nextSegment(): boolean {
    this.closeFile();
    while (++this.segIndex < this.segments.length) {
      const seg = this.segments[this.segIndex]!;
      try {
        this.fd = openSync(seg.path, "r");
      } catch (e) {
        throw new UserError(`input file ${seg.path} cannot be opened: ${(e as Error).message}`, { cause: e });
      }
      const first = this.firstLineStart(seg);
      if (first < seg.end) {
        this.seg = seg;
        this.readPos = first;
        this.firstLineOffset = first;
        this.carry = 0;
        this.segDone = false;
        this.linesInSegment = 0;
        this.newlinesBefore = -1;
        return true;
      }
      this.closeFile();
    }
    return false;
  }

  /** Offset of the first line starting at or after seg.start (>= seg.end if none does). */
  private firstLineStart(seg: FileSegment): number {
    if (seg.start === 0) return 0;
    // A line starts at seg.start exactly when the byte before it is "\n".
    let pos = seg.start - 1;
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, pos);
      if (n === 0) return seg.fileSize;
      const k = this.buf.indexOf(NEWLINE);
      if (k >= 0 && k < n) return pos + k + 1;
      pos += n;
      if (pos >= seg.end) return pos;
    }
  }

  private countNewlinesBefore(offset: number): number {
    if (offset === 0) return 0;
    const scratch = Buffer.allocUnsafe(Math.min(offset, DEFAULT_READ_BUFFER_SIZE));
    const fd = openSync(this.seg!.path, "r");
    let count = 0;
    try {
      for (let pos = 0; pos < offset; ) {
        const n = readSync(fd, scratch, 0, Math.min(scratch.length, offset - pos), pos);
        if (n === 0) break;
        for (let k = scratch.indexOf(NEWLINE); k >= 0 && k < n; k = scratch.indexOf(NEWLINE, k + 1)) count++;
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
    return count;
  }

  private closeFile(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** A file source's line readers: one for each batch of segments its FileSplitQueue hands out, in turn. */
export class SplitLineReaders {
  /** The reader of the current segments; null before the first `advance` and after the last. */
  reader: LineSplitReader | null = null;

  constructor(private readonly splits: FileSplitQueue) {}

  /**
   * A source's emitNext over every split: `emitFrom` emits a batch from a reader and returns
   * false once that reader has no more lines; then the next split's reader takes over. True when
   * more may come, false at the end, or a Promise of that while a split is being claimed.
   */
  emitNext(emitFrom: (reader: LineSplitReader) => boolean): boolean | Promise<boolean> {
    for (;;) {
      const reader = this.reader;
      if (reader !== null && emitFrom(reader)) return true;
      const next = this.advance();
      if (next !== true) return next;
    }
  }

  /**
   * Closes the current reader and opens one over the next segments: true when there are some,
   * false when every split is read, or a Promise of that while one is being claimed.
   */
  advance(): boolean | Promise<boolean> {
    this.close();
    const next = this.splits.next();
    if (next instanceof Promise) return next.then((segments) => this.open(segments));
    return this.open(next);
  }

  private open(segments: FileSegment[] | null): boolean {
    if (segments === null) return false;
    this.reader = new LineSplitReader(segments);
    return true;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }
}
