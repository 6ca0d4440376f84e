/** Cursors over spilled runs, and the k-way merge of sorted cursors (a binary heap on key prefix words, then key bytes). */
import type { FileChannel } from "../../../io/io-manager.ts";
import { RecordSpillReader } from "../../../io/record-spill.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { DataInputView } from "../../../types/data-input-view.ts";
import { compareBytes, prefixWord } from "../../../types/sort/byte-compare.ts";
import { type EntryLayout, SortedCursor } from "./sort-entry.ts";

/** A sorted run on disk, read through one page. */
export class RunCursor extends SortedCursor {
  private readonly reader: RecordSpillReader;
  private readonly input = new DataInputView();

  constructor(layout: EntryLayout, readonly channel: FileChannel, page: MemorySegment) {
    super(layout);
    this.reader = new RecordSpillReader(channel, page);
  }

  next(): boolean {
    const r = this.reader;
    if (!r.next()) return false;
    if (this.input.buf !== r.buf) this.input.setBuffer(r.buf, 0, r.buf.length);
    this.parse(r.buf, r.start, this.input);
    return true;
  }

  close(): void {
    this.reader.close();
  }
}

/**
 * Merges sorted cursors into one sorted stream. Ties go to the input listed first, so a merge of
 * runs in the order they were written keeps arrival order among equal keys.
 *
 * A tree of losers (Knuth's replacement selection): each output costs one comparison per tree
 * level. Each input's first 8 key bytes are cached as two words, so most comparisons touch no
 * bytes. The winner's entry stays valid until the next `next()`.
 */
export class MergeCursor extends SortedCursor {
  /** tree[0] is the winner; tree[1..k) the loser of each internal node (leaf of input i: k + i). */
  private readonly tree: Int32Array;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly exhausted: Uint8Array;
  private started = false;

  constructor(layout: EntryLayout, private readonly inputs: SortedCursor[]) {
    super(layout);
    const k = inputs.length;
    this.tree = new Int32Array(Math.max(1, k));
    this.hi = new Uint32Array(k);
    this.lo = new Uint32Array(k);
    this.exhausted = new Uint8Array(k);
  }

  /** Moves input i to its next entry and caches its prefix, or marks it exhausted. */
  private advance(i: number): void {
    const c = this.inputs[i]!;
    if (!c.next()) {
      this.exhausted[i] = 1;
      return;
    }
    this.hi[i] = prefixWord(c.buf, c.keyStart, c.keyLen, 0);
    this.lo[i] = prefixWord(c.buf, c.keyStart, c.keyLen, 4);
  }

  /** True if input a's entry comes before input b's (exhausted inputs come last). */
  private less(a: number, b: number): boolean {
    if (this.exhausted[a] === 1) return false;
    if (this.exhausted[b] === 1) return true;
    const ha = this.hi[a]!;
    const hb = this.hi[b]!;
    if (ha !== hb) return ha < hb;
    const la = this.lo[a]!;
    const lb = this.lo[b]!;
    if (la !== lb) return la < lb;
    const x = this.inputs[a]!;
    const y = this.inputs[b]!;
    // equal words: the first 8 bytes are equal when both keys have them
    const from = x.keyLen >= 8 && y.keyLen >= 8 ? 8 : 0;
    const c = compareBytes(x.buf, x.keyStart + from, x.keyLen - from, y.buf, y.keyStart + from, y.keyLen - from);
    return c !== 0 ? c < 0 : a < b;
  }

  /** Plays every match once: the winner of each subtree moves up, the loser stays. */
  private build(): void {
    const k = this.inputs.length;
    for (let i = 0; i < k; i++) this.advance(i);
    const winners = new Int32Array(2 * k);
    for (let i = 0; i < k; i++) winners[k + i] = i;
    for (let node = k - 1; node >= 1; node--) {
      const l = winners[2 * node]!;
      const r = winners[2 * node + 1]!;
      if (this.less(r, l)) {
        winners[node] = r;
        this.tree[node] = l;
      } else {
        winners[node] = l;
        this.tree[node] = r;
      }
    }
    this.tree[0] = k === 1 ? 0 : winners[1]!;
  }

  next(): boolean {
    const k = this.inputs.length;
    if (k === 0) return false;
    const tree = this.tree;
    if (!this.started) {
      this.started = true;
      this.build();
    } else {
      // the previous winner moves on and replays its matches up to the root
      let w = tree[0]!;
      this.advance(w);
      for (let node = (w + k) >> 1; node >= 1; node >>= 1) {
        const other = tree[node]!;
        if (this.less(other, w)) {
          tree[node] = w;
          w = other;
        }
      }
      tree[0] = w;
    }
    const winner = tree[0]!;
    if (this.exhausted[winner] === 1) return false;
    this.copyFrom(this.inputs[winner]!);
    return true;
  }

  close(): void {
    for (const c of this.inputs) c.close();
  }
}
