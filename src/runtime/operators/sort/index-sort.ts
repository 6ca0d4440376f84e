/**
 * Sorts a SortBuffer's index with the engine's native BigUint64Array sort: each 64-bit sort word
 * is as many key bytes as fit above the entry number (4 to 7). Runs of equal words are refilled
 * with their next key bytes and sorted again — a most-significant-digit radix sort whose digits
 * are native sorts — until keys differ or end.
 *
 * Refills walk the entries in arrival order, which is address order in the pages, so a pass
 * streams through memory instead of chasing one random address per entry (which is what costs:
 * the buffer is far larger than the CPU caches). Only when few entries are left unresolved are
 * they refilled run by run, touching a batch of entries first so that their misses overlap.
 */
import { type MemorySegment, PAGE_SIZE } from "../../../memory/memory-segment.ts";

/** What the index sort needs of a sort buffer (SortBuffer implements it). */
export interface SortIndex {
  readonly count: number;
  readonly pages: readonly MemorySegment[];
  /** Sort words (low, high per entry) and the same memory as 64-bit words. */
  readonly words: Uint32Array;
  readonly sortWords: BigUint64Array;
  readonly addrs: Uint32Array;
  readonly positions: Uint32Array;
  readonly flags: Uint8Array;
  touched: number;
  /** Set by locate(i): the logical address and length of entry i's key. */
  readonly keyAddr: number;
  readonly keyLen: number;
  locate(i: number): void;
  byteAt(addr: number): number;
}

const PAGE_SHIFT = Math.log2(PAGE_SIZE);
const PAGE_MASK = PAGE_SIZE - 1;
const NONE = 0xffffffff;

/** Sorts `buffer`'s index in place; returns the mask of the entry-number bits of its sort words. */
export function sortIndex(buffer: SortIndex): number {
  const n = buffer.count;
  const bits = n <= 2 ? 1 : 32 - Math.clz32(n - 1);
  const indexMask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const keep = (64 - bits) >> 3;
  const lowBits = 64 - 8 * keep;
  const loMask = lowBits >= 32 ? 0 : (0xffffffff << lowBits) >>> 0;
  const words = buffer.words;
  // the words hold the first 8 key bytes; keep what fits above the entry number
  for (let i = 0; i < n; i++) words[2 * i] = ((words[2 * i]! & loMask) | i) >>> 0;
  if (n < 2) return indexMask;
  buffer.sortWords.subarray(0, n).sort();
  let runs: number[] = [];
  collectRuns(words, 0, n, loMask, runs);
  const ended = buffer.flags;
  for (let offset = keep; runs.length > 0; offset += keep) {
    let entries = 0;
    for (let r = 0; r < runs.length; r += 2) entries += runs[r + 1]! - runs[r]!;
    if (entries * 8 < n) {
      for (let r = 0; r < runs.length; r += 2) {
        for (let s = runs[r]!, e = runs[r + 1]!; s < e; s += TOUCH_BATCH) {
          const to = Math.min(e, s + TOUCH_BATCH);
          touch(buffer, s, to, indexMask);
          for (let j = s; j < to; j++) ended[j] = refill(buffer, j, words[2 * j]! & indexMask, offset, keep, loMask);
        }
      }
    } else {
      const pos = buffer.positions;
      pos.fill(NONE, 0, n);
      for (let r = 0; r < runs.length; r += 2) for (let j = runs[r]!; j < runs[r + 1]!; j++) pos[words[2 * j]! & indexMask] = j;
      for (let i = 0; i < n; i++) {
        const j = pos[i]!;
        if (j !== NONE) ended[j] = refill(buffer, j, i, offset, keep, loMask);
      }
    }
    const live = runs;
    runs = [];
    for (let r = 0; r < live.length; r += 2) {
      const s = live[r]!;
      const e = live[r + 1]!;
      // keys that end within the shared bytes are all equal (codes are prefix-free), and then every
      // key of the run ends there: the run is done, already in arrival order
      if (ended[s] === 1) continue;
      if (e - s === 2) sortPair(words, s);
      else buffer.sortWords.subarray(s, e).sort();
      collectRuns(words, s, e, loMask, runs);
    }
  }
  return indexMask;
}

/** Entries touched at once before a random-order pass over them: their cache misses overlap. */
const TOUCH_BATCH = 16;

/** Reads the first byte of the entries at sorted positions [s, e), so their memory is fetched in parallel. */
function touch(b: SortIndex, s: number, e: number, indexMask: number): void {
  const words = b.words;
  const addrs = b.addrs;
  const pages = b.pages;
  let t = 0;
  for (let j = s; j < e; j++) {
    const a = addrs[words[2 * j]! & indexMask]!;
    t ^= pages[a >>> PAGE_SHIFT]!.buf[a & PAGE_MASK]!;
  }
  b.touched = t;
}

/** Appends [start, end) of every run of two or more equal key words in the sorted range [s, e). */
function collectRuns(words: Uint32Array, s: number, e: number, loMask: number, runs: number[]): void {
  let runStart = s;
  for (let j = s + 1; j <= e; j++) {
    if (j < e && words[2 * j + 1] === words[2 * j - 1] && (words[2 * j]! & loMask) === (words[2 * j - 2]! & loMask)) continue;
    if (j - runStart > 1) runs.push(runStart, j);
    runStart = j;
  }
}

function sortPair(words: Uint32Array, s: number): void {
  const h0 = words[2 * s + 1]!;
  const h1 = words[2 * s + 3]!;
  const l0 = words[2 * s]!;
  const l1 = words[2 * s + 2]!;
  if (h0 > h1 || (h0 === h1 && l0 > l1)) {
    words[2 * s + 1] = h1;
    words[2 * s + 3] = h0;
    words[2 * s] = l1;
    words[2 * s + 2] = l0;
  }
}

/**
 * Sets the sort word at position j to key bytes [offset, offset + keep) of entry i (zero past the
 * key's end); returns 1 if the key ends within the first `offset` bytes.
 */
function refill(b: SortIndex, j: number, i: number, offset: number, keep: number, loMask: number): number {
  b.locate(i);
  const a = b.keyAddr + offset;
  const len = b.keyLen - offset;
  let hi = 0;
  let lo = 0;
  const off = a & PAGE_MASK;
  if (len >= keep && off + keep <= PAGE_SIZE) {
    const page = b.pages[a >>> PAGE_SHIFT]!.buf;
    hi = (page[off]! << 24) | (page[off + 1]! << 16) | (page[off + 2]! << 8) | page[off + 3]!;
    for (let k = 4; k < keep; k++) lo = (lo << 8) | page[off + k]!;
  } else {
    for (let k = 0; k < 4; k++) hi = (hi << 8) | (k < len ? b.byteAt(a + k) : 0);
    for (let k = 4; k < keep; k++) lo = (lo << 8) | (k < len ? b.byteAt(a + k) : 0);
  }
  if (keep < 8) lo <<= (8 - keep) * 8;
  const words = b.words;
  words[2 * j + 1] = hi >>> 0;
  words[2 * j] = ((lo & loMask) | i) >>> 0;
  return len <= 0 ? 1 : 0;
}
