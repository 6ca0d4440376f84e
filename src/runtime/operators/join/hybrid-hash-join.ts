/** The hybrid hash join: build a MutableHashTable, probe it, join spilled partition pairs recursively. */
import { DataOutputView } from "../../../types/data-output-view.ts";
import type { DataInputView } from "../../../types/data-input-view.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { hashKeyBytes, isNullKey, levelSeed, writeJoinKey } from "./join-key.ts";
import { emitUnmatched, MutableHashTable, SPILLED, type SpilledPair } from "./mutable-hash-table.ts";
import type { PagePool } from "./page-pool.ts";
import type { RecordCursor } from "./record-pages.ts";
import { RecordBuffer } from "./record-buffer.ts";
import { KeyBatch } from "./key-batch.ts";
import { FixedJoinTable, fixedJoinLayout } from "./fixed-join-table.ts";
import type { TypeInformation } from "../../../types/type-information.ts";

/** Probe records joined together once the build side is in (KeyBatch). */
const PROBE_BATCH = 128;

/** Past this recursion level a spilled pair is joined block-wise instead of partitioned again. */
export const MAX_RECURSION_LEVEL = 3;

/** The fewest pages the join runs with: two partitions, an early-probe page and read pages. */
export const HASH_JOIN_MIN_PAGES = 6;

/** How one side is read: its key, whether its unmatched records are emitted, and how it serializes. */
export interface JoinSide {
  key: (value: any) => unknown;
  serializer: TypeSerializer<any>;
  /** Unmatched records (and those with null keys) are emitted with a null partner. */
  outer: boolean;
  /** The records' type and the key's tuple field, when known: a build side of numbers keyed by an int32 field gets a FixedJoinTable. */
  type?: TypeInformation;
  field?: unknown;
}

/** A spilled pair waiting to be joined at `level`; `parentBytes` is the build size it came from. */
interface PendingPair {
  pair: SpilledPair;
  level: number;
  parentBytes: number;
}

/** Receives each result pair; the missing side of an outer result is null. */
export type PairSink = (build: unknown, probe: unknown) => void;

/** Partitions for a table that may use `pages` pages: about 8 pages each, 2 to 64. */
function fanOutFor(pages: number): number {
  return Math.max(2, Math.min(64, Math.floor(pages / 8)));
}

/**
 * Joins a build and a probe input in the operator's pages (Flink's hybrid hash join). Build
 * records are serialized into a MutableHashTable; probe records that arrive before the build
 * side ended wait in a RecordBuffer (spilled first when memory runs short); afterwards probe
 * records are joined as they come, or spilled with their partition. When both inputs ended,
 * spilled pairs are joined level by level with a new hash seed; a pair that does not shrink
 * (one key larger than memory) or passes MAX_RECURSION_LEVEL is joined block by block.
 *
 * Lifecycle: addBuild / addProbe (any interleaving) -> endBuild, endProbe (any order; results
 * flow while probing and at the end) -> close (also after a failure: frees pages and files).
 * Null keys never match; an outer side emits their records with a null partner.
 */
export class HybridHashJoin {
  private table: MutableHashTable | null;
  private early: RecordBuffer | null;
  private buildDone = false;
  private probeDone = false;
  private readonly keyOut = new DataOutputView(256);
  private readonly payloadOut = new DataOutputView(1024);
  private readonly seed0 = levelSeed(0);
  /** Where `encode` put the key in payloadOut. */
  private keyStart = 0;
  private keyEnd = 0;
  /** Pairs not yet joined (and their files), freed by close after a failure. */
  private pending: PendingPair[] = [];
  /** Probe records waiting for probeBatch (once the build side is in). */
  private readonly batch = new KeyBatch(PROBE_BATCH);
  /** The build side as float64 rows while it fits (inner build sides of numbers with an int32 key), else null. */
  private fixed: FixedJoinTable | null = null;

  constructor(
    private readonly pool: PagePool,
    private readonly build: JoinSide,
    private readonly probe: JoinSide,
    private readonly emit: PairSink,
  ) {
    this.table = new MutableHashTable(pool, fanOutFor(pool.available()), build.outer);
    this.early = new RecordBuffer(pool, this.table, "hash-early-probe");
    this.table.extra = this.early;
    const layout = build.outer ? null : fixedJoinLayout(build.type, build.field);
    if (layout !== null) this.fixed = new FixedJoinTable(pool, layout, (b, p) => this.emit(b, p), probe.outer ? (p) => this.emit(null, p) : null);
  }

  addBuild(value: unknown): void {
    const key = this.build.key(value);
    if (isNullKey(key)) {
      if (this.build.outer) this.emit(value, null);
      return;
    }
    if (this.fixed !== null) {
      if (this.fixed.add(value as number[])) return;
      this.handOver();
    }
    this.insertBuild(key, value);
  }

  /** The fixed table is full or got a record it cannot hold: its rows go into the spilling table. */
  private handOver(): void {
    const fixed = this.fixed!;
    this.fixed = null;
    fixed.handOver((v) => this.insertBuild(this.build.key(v), v));
    fixed.close();
  }

