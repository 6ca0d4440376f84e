/**
 * Fixed-width rows for the hash tables of tuples of numbers (FixedAggregateTable,
 * FixedJoinTable): where each field of a row lives in a managed-memory page, and generated code
 * that writes, reads and folds rows with constant offsets.
 */
import type { MemorySegment } from "../../../memory/memory-segment.ts";
import { ADDRESS_MASK } from "./join-key.ts";
import type { PagePool } from "./page-pool.ts";

/** How a row stores a field: int32 (INT), float32 (FLOAT) or float64 (LONG, DOUBLE, sums). */
export const I32 = 0;
export const F32 = 1;
export const F64 = 2;

/** The storage of each field type a row can hold; other types keep a table from using rows. */
export const FIELD_STORAGE: Readonly<Record<string, number>> = { INT: I32, FLOAT: F32, LONG: F64, DOUBLE: F64 };

/** How a record's field folds into a row: NONE takes the record's value, the others aggregate. */
export const NONE = 0;
export const SUM = 1;
export const MIN = 2;
export const MAX = 3;

/** Where the fields of a row are: 4-byte word offsets, float64 fields first so that they stay 8-aligned. */
export interface RowShape {
  readonly offsets: Int32Array;
  /** The first of the `extraWords` 4-byte words after the fields (a join's chain word). */
  readonly extra: number;
  /** 4-byte words per row, even when a float64 field needs the alignment. */
  readonly words: number;
}

export function rowShape(storage: Uint8Array, extraWords = 0): RowShape {
  const offsets = new Int32Array(storage.length);
  let word = 0;
  for (let f = 0; f < storage.length; f++) if (storage[f] === F64) (offsets[f] = word), (word += 2);
  for (let f = 0; f < storage.length; f++) if (storage[f] !== F64) offsets[f] = word++;
  const extra = word;
  word += extraWords;
  return { offsets, extra, words: storage.includes(F64) ? word + (word & 1) : word };
}

/** Straight-line code for one row layout; a row is at 4-byte word `o` of a page's three views. */
export interface RowCodec {
  /** True when record `v` fits the layout: as many fields, every one a number, an int32 where the type is INT. */
  fits(v: unknown): boolean;
  /** Writes record `v` as the row. */
  put(i32: Int32Array, f32: Float32Array, f64: Float64Array, o: number, v: number[]): void;
  /** Folds record `v` into the row by the layout's kinds (NONE fields take v's value). */
  fold(i32: Int32Array, f32: Float32Array, f64: Float64Array, o: number, v: number[]): void;
  /** Folds the row at word `so` of the views `s*` (a later record of the same key) into the row at `o`. */
  foldRow(i32: Int32Array, f32: Float32Array, f64: Float64Array, o: number, si32: Int32Array, sf32: Float32Array, sf64: Float64Array, so: number): void;
  /** Copies the row at word `so` of `si32`'s page to word `o` of `i32`'s, bit for bit. */
  copyRow(i32: Int32Array, o: number, si32: Int32Array, so: number): void;
  /** The row as a fresh tuple. */
  read(i32: Int32Array, f32: Float32Array, f64: Float64Array, o: number): number[];
  /** The row's key field (an INT or a LONG: never a float32). */
  key(i32: Int32Array, f64: Float64Array, o: number): number;
}

/**
 * One codec per distinct layout in a thread: tables of the same layout (a combiner and its final
 * instance) share theirs, so the tables' call sites see one function each and inline it.
 */
const codecs = new Map<string, RowCodec>();

/**
 * The codec of rows with fields stored as `storage` at `offsets`, folding by `kinds`, keyed by
 * `keyField`; `int32` marks the INT fields (a SUM of one is stored as a float64).
 */
export function rowCodec(storage: Uint8Array, offsets: Int32Array, kinds: Int8Array, keyField: number, int32: Uint8Array, words: number): RowCodec {
  const id = `${storage.join()}|${offsets.join()}|${kinds.join()}|${keyField}|${int32.join()}|${words}`;
  let codec = codecs.get(id);
  if (codec === undefined) codecs.set(id, (codec = generateRowCodec(storage, offsets, kinds, keyField, int32, words)));
  return codec;
}

