/**
 * ExternalSorter: sorts any number of records in a fixed budget of memory pages — fills a sort
 * buffer, sorts it, spills it as a sorted run when full, and merges the runs k-way (in several
 * passes when there are more runs than pages to read them with). Optionally combines the groups
 * of each full buffer before spilling (reduce, distinct, first n), or hands full buffers to the
 * caller instead of spilling (pre-shuffle combiners).
 */
import { checkState, InternalError } from "../../../core/errors.ts";
import type { FileChannel, IOManager } from "../../../io/io-manager.ts";
import { RecordSpillWriter } from "../../../io/record-spill.ts";
import type { MemoryManager } from "../../../memory/memory-manager.ts";
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { DataInputView } from "../../../types/data-input-view.ts";
import { DataOutputView } from "../../../types/data-output-view.ts";
import { type KeyField, KeyEncoder } from "../../../types/sort/key-encoder.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { GroupReader, RecordReader } from "./group-reader.ts";
import { MergeCursor, RunCursor } from "./merge-cursor.ts";
import { type PageSource, SortBuffer } from "./sort-buffer.ts";
import { type EntryLayout, entryLayout, SortedCursor, varintSize, writeVarint } from "./sort-entry.ts";

/** What is sorted and how records are stored. */
export interface SorterSpec<T> {
  /** The sort key, field by field. */
  fields: readonly KeyField<T>[];
  /** How many leading fields form the group key (groups are what GroupReader walks). */
  groupFields: number;
  serializer: TypeSerializer<T>;
  /** The record is its own key: a single STRING field selecting the record itself; stored once. */
  keyIsRecord?: boolean;
}

/** The pages a sorter may use and where it spills. `owner` names the operator in allocation errors. */
export interface SorterMemory {
  manager: MemoryManager;
  io: IOManager;
  owner: string;
  pages: number;
}

/** Combines one group of a full sort buffer into the entries that are spilled in its place. */
export interface SortCombiner<T> {
  combineGroup(group: GroupReader<T>, out: EntryWriter<T>): void;
}

/** Where a combiner writes: the group's current entry as it is, or a new record under the group's key. */
export interface EntryWriter<T> {
  copyCurrent(): void;
  /** Only for sorters whose group key is the whole key. */
  writeRecord(record: T): void;
}

/** The fewest pages a sorter works with: a record page, a page of index, and two to merge runs with. */
export const MIN_SORTER_PAGES = 4;

/**
 * Memory: at most `memory.pages` pages, allocated from the manager as the buffer fills and kept
 * until `close()`. One page is the spill writer's; up to `mergeReserve` pages are kept free so
 * that the last buffer can stay in memory and be merged with the runs (one page per run).
 *
 * Lifecycle: `add` records, `finish()` once for the sorted cursor (or use `groups()`), `close()`
 * (releases the pages, deletes the runs; also after a failure). Threading: one operator thread.
 */
export class ExternalSorter<T> {
  readonly layout: EntryLayout;
  readonly encoder: KeyEncoder<T>;
  readonly records: RecordReader<T>;
  private readonly buffer: SortBuffer<T>;
  private readonly owned: MemorySegment[] = [];
  private readonly free: MemorySegment[] = [];
  private readonly runs: FileChannel[] = [];
  private readonly mergeReserve: number;
  private readonly pageLimit: number;
  /** Pages reading runs during a merge pass. */
  private readonly readerPages: MemorySegment[] = [];
  private writerPage: MemorySegment | undefined;
  private finished = false;
  private closed = false;
  /** Bytes this sorter wrote to spill files. */
  spilledBytes = 0;
  /** Sorted runs written (including merge passes). */
  runsWritten = 0;