  private insertBuild(key: unknown, value: unknown): void {
    const out = this.encode(key, value, this.build.serializer);
    this.table!.insert(hashKeyBytes(out.buf, this.keyStart, this.keyEnd, this.seed0), out.buf, 0, out.pos);
  }

  addProbe(value: unknown): void {
    const key = this.probe.key(value);
    if (isNullKey(key)) {
      if (this.probe.outer) this.emit(null, value);
      return;
    }
    if (!this.buildDone) {
      const out = this.encode(key, value, this.probe.serializer);
      this.early!.append(hashKeyBytes(out.buf, this.keyStart, this.keyEnd, this.seed0), out.buf, 0, out.pos);
      return;
    }
    if (this.fixed !== null) this.fixed.probe(value, key);
    else if (this.batch.add(value, key, this.seed0)) this.probeBatch();
  }

  /** Joins the batched probe records, their memory loaded first (KeyBatch). */
  private probeBatch(): void {
    this.fixed?.flush();
    const batch = this.batch;
    const n = batch.size;
    if (n === 0) return;
    const table = this.table!;
    const { values, hashes, keys, ends, next } = batch;
    for (let i = 0; i < n; i++) next[i] = table.head(hashes[i]!);
    for (let i = 0; i < n; i++) next[i] = table.touch(hashes[i]!, next[i]!);
    for (let i = 0; i < n; i++) if (next[i] !== 0) table.touch(hashes[i]!, next[i]!);
    const serializer = this.build.serializer;
    try {
      for (let i = 0; i < n; i++) {
        const value = values[i];
        const hash = hashes[i]!;
        let m = table.probe(hash, keys.buf, batch.keyStart(i), ends[i]!);
        if (m === SPILLED) {
          const out = this.encode(this.probe.key(value), value, this.probe.serializer);
          table.spillProbe(hash, out.buf, 0, out.pos);
        } else if (m === 0) {
          if (this.probe.outer) this.emit(null, value);
        } else {
          while (m > 0) {
            this.emit(serializer.deserialize(table.valueInput), value);
            m = table.nextMatch();
          }
        }
      }
    } finally {
      batch.clear();
    }
  }

  /** The build side is complete: finish the table and probe the records that waited. */
  endBuild(): void {
    this.buildDone = true;
    if (this.fixed !== null && !this.fixed.finishBuild()) this.handOver();
    const table = this.table!;
    table.finishBuild(0);
    const early = this.early!;
    const cursor = early.cursor();
    const serializer = this.probe.serializer;
    // the records that waited join as later ones do, in batches
    while (cursor.next()) {
      const input = cursor.input;
      const keyLen = input.readVarUint();
      input.pos += keyLen;
      this.addProbe(serializer.deserialize(input));
    }
    this.probeBatch();
    early.release();
    this.early = null;
    table.extra = null;
    if (this.probeDone) this.finish();
  }

  endProbe(): void {
    if (this.buildDone) this.probeBatch();
    this.probeDone = true;
    if (this.buildDone) this.finish();
  }

  /** Writes the payload `varuint keyLen, key, value` into payloadOut; keyStart/keyEnd locate the key. */
  private encode(key: unknown, value: unknown, serializer: TypeSerializer<unknown>): DataOutputView {
    const keyOut = this.keyOut;
    keyOut.reset();
    writeJoinKey(key, keyOut);
    const out = this.payloadOut;
    out.reset();
    const keyLen = keyOut.pos;
    out.writeVarUint(keyLen);
    out.ensure(keyLen);
    const keyStart = out.pos;
    const from = keyOut.buf;
    const to = out.buf;
    for (let i = 0; i < keyLen; i++) to[keyStart + i] = from[i]!;
    out.pos = this.keyEnd = keyStart + keyLen;
    this.keyStart = keyStart;
    serializer.serialize(value, out);
    return out;
  }

  /** Probes `table` with the payload under `cursor` (an early or spilled probe record). */
  private probePayload(table: MutableHashTable, cursor: RecordCursor, seed: number): void {
    const input = cursor.input;
    const keyLen = input.readVarUint();
    const keyStart = input.pos;
    const keyEnd = keyStart + keyLen;
    const hash = hashKeyBytes(cursor.buf, keyStart, keyEnd, seed);
    let m = table.probe(hash, cursor.buf, keyStart, keyEnd);
    if (m === SPILLED) {
      table.spillProbe(hash, cursor.buf, cursor.start, cursor.end);
      return;
    }
    if (m === 0 && !this.probe.outer) return;
    input.pos = keyEnd;
    const value = this.probe.serializer.deserialize(input);
    if (m === 0) {
      this.emit(null, value);
      return;
    }
    const serializer = this.build.serializer;
    while (m > 0) {
      this.emit(serializer.deserialize(table.valueInput), value);
      m = table.nextMatch();
    }
  }

