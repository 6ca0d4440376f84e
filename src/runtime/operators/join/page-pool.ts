/** The pages one join, coGroup or cross operator was given, lent out to its tables and buffers. */
import { checkState } from "../../../core/errors.ts";
import type { IOManager } from "../../../io/io-manager.ts";
import { formatBytes, MemoryAllocationError, type MemoryManager } from "../../../memory/memory-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";

/**
 * A free list over the operator's managed-memory pages, plus the IOManager its buffers spill to.
 *
 * Memory: the pool never allocates beyond its budget: either every page came from the
 * MemoryManager in the operator's open() (the constructor), or, for a pool made with `lazy`,
 * pages are allocated from the manager one at a time as the free list runs dry, up to the
 * budget (so a small aggregation does not claim its whole share). All go back in the
 * operator's close(). Tables and buffers take pages and give them back; a `take` on an empty
 * pool is an error naming the operator and its budget (the algorithms check `available()` first
 * and spill, so this means the share is below what the operator needs).
 * Page sizes are powers of two, so a record address is `pageIndex << pageShift | offset`.
 */
export class PagePool {
  readonly pageSize: number;
  readonly pageShift: number;
  readonly totalPages: number;
  private readonly free: MemorySegment[];
  /** Pages of the budget not yet allocated (lazy pools). */
  private unallocated: number;
  private readonly manager: MemoryManager | null;
  /** What a lazy pool allocated, handed back by `release`. */
  private readonly allocated: MemorySegment[] = [];

  constructor(
    segments: readonly MemorySegment[],
    readonly io: IOManager,
    /** The operator's "name (i/p)", for errors. */
    readonly owner: string,
    /** For lazy pools: where the rest of a budget of `pages` pages comes from. */
    growth?: { manager: MemoryManager; pages: number },
  ) {
    checkState(segments.length > 0, `${owner}: no managed memory pages`);
    this.pageSize = segments[0]!.size;
    this.pageShift = Math.log2(this.pageSize);
    checkState(Number.isInteger(this.pageShift), `${owner}: the page size ${this.pageSize} is not a power of two`);
    this.free = segments.slice();
    this.totalPages = Math.max(segments.length, growth?.pages ?? 0);
    this.unallocated = this.totalPages - segments.length;
    this.manager = growth?.manager ?? null;
    if (growth) this.allocated.push(...segments);
  }

  /** A pool of `pages` pages of `manager` that allocates them as they are first taken (one now). */
  static lazy(manager: MemoryManager, io: IOManager, owner: string, pages: number): PagePool {
    return new PagePool(manager.allocatePages(owner, 1), io, owner, { manager, pages });
  }

  available(): number {
    return this.free.length + this.unallocated;
  }

  take(): MemorySegment {
    const seg = this.free.pop();
    if (seg !== undefined) return seg;
    if (this.unallocated > 0) {
      const [fresh] = this.manager!.allocatePages(this.owner, 1);
      this.unallocated--;
      this.allocated.push(fresh!);
      return fresh!;
    }
    throw this.exhausted(1, "");
  }

  give(seg: MemorySegment): void {
    this.free.push(seg);
  }

  giveAll(segs: MemorySegment[]): void {
    for (let i = 0; i < segs.length; i++) this.free.push(segs[i]!);
    segs.length = 0;
  }

  /** Lazy pools: gives every page allocated back to the manager (the pool is unusable afterwards). */
  release(): void {
    if (this.manager === null) return;
    this.manager.release(this.owner, this.allocated);
    this.allocated.length = 0;
    this.free.length = 0;
    this.unallocated = 0;
  }

  /** The error for an algorithm that needs `pages` more than it can free (`what` says for what). */
  exhausted(pages: number, what: string): MemoryAllocationError {
    return new MemoryAllocationError(
      `${this.owner}: managed memory exhausted: needs ${pages} more pages${what ? ` ${what}` : ""} but all ${this.totalPages} pages (${formatBytes(this.totalPages * this.pageSize)}) of its share are in use; raise taskmanager.memory.managed.size or --managed-memory`,
    );
  }
}
