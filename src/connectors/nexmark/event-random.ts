/**
 * The random numbers of one Nexmark event: a mulberry32 stream whose state is a hash of
 * (seed, event number), so event n is the same whichever subtask makes it and in whatever order.
 */

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const TWO_32 = 4294967296;
/** Below this bound, uint32 × bound is exact in a double. */
const EXACT_BOUND = 1 << 21;

/** One instance is reused for every event: reseed(), then draw. Not thread-safe (one per subtask). */
export class EventRandom {
  private state = 0;

  /** Starts the stream of (seed, n); `seed` and `n` are non-negative safe integers. */
  reseed(seed: number, n: number): void {
    const seedMix = fmix32((seed | 0) ^ Math.imul((seed / TWO_32) | 0, 0x27d4eb2f) ^ 0x3c6ef372);
    const hi = (n / TWO_32) >>> 0;
    this.state = fmix32((n >>> 0) ^ fmix32(hi ^ seedMix) ^ 0x9e3779b9);
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const s = (this.state = (this.state + 0x6d2b79f5) | 0);
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in [0, bound) for a positive integer bound. */
  nextInt(bound: number): number {
    if (bound <= EXACT_BOUND) return Math.floor((this.nextUint32() * bound) / TWO_32);
    return Math.floor(this.nextDouble53() * bound);
  }

  /** A uniform double in [0, 1) with 32 bits of resolution. */
  nextDouble(): number {
    return this.nextUint32() / TWO_32;
  }

  private nextDouble53(): number {
    return ((this.nextUint32() >>> 11) * TWO_32 + this.nextUint32()) / 9007199254740992;
  }
}