  /** Both sides ended: unmatched build records of the table, then the spilled pairs, level by level. */
  private finish(): void {
    const table = this.table!;
    this.table = null;
    for (const pair of table.finishProbe(this.unmatchedBuild())) this.pending.push({ pair, level: 1, parentBytes: Infinity });
    while (this.pending.length > 0) {
      const { pair, level, parentBytes } = this.pending.pop()!;
      this.joinPair(pair, level, parentBytes);
    }
  }

  private unmatchedBuild(): ((input: DataInputView) => void) | null {
    if (!this.build.outer) return null;
    const serializer = this.build.serializer;
    return (input) => this.emit(serializer.deserialize(input), null);
  }

  /** Joins a spilled pair at `level`: partitions it again, or block-wise when it does not shrink. */
  private joinPair(pair: SpilledPair, level: number, parentBytes: number): void {
    const { build, probe } = pair;
    try {
      if (probe === null || probe.records === 0) {
        // no probe record reached this partition: every build record is unmatched
        const unmatched = this.unmatchedBuild();
        if (unmatched !== null) emitUnmatched(build, unmatched);
        return;
      }
      if (level > MAX_RECURSION_LEVEL || build.payloadBytes >= parentBytes) {
        this.joinBlockwise(build, probe, level);
        return;
      }
      const seed = levelSeed(level);
      const table = new MutableHashTable(this.pool, fanOutFor(this.pool.available() - 1), this.build.outer);
      try {
        const cursor = build.cursor();
        while (cursor.next()) {
          const input = cursor.input;
          const keyLen = input.readVarUint();
          table.insert(hashKeyBytes(cursor.buf, input.pos, input.pos + keyLen, seed), cursor.buf, cursor.start, cursor.end);
        }
        table.finishBuild(1);
        const probes = probe.cursor();
        while (probes.next()) this.probePayload(table, probes, seed);
        const sub = table.finishProbe(this.unmatchedBuild());
        for (const p of sub) this.pending.push({ pair: p, level: level + 1, parentBytes: build.payloadBytes });
      } finally {
        table.release();
      }
    } finally {
      build.release();
      probe?.release();
    }
  }

  /**
   * Block nested loop over a pair that does not shrink: fills a single-partition table with as
   * much of the build file as fits, streams the whole probe file against it, repeats. Matched
   * probe records are remembered in a bitset (1 bit per probe record) for the outer pass.
   */
  private joinBlockwise(build: RecordBuffer, probe: RecordBuffer, level: number): void {
    const seed = levelSeed(level);
    const matched = this.probe.outer ? new Uint8Array(Math.ceil(probe.records / 8)) : null;
    const builds = build.cursor();
    let pending = builds.next();
    try {
      while (pending) {
        const table = new MutableHashTable(this.pool, 1, this.build.outer);
        try {
          while (pending && table.fits(builds.end - builds.start, 1)) {
            const input = builds.input;
            const keyLen = input.readVarUint();
            table.insert(hashKeyBytes(builds.buf, input.pos, input.pos + keyLen, seed), builds.buf, builds.start, builds.end);
            pending = builds.next();
          }
          if (table.partitions[0]!.build.records === 0) {
            throw this.pool.exhausted(table.partitions[0]!.build.pagesNeeded(builds.end - builds.start) + 2 - this.pool.available(), `for one build record of ${builds.end - builds.start} bytes`);
          }
          table.finishBuild(1);
          this.probeBlock(table, probe, seed, matched);
          table.finishProbe(this.unmatchedBuild());
        } finally {
          table.release();
        }
      }
    } finally {
      builds.close();
    }
    if (matched !== null) {
      const cursor = probe.cursor();
      const serializer = this.probe.serializer;
      for (let i = 0; cursor.next(); i++) {
        if ((matched[i >>> 3]! & (1 << (i & 7))) !== 0) continue;
        const input = cursor.input;
        const keyLen = input.readVarUint();
        input.pos += keyLen;
        this.emit(null, serializer.deserialize(input));
      }
    }
  }

  private probeBlock(table: MutableHashTable, probe: RecordBuffer, seed: number, matched: Uint8Array | null): void {
    const cursor = probe.cursor();
    const buildSerializer = this.build.serializer;
    for (let i = 0; cursor.next(); i++) {
      const input = cursor.input;
      const keyLen = input.readVarUint();
      const keyStart = input.pos;
      let m = table.probe(hashKeyBytes(cursor.buf, keyStart, keyStart + keyLen, seed), cursor.buf, keyStart, keyStart + keyLen);
      if (m <= 0) continue;
      if (matched !== null) matched[i >>> 3] = matched[i >>> 3]! | (1 << (i & 7));
      input.pos = keyStart + keyLen;
      const value = this.probe.serializer.deserialize(input);
      while (m > 0) {
        this.emit(buildSerializer.deserialize(table.valueInput), value);
        m = table.nextMatch();
      }
    }
  }

  /** Frees every page and spill file still held (after the end, or a failure). */
  close(): void {
    this.batch.clear();
    this.fixed?.close();
    this.fixed = null;
    this.table?.release();
    this.table = null;
    this.early?.release();
    this.early = null;
    for (const { pair } of this.pending) {
      pair.build.release();
      pair.probe?.release();
    }
    this.pending = [];
  }
}
