/** The pages one join, coGroup or cross operator was given, lent out to its tables and buffers. */
import { checkState } from "../../../core/errors.ts";
import type { IOManager } from "../../../io/io-manager.ts";
import { formatBytes, MemoryAllocationError } from "../../../memory/memory-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";

/**
 * A free list over the operator's managed-memory pages, plus the IOManager its buffers spill to.
 *
 * Memory: the pool never allocates; every page came from the MemoryManager in the operator's
 * open() and goes back in its close(). Tables and buffers take pages and give them back; a
 * `take` on an empty pool is an error naming the operator and its budget (the algorithms check
 * `available()` first and spill, so this means the share is below what the operator needs).
 * Page sizes are powers of two, so a record address is `pageIndex << pageShift | offset`.
 */
export class PagePool {
  readonly pageSize: number;
  readonly pageShift: number;
  readonly totalPages: number;
  private readonly free: MemorySegment[];

  constructor(
    segments: readonly MemorySegment[],
    readonly io: IOManager,
    /** The operator's "name (i/p)", for errors. */
    readonly owner: string,
  ) {
    checkState(segments.length > 0, `${owner}: no managed memory pages`);
    this.pageSize = segments[0]!.size;
    this.pageShift = Math.log2(this.pageSize);
    checkState(Number.isInteger(this.pageShift), `${owner}: the page size ${this.pageSize} is not a power of two`);
    this.free = segments.slice();
    this.totalPages = segments.length;
  }

  available(): number {
    return this.free.length;
  }

  take(): MemorySegment {
    const seg = this.free.pop();
    if (seg === undefined) throw this.exhausted(1, "");
    return seg;
  }

  give(seg: MemorySegment): void {
    this.free.push(seg);
  }

  giveAll(segs: MemorySegment[]): void {
    for (let i = 0; i < segs.length; i++) this.free.push(segs[i]!);
    segs.length = 0;
  }

  /** The error for an algorithm that needs `pages` more than it can free (`what` says for what). */
  exhausted(pages: number, what: string): MemoryAllocationError {
    return new MemoryAllocationError(
      `${this.owner}: managed memory exhausted: needs ${pages} more pages${what ? ` ${what}` : ""} but all ${this.totalPages} pages (${formatBytes(this.totalPages * this.pageSize)}) of its share are in use; raise taskmanager.memory.managed.size or --managed-memory`,
    );
  }
}
