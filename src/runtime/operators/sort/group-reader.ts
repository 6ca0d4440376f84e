/** GroupReader: walks a sorted cursor group by group (runs of equal group-key bytes) and deserializes records. */
import { latin1Slice } from "../../../core/platform.ts";
import { bytesEqual } from "../../../types/sort/byte-compare.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { GcNudge } from "./gc-nudge.ts";
import type { SortedCursor } from "./sort-entry.ts";

/** Reads the record of a cursor's current entry: the serializer's bytes, or the key itself (keyOnly). */
export class RecordReader<T> {
  private readonly gcNudge = new GcNudge();
  constructor(
    private readonly serializer: TypeSerializer<T>,
    private readonly decodeKey?: (buf: Uint8Array, start: number, length: number) => string,
    /** The key code is inverted (descending): a plain key is still not the text itself. */
    private readonly inverted = false,
  ) {}

  read(c: SortedCursor): T {
    this.gcNudge.account(c.recEnd - c.start);
    if (this.decodeKey !== undefined) {
      if (c.plainKey && !this.inverted) return latin1Slice(c.buf, c.keyStart, c.keyStart + c.keyLen - 1) as T;
      return this.decodeKey(c.buf, c.keyStart, c.keyLen) as T;
    }
    const input = c.view;
    input.pos = c.recStart;
    input.end = c.recEnd;
    return this.serializer.deserialize(input);
  }
}

/**
 * Lifecycle: `nextGroup()` puts the cursor on the first entry of the next group (false at the
 * end); `nextInGroup()` moves to the group's next entry (false once the group ends, leaving the
 * following entry for the next `nextGroup()`). Groups not read to their end are skipped.
 * Memory: one copy of the current group key, grown to the longest key seen.
 */
export class GroupReader<T> {
  private groupKey = new Uint8Array(64);
  private groupKeyLen = 0;
  /** The cursor is on an entry that starts the next group. */
  private pending = false;
  private ended = false;
  private inGroup = false;

  constructor(
    readonly cursor: SortedCursor,
    private readonly records: RecordReader<T>,
  ) {}

  nextGroup(): boolean {
    if (this.ended) return false;
    if (this.inGroup) while (this.nextInGroup());
    if (!this.pending && !this.cursor.next()) {
      this.ended = true;
      return false;
    }
    this.pending = false;
    this.inGroup = true;
    const c = this.cursor;
    const n = c.groupLen;
    if (this.groupKey.length < n) this.groupKey = new Uint8Array(Math.max(n, this.groupKey.length * 2));
    this.groupKey.set(c.buf.subarray(c.keyStart, c.keyStart + n));
    this.groupKeyLen = n;
    return true;
  }

  nextInGroup(): boolean {
    if (!this.inGroup) return false;
    const c = this.cursor;
    if (!c.next()) {
      this.ended = true;
      this.inGroup = false;
      return false;
    }
    if (bytesEqual(c.buf, c.keyStart, c.groupLen, this.groupKey, 0, this.groupKeyLen)) return true;
    this.pending = true;
    this.inGroup = false;
    return false;
  }

  /** The current group's key bytes (valid until the next group starts). */
  currentGroupKey(): Uint8Array {
    return this.groupKey.subarray(0, this.groupKeyLen);
  }

  /** The record of the cursor's current entry. */
  record(): T {
    return this.records.read(this.cursor);
  }

  /** The records of the current group from the current entry on, as an array (the group is then consumed). */
  groupToArray(): T[] {
    const out: T[] = [this.record()];
    while (this.nextInGroup()) out.push(this.record());
    return out;
  }
}
