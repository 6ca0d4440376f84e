/** The MemoryManager: a fixed budget of managed-memory pages, handed to the operators that sort, hash and cache. */
import { checkArgument, UserError } from "../core/errors.ts";
import { MemorySegment, PAGE_SIZE } from "./memory-segment.ts";

/** Asked for more pages than were free: names the operator, what it asked and what was free. */
export class MemoryAllocationError extends UserError {}

/**
 * One budget of pages for the operators of a slot (Flink divides a TaskManager's managed memory
 * among its slots, and a slot's among the operators that declare a need).
 *
 * Threading: used from one slot thread only.
 * Lifecycle: operators ask `pagesFor(fraction)` to learn their share, `allocatePages` it, and
 * `release` or `releaseAll(owner)` when done; a task's end releases what its operators forgot.
 * Invariants: allocated pages never exceed `totalPages`; freed pages are kept in a pool and
 * reused, so a job that sorts repeatedly does not churn the JS heap.
 */
export class MemoryManager {
  readonly totalPages: number;
  private allocated = 0;
  private readonly pool: MemorySegment[] = [];
  private readonly owners = new Map<string, Set<MemorySegment>>();

  constructor(readonly totalBytes: number, readonly pageSize: number = PAGE_SIZE) {
    checkArgument(Number.isInteger(pageSize) && pageSize >= 64, `page size must be an integer of at least 64 bytes, got ${pageSize}`);
    this.totalPages = Math.max(0, Math.floor(totalBytes / pageSize));
  }

  /** Pages not handed out. */
  availablePages(): number {
    return this.totalPages - this.allocated;
  }

  /** The pages an operator with this share of the budget should use (at least 1 when the budget has any). */
  pagesFor(fraction: number): number {
    checkArgument(fraction > 0 && fraction <= 1, `a managed memory fraction must be in (0, 1], got ${fraction}`);
    return Math.max(Math.min(1, this.totalPages), Math.floor(this.totalPages * fraction));
  }

  /** Hands `n` pages to `owner` (an operator's "name (i/p)"), or throws naming what was asked and what was free. */
  allocatePages(owner: string, n: number): MemorySegment[] {
    checkArgument(Number.isInteger(n) && n >= 0, `${owner}: asked for ${n} managed memory pages`);
    if (n > this.availablePages()) {
      throw new MemoryAllocationError(
        `${owner}: asked for ${n} managed memory pages (${formatBytes(n * this.pageSize)}) but only ${this.availablePages()} of ${this.totalPages} are free (${formatBytes(this.availablePages() * this.pageSize)}); raise taskmanager.memory.managed.size or --managed-memory`,
      );
    }
    let set = this.owners.get(owner);
    if (!set) this.owners.set(owner, (set = new Set()));
    const out: MemorySegment[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const seg = this.pool.pop() ?? new MemorySegment(this.pageSize);
      set.add(seg);
      out[i] = seg;
    }
    this.allocated += n;
    return out;
  }

  /** Returns pages to the budget. Pages not handed out by this manager (or released twice) are ignored. */
  release(owner: string, segments: Iterable<MemorySegment>): void {
    const set = this.owners.get(owner);
    if (!set) return;
    for (const seg of segments) {
      if (set.delete(seg)) {
        this.allocated--;
        this.pool.push(seg);
      }
    }
    if (set.size === 0) this.owners.delete(owner);
  }

  /** Returns every page `owner` still holds; returns how many that was. */
  releaseAll(owner: string): number {
    const set = this.owners.get(owner);
    if (!set) return 0;
    const n = set.size;
    this.release(owner, [...set]);
    return n;
  }

  /** Forgets the pool (the budget stays): lets the JS heap reclaim pages between jobs. */
  shrinkPool(): void {
    this.pool.length = 0;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