  constructor(
    readonly spec: SorterSpec<T>,
    private readonly memory: SorterMemory,
    private readonly options: { combiner?: SortCombiner<T>; emitWhenFull?: (sorted: SortedCursor) => void } = {},
  ) {
    const pages = Math.max(MIN_SORTER_PAGES, memory.pages);
    this.encoder = new KeyEncoder(spec.fields, spec.groupFields);
    const decodeKey = spec.keyIsRecord ? this.encoder.stringDecoder() : undefined;
    if (spec.keyIsRecord && decodeKey === undefined) throw new InternalError("keyIsRecord needs a single STRING key field");
    this.layout = entryLayout(spec.fields.length, spec.groupFields, decodeKey !== undefined);
    this.records = new RecordReader(spec.serializer, decodeKey, spec.fields[0]?.order === "DESCENDING");
    this.mergeReserve = Math.max(1, Math.min(128, Math.floor(pages / 8)));
    const source: PageSource = { takePage: () => this.takePage() };
    this.buffer = new SortBuffer(this.layout, this.encoder, spec.serializer, source, pages - 1 - this.mergeReserve);
    this.pageLimit = pages;
  }

  private takePage(): MemorySegment {
    const page = this.free.pop();
    if (page !== undefined) return page;
    checkState(this.owned.length < this.pageLimit, `${this.memory.owner}: the sorter exceeded its ${this.pageLimit} pages`);
    const [fresh] = this.memory.manager.allocatePages(this.memory.owner, 1);
    this.owned.push(fresh!);
    return fresh!;
  }

  add(record: T): void {
    if (this.buffer.add(record)) return;
    this.bufferFull();
  }

  /** Emit mode: hands the buffered records to `emitWhenFull` now (sorted) and empties the buffer. */
  flush(): void {
    checkState(this.options.emitWhenFull !== undefined, "flush() is for sorters that emit full buffers");
    const buffer = this.buffer;
    if (buffer.count === 0) return;
    buffer.sort();
    this.options.emitWhenFull!(buffer.cursor());
    this.free.push(...buffer.reset().pages);
  }

  private bufferFull(): void {
    const buffer = this.buffer;
    if (buffer.count > 0) {
      buffer.sort();
      if (this.options.emitWhenFull) this.options.emitWhenFull(buffer.cursor());
      else this.spillRun(buffer.cursor());
      const { pages, pendingAdded } = buffer.reset();
      this.free.push(...pages);
      if (pendingAdded) return;
    }
    // the record alone does not fit an empty buffer: it becomes a run (or a batch) of its own
    const bytes = buffer.takePending();
    if (this.options.emitWhenFull) this.options.emitWhenFull(new SingleEntryCursor(this.layout, bytes));
    else this.spillRun(new SingleEntryCursor(this.layout, bytes));
  }

  /** Writes a sorted cursor to a new run (combining its groups if a combiner is set). */
  private spillRun(sorted: SortedCursor, combine = true): void {
    this.writerPage ??= this.takePage();
    const channel = this.memory.io.createChannel("sort-run");
    const writer = new RecordSpillWriter(channel, this.memory.io, this.writerPage);
    try {
      const combiner = combine ? this.options.combiner : undefined;
      if (combiner) {
        const groups = new GroupReader(sorted, this.records);
        const out = new RunEntryWriter(this, groups, writer);
        while (groups.nextGroup()) combiner.combineGroup(groups, out);
      } else {
        while (sorted.next()) writer.add(sorted.buf, sorted.start, sorted.recEnd);
      }
    } finally {
      writer.close();
      sorted.close();
    }
    this.runs.push(channel);
    this.runsWritten++;
    this.spilledBytes += channel.bytes;
  }

  /** Ends the input; returns every record's entry in key order (ties in arrival order). */
  finish(): SortedCursor {
    checkState(!this.finished, "the sorter was finished already");
    this.finished = true;
    const buffer = this.buffer;
    if (this.options.emitWhenFull) {
      if (buffer.count > 0) buffer.sort();
      return buffer.cursor();
    }
    if (this.runs.length === 0) {
      buffer.sort();
      return buffer.cursor();
    }
    // merge the runs with the last buffer still in memory when a page per run is free
    if (this.runs.length > this.mergeReserve + 1) {
      if (buffer.count > 0) {
        buffer.sort();
        this.spillRun(buffer.cursor());
      }
      const { pages } = buffer.reset();
      this.free.push(...pages);
      buffer.dropIndex();
      this.mergePasses();
      return this.mergeRuns(null);
    }
    if (buffer.count > 0) buffer.sort();
    return this.mergeRuns(buffer.count > 0 ? buffer.cursor() : null);
  }