function generateRowCodec(storage: Uint8Array, offsets: Int32Array, kinds: Int8Array, keyField: number, int32: Uint8Array, words: number): RowCodec {
  // a field of the row at `o` of views i32/f32/f64, or with prefix "s" of the row at `so` of si32/sf32/sf64
  const at = (f: number, s = "") =>
    storage[f] === I32 ? `${s}i32[${s}o + ${offsets[f]}]` : storage[f] === F32 ? `${s}f32[${s}o + ${offsets[f]}]` : `${s}f64[(${s}o + ${offsets[f]}) >>> 1]`;
  const put: string[] = [];
  const fold: string[] = [];
  const foldRow: string[] = [];
  const copyRow: string[] = [];
  for (let w = 0; w < words; w++) copyRow.push(`i32[o + ${w}] = si32[so + ${w}];`);
  const read: string[] = [];
  const fits = [`Array.isArray(v)`, `v.length === ${storage.length}`];
  for (let f = 0; f < storage.length; f++) fits.push(int32[f] === 1 ? `(v[${f}] | 0) === v[${f}]` : `typeof v[${f}] === "number"`);
  for (let f = 0; f < storage.length; f++) {
    const cell = at(f);
    put.push(`${cell} = v[${f}];`);
    read.push(cell);
    const source = at(f, "s");
    if (kinds[f] === NONE) {
      fold.push(`${cell} = v[${f}];`);
      if (f !== keyField) foldRow.push(`${cell} = ${source};`);
    } else if (kinds[f] === SUM) {
      fold.push(`${cell} += v[${f}];`);
      foldRow.push(`${cell} += ${source};`);
    } else {
      // NaN orders last (compareValues): MAX takes it, MIN keeps any number over it
      const take = kinds[f] === MIN ? `x < a || a !== a` : `x > a || (x !== x && a === a)`;
      fold.push(`{ const x = v[${f}]; const a = ${cell}; if (${take}) ${cell} = x; }`);
      foldRow.push(`{ const x = ${source}; const a = ${cell}; if (${take}) ${cell} = x; }`);
    }
  }
  const source = `"use strict"; return {
    fits(v) { return ${fits.join(" && ")}; },
    put(i32, f32, f64, o, v) { ${put.join(" ")} },
    fold(i32, f32, f64, o, v) { ${fold.join(" ")} },
    foldRow(i32, f32, f64, o, si32, sf32, sf64, so) { ${foldRow.join(" ")} },
    copyRow(i32, o, si32, so) { ${copyRow.join(" ")} },
    read(i32, f32, f64, o) { return [${read.join(", ")}]; },
    key(i32, f64, o) { return ${at(keyField)}; },
  };`;
  return new Function(source)() as RowCodec;
}

/**
 * The row pages of a fixed-width table: rows appended page after page from `pool`, each page
 * seen through three views, a row addressed as page << wordShift | word (4-byte words), which
 * must fit ADDRESS_BITS.
 */
export class RowPages {
  readonly segments: MemorySegment[] = [];
  readonly i32: Int32Array[] = [];
  readonly f32: Float32Array[] = [];
  readonly f64: Float64Array[] = [];
  readonly wordShift: number;
  readonly wordMask: number;
  /** Rows per page. */
  readonly perPage: number;
  /** The word where the next row goes on the last page (past its end when there is no page). */
  private nextWord: number;

  constructor(
    private readonly pool: PagePool,
    private readonly words: number,
  ) {
    this.wordShift = Math.log2(pool.pageSize / 4);
    this.wordMask = (1 << this.wordShift) - 1;
    this.perPage = Math.floor((1 << this.wordShift) / words);
    this.nextWord = 1 << this.wordShift;
  }

  /** True when the next row needs `addPage` first. */
  get full(): boolean {
    return this.nextWord + this.words > 1 << this.wordShift;
  }

  /** True while one more page still gets addresses that fit ADDRESS_BITS. */
  canGrow(): boolean {
    return (this.segments.length + 1) << this.wordShift <= ADDRESS_MASK;
  }

  /** Takes a page from the pool for the next rows. */
  addPage(): void {
    const seg = this.pool.take();
    this.segments.push(seg);
    this.i32.push(new Int32Array(seg.arrayBuffer, 0, seg.size >>> 2));
    this.f32.push(new Float32Array(seg.arrayBuffer, 0, seg.size >>> 2));
    this.f64.push(new Float64Array(seg.arrayBuffer, 0, seg.size >>> 3));
    this.nextWord = 0;
  }

  /** The address of a new row (there must be room: see `full`). */
  append(): number {
    const o = this.nextWord;
    this.nextWord = o + this.words;
    return ((this.segments.length - 1) << this.wordShift) | o;
  }

  /** The word past the last row of page `p`. */
  end(p: number): number {
    return p === this.segments.length - 1 ? this.nextWord : this.perPage * this.words;
  }

  /** Calls `f` with each row's page, word and address in order; `afterPage` after each page. */
  forEach(f: (page: number, o: number, address: number) => void, afterPage?: (page: number) => void): void {
    for (let p = 0; p < this.segments.length; p++) {
      const end = this.end(p);
      for (let o = 0; o < end; o += this.words) f(p, o, (p << this.wordShift) | o);
      afterPage?.(p);
    }
  }

  /** Calls `f` with each row as `forEach` does, giving every page back once its rows are read; empty afterwards. */
  drain(f: (page: number, o: number) => void): void {
    this.forEach(f, (p) => this.pool.give(this.segments[p]!));
    this.forget(0);
  }

  /** Keeps the rows before word `o` of page `p` (an `append` address's parts), giving the pages after `p` back. */
  truncate(p: number, o: number): void {
    this.reset(p + 1);
    this.nextWord = o;
  }

  /** Rows held. */
  get rows(): number {
    const n = this.segments.length;
    return n === 0 ? 0 : (n - 1) * this.perPage + this.nextWord / this.words;
  }

  /** Forgets every row, keeping the first `keep` pages for the next ones and giving the others back. */
  reset(keep: number): void {
    this.pool.giveAll(this.segments.slice(keep));
    this.forget(keep);
  }

  private forget(keep: number): void {
    const n = Math.min(keep, this.segments.length);
    this.segments.length = n;
    this.i32.length = n;
    this.f32.length = n;
    this.f64.length = n;
    this.nextWord = n > 0 ? 0 : 1 << this.wordShift;
  }
}
