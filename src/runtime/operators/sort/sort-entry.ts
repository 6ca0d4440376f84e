/**
 * The bytes of one sorted record ("entry"), the same in sort buffers and spilled runs:
 * varint key length, [varint group length], [varint record length], the key code, the record.
 * When the record is its key (keyOnly), the first varint is key length * 2 + 1 if the key is
 * plain ASCII text (its own code), so reading it back needs no check of its bytes.
 * And the cursor every sorted source (buffer, run, merge) exposes its current entry through.
 */
import { DataInputView } from "../../../types/data-input-view.ts";

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataInputView(EMPTY);

/** Which optional header fields an entry carries; fixed per sorter. */
export interface EntryLayout {
  /** Group length stored per entry (grouping by some but not all key fields). */
  readonly storedGroup: boolean;
  /** When not stored: the group is the whole key ("whole") or everything is one group ("none"). */
  readonly group: "whole" | "none" | "stored";
  /** The record is its key (a STRING sorted by itself): no record bytes are stored; see `plainKey`. */
  readonly keyOnly: boolean;
}

export function entryLayout(keyFields: number, groupFields: number, keyOnly: boolean): EntryLayout {
  const group = groupFields === 0 ? "none" : groupFields === keyFields ? "whole" : "stored";
  return { storedGroup: group === "stored", group, keyOnly };
}

/** Header bytes reserved before the key while an entry is written (one per varint). */
export function headerReserve(layout: EntryLayout): number {
  return 1 + (layout.storedGroup ? 1 : 0) + (layout.keyOnly ? 0 : 1);
}

export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Writes an unsigned varint (< 2^35) at buf[p]; returns the position after it. */
export function writeVarint(buf: Uint8Array, p: number, n: number): number {
  while (n >= 0x80) {
    buf[p++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[p++] = n;
  return p;
}

/**
 * A sorted stream of entries. After `next()` returns true the entry's parts are
 * `buf[keyStart, keyStart + keyLen)` (its first `groupLen` bytes are the group key) and
 * `buf[recStart, recEnd)`, and the whole entry is `buf[start, recEnd)`. They stay valid until
 * the next call.
 */
export abstract class SortedCursor {
  buf: Uint8Array = EMPTY;
  /** A reader over `buf` (cursors keep one per buffer: a DataView per record would be garbage). */
  view: DataInputView = EMPTY_VIEW;
  start = 0;
  keyStart = 0;
  keyLen = 0;
  groupLen = 0;
  recStart = 0;
  recEnd = 0;
  /** keyOnly entries: the key is plain ASCII text, the string itself. */
  plainKey = false;

  constructor(readonly layout: EntryLayout) {}

  abstract next(): boolean;
  abstract close(): void;

  /** Parses the entry that starts at buf[start] into this cursor's fields; `view` reads `buf`. */
  protected parse(buf: Uint8Array, start: number, view: DataInputView): void {
    let p = start;
    let b = buf[p++]!;
    let keyLen = b & 0x7f;
    for (let shift = 128; b >= 0x80; shift *= 128) {
      b = buf[p++]!;
      keyLen += (b & 0x7f) * shift;
    }
    const layout = this.layout;
    if (layout.keyOnly) {
      this.plainKey = (keyLen & 1) === 1;
      keyLen = Math.floor(keyLen / 2);
    }
    let groupLen = layout.group === "whole" ? keyLen : 0;
    if (layout.storedGroup) {
      b = buf[p++]!;
      groupLen = b & 0x7f;
      for (let shift = 128; b >= 0x80; shift *= 128) {
        b = buf[p++]!;
        groupLen += (b & 0x7f) * shift;
      }
    }
    let recLen = 0;
    if (!layout.keyOnly) {
      b = buf[p++]!;
      recLen = b & 0x7f;
      for (let shift = 128; b >= 0x80; shift *= 128) {
        b = buf[p++]!;
        recLen += (b & 0x7f) * shift;
      }
    }
    this.buf = buf;
    this.view = view;
    this.start = start;
    this.keyStart = p;
    this.keyLen = keyLen;
    this.groupLen = groupLen;
    this.recStart = p + keyLen;
    this.recEnd = p + keyLen + recLen;
  }

  /** Takes over another cursor's current entry (a merge exposing its winner). */
  protected copyFrom(c: SortedCursor): void {
    this.buf = c.buf;
    this.view = c.view;
    this.start = c.start;
    this.keyStart = c.keyStart;
    this.keyLen = c.keyLen;
    this.groupLen = c.groupLen;
    this.recStart = c.recStart;
    this.recEnd = c.recEnd;
    this.plainKey = c.plainKey;
  }
}

/** Length of the entry whose header starts at buf[p] (header + key + record). */
export function entryLength(buf: Uint8Array, p: number, layout: EntryLayout): number {
  const start = p;
  let total = 0;
  const fields = 1 + (layout.storedGroup ? 1 : 0) + (layout.keyOnly ? 0 : 1);
  for (let f = 0; f < fields; f++) {
    let b = buf[p++]!;
    let n = b & 0x7f;
    for (let shift = 128; b >= 0x80; shift *= 128) {
      b = buf[p++]!;
      n += (b & 0x7f) * shift;
    }
    if (f === 0) total += layout.keyOnly ? Math.floor(n / 2) : n;
    else if (f === fields - 1 && !layout.keyOnly) total += n;
  }
  return p - start + total;
}