  /** Merges groups of consecutive runs until one page per run is enough for the final merge. */
  private mergePasses(): void {
    const fanIn = this.pageLimit - 1;
    while (this.runs.length > fanIn + 1) {
      const merged: FileChannel[] = [];
      for (let at = 0; at < this.runs.length; at += fanIn) {
        const chunk = this.runs.slice(at, at + fanIn);
        if (chunk.length === 1) {
          merged.push(chunk[0]!);
          continue;
        }
        const before = this.runs.length;
        this.spillRun(this.runCursors(chunk), false);
        merged.push(this.runs.pop()!);
        checkState(this.runs.length === before, "merge pass bookkeeping");
        for (const ch of chunk) this.memory.io.deleteChannel(ch);
        this.free.push(...this.readerPages.splice(0));
      }
      this.runs.splice(0, this.runs.length, ...merged);
    }
  }

  private runCursors(chunk: FileChannel[]): MergeCursor {
    const cursors = chunk.map((ch) => {
      const page = this.takePage();
      this.readerPages.push(page);
      return new RunCursor(this.layout, ch, page);
    });
    return new MergeCursor(this.layout, cursors);
  }

  private mergeRuns(inMemory: SortedCursor | null): SortedCursor {
    if (this.writerPage) {
      this.free.push(this.writerPage);
      this.writerPage = undefined;
    }
    const merge = this.runCursors(this.runs);
    if (inMemory === null) return merge;
    // the buffer's entries arrived last: it is the last input, so runs win ties
    return new MergeCursor(this.layout, [merge, inMemory]);
  }

  /** Finishes the sort and walks its groups. */
  groups(): GroupReader<T> {
    return new GroupReader(this.finish(), this.records);
  }

  /** Walks the groups of a sorted cursor of this sorter (a buffer handed to `emitWhenFull`). */
  groupsOf(sorted: SortedCursor): GroupReader<T> {
    return new GroupReader(sorted, this.records);
  }

  /** Releases every page and deletes the runs. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ch of this.runs) this.memory.io.deleteChannel(ch);
    this.runs.length = 0;
    this.memory.manager.release(this.memory.owner, this.owned);
    this.owned.length = 0;
    this.free.length = 0;
    this.buffer.dropIndex();
  }

  /** Pages currently taken from the manager. */
  get pagesHeld(): number {
    return this.owned.length;
  }
}

/** Writes combined entries into a run: raw copies, or new entries under the group's key. */
class RunEntryWriter<T> implements EntryWriter<T> {
  private readonly scratch = new DataOutputView(256);

  constructor(
    private readonly sorter: ExternalSorter<T>,
    private readonly groups: GroupReader<T>,
    private readonly writer: RecordSpillWriter,
  ) {}

  copyCurrent(): void {
    const c = this.groups.cursor;
    this.writer.add(c.buf, c.start, c.recEnd);
  }

  writeRecord(record: T): void {
    const out = this.scratch;
    const layout = this.sorter.layout;
    checkState(layout.group === "whole" && !layout.keyOnly, "writeRecord needs the group key to be the whole key");
    // room for the two length varints before the key, which is the current group's key
    const key = this.groups.currentGroupKey();
    const keyStart = 10;
    out.reset();
    out.ensure(keyStart + key.length);
    out.buf.set(key, keyStart);
    out.pos = keyStart + key.length;
    this.sorter.spec.serializer.serialize(record, out);
    const recLen = out.pos - keyStart - key.length;
    const start = keyStart - varintSize(key.length) - varintSize(recLen);
    writeVarint(out.buf, writeVarint(out.buf, start, key.length), recLen);
    this.writer.add(out.buf, start, out.pos);
  }
}

/** A cursor over one entry's bytes (a record larger than the whole sort buffer). */
class SingleEntryCursor extends SortedCursor {
  private done = false;
  private readonly bytes: Uint8Array;
  private readonly input: DataInputView;

  constructor(layout: EntryLayout, bytes: Uint8Array) {
    super(layout);
    this.bytes = bytes.slice();
    this.input = new DataInputView(this.bytes);
  }

  next(): boolean {
    if (this.done) return false;
    this.done = true;
    this.parse(this.bytes, 0, this.input);
    return true;
  }

  close(): void {}
}
