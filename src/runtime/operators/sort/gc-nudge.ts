/**
 * GcNudge: asks the JS engine for a collection after every so many bytes of records went
 * through a sorter. A sorter turns bytes into JS strings and back by the million; JavaScriptCore
 * allocates string contents outside the heap it sizes collections by, and the sorter's pages
 * count as heap, so without a nudge collections come late and garbage strings pile up to several
 * times the managed memory (measured: 1.4 GB RSS for a 200 MB budget; 350 MB with nudges, and
 * faster). A non-forcing collection request costs about a millisecond.
 */
const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;

/** Bytes of records between two collection requests. */
const NUDGE_EVERY = 16 << 20;

export class GcNudge {
  private bytes = 0;

  /** Counts `n` bytes of records turned into or out of JS values. */
  account(n: number): void {
    this.bytes += n;
    if (this.bytes >= NUDGE_EVERY) {
      this.bytes = 0;
      gc?.(false);
    }
  }
}
