/**
 * GcNudge: asks the JS engine for a collection after every so many bytes of records went
 * through an operator that turns bytes into JS values and back by the million (a sorter, a
 * broadcast input's wait buffer). JavaScriptCore allocates string contents outside the heap it
 * sizes collections by, and managed pages count as heap, so without a nudge collections come
 * late and garbage strings pile up to several times the managed memory (measured: 1.4 GB RSS for
 * a 200 MB budget; 350 MB with nudges, and faster).
 *
 * Two kinds: a cheap non-forcing request (well under a millisecond) every NUDGE_EVERY bytes, and
 * a full collection every FULL_EVERY bytes of this thread. The requests alone leave promoted
 * garbage behind: an external sort at p=2 with 100 MB managed memory peaked at 300-340 MB RSS
 * with requests only, 240-260 MB with a full collection per 128 MB (~30 ms each, ~2% of the time).
 */
const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;

/** Bytes of records between two collection requests. */
const NUDGE_EVERY = 8 << 20;
/** Bytes of records, over every nudge of this thread (one JS heap), between two full collections. */
const FULL_EVERY = 128 << 20;
let sinceFull = 0;

export class GcNudge {
  private bytes = 0;

  /** Counts `n` bytes of records turned into or out of JS values. */
  account(n: number): void {
    this.bytes += n;
    if (this.bytes >= NUDGE_EVERY) {
      sinceFull += this.bytes;
      this.bytes = 0;
      const full = sinceFull >= FULL_EVERY;
      if (full) sinceFull = 0;
      gc?.(full);
    }
  }
}
