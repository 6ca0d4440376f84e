/**
 * The fast path of CsvSource: parses a line straight from the bytes of the read buffer, numbers
 * digit by digit and only string fields decoded, and gives up (returns FALLBACK) on anything it
 * does not handle exactly like the string path: quoted fields, exponents, long digit strings,
 * malformed or missing fields. CsvSource then decodes the line and parses it as text, which also
 * makes the error messages, so both paths always agree.
 */
import type { CsvFieldParser, FieldConversion } from "./csv-field-parsers.ts";
import { BadField } from "./csv-field-parsers.ts";

export const FALLBACK: unique symbol = Symbol("parse the line as text");

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** Up to 15 digits a decimal integer is below 2^53, so it and the digits' double are exact. */
const MAX_DIGITS = 15;
/** 10^k is exact as a double up to k = 22, so mantissa / 10^k is the correctly rounded value, as Number(text) gives. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const enum Kind {
  Int,
  Long,
  Double,
  Float,
  String,
  /** BOOLEAN, BIGINT, INSTANT: decoded, then the text conversion. */
  Text,
  /** A column the line must have but that is not read (includeFields). */
  Skip,
}

/** Decodes bytes of the current chunk as the string path would. */
export interface ChunkText {
  text(start: number, end: number): string;
}

/**
 * One per CsvSource; usable when the field delimiter is one ASCII character other than the line
 * ends and the comment prefix (if any) is ASCII (see `supports`).
 */
export class CsvByteParser {
  /** Kind of each column up to the last required one. */
  private readonly kinds: Kind[] = [];
  /** Output index of each column (-1 for skipped ones). */
  private readonly outIndex: number[] = [];
  private readonly conversions: (FieldConversion | null)[] = [];
  private readonly nullable: boolean[] = [];
  private readonly delim: number;
  private readonly quote: number;
  /** Lines may have more columns than the mask names (includeFields); without a mask, exactly the required ones. */
  private readonly extraColumnsAllowed: boolean;
  private readonly width: number;
  /** After parse: the offset just past the line's "\n". */
  next = 0;
  /** A tuple's values while its line is parsed. */
  private readonly scratch: unknown[] = [];

  static supports(fieldDelimiter: string, quote: string | null, commentPrefix: string | null): boolean {
    const d = fieldDelimiter.charCodeAt(0);
    return (
      fieldDelimiter.length === 1 && d < 128 && d !== NEWLINE && d !== CR &&
      (quote === null || quote.charCodeAt(0) < 128) && (commentPrefix === null || /^[^\r\n\x80-\uffff]*$/.test(commentPrefix))
    );
  }

  constructor(
    parsers: readonly CsvFieldParser[],
    conversions: readonly FieldConversion[],
    columns: readonly number[],
    requiredColumns: number,
    includedFields: readonly boolean[] | null,
    fieldDelimiter: string,
    quote: string | null,
    private readonly rowFieldNames: readonly string[] | undefined,
  ) {
    this.delim = fieldDelimiter.charCodeAt(0);
    this.quote = quote === null ? -1 : quote.charCodeAt(0);
    this.extraColumnsAllowed = includedFields !== null;
    this.width = parsers.length;
    for (let c = 0; c < requiredColumns; c++) {
      const k = columns.indexOf(c);
      this.outIndex.push(k);
      if (k < 0) {
        this.kinds.push(Kind.Skip);
        this.conversions.push(null);
        this.nullable.push(false);
        continue;
      }
      const name = parsers[k]!.name;
      this.kinds.push(name === "INT" ? Kind.Int : name === "LONG" ? Kind.Long : name === "DOUBLE" ? Kind.Double : name === "FLOAT" ? Kind.Float : name === "STRING" ? Kind.String : Kind.Text);
      this.conversions.push(conversions[k]!);
      this.nullable.push(parsers[k]!.nullable);
    }
  }

  /**
   * Parses the line starting at `buf[start]` (the chunk ends in "\n", so the line does) into a
   * tuple or row, setting `next`; FALLBACK when the text path must decide.
   */
  parse(buf: Uint8Array, start: number, chunk: ChunkText): unknown {
    const kinds = this.kinds;
    const n = kinds.length;
    const delim = this.delim;
    // blanks around numbers, unless one of them is the delimiter
    const space = delim === SPACE ? -1 : SPACE;
    const tab = delim === TAB ? -1 : TAB;
    const names = this.rowFieldNames;
    // tuples: values gather in a scratch array and become a literal at the end, which gets its
    // final element kind at once (filling `new Array(n)` converted its storage once per double)
    const record: unknown[] | Record<string, unknown> = names === undefined ? this.scratch : {};
    let i = start;
    for (let c = 0; c < n; c++) {
      const fieldStart = i;
      let value: unknown;
      const kind = kinds[c]!;
      if (buf[i] === this.quote) return FALLBACK;
      if (kind <= Kind.Long) {
        // [blanks] [sign] digits [blanks], as scanInteger
        let b = buf[i]!;
        while (b === space || b === tab || (b === CR && buf[i + 1] !== NEWLINE)) b = buf[++i]!;
        const negative = b === MINUS;
        if (negative || b === PLUS) b = buf[++i]!;
        const digitsStart = i;
        let v = 0;
        while (b >= 48 && b <= 57) {
          v = v * 10 + (b - 48);
          b = buf[++i]!;
        }
        const digits = i - digitsStart;
        if (digits === 0) {
          if (i !== fieldStart || !this.nullable[c] || (b !== delim && b !== NEWLINE && !(b === CR && buf[i + 1] === NEWLINE))) return FALLBACK;
          value = null;
        } else {
          if (digits > MAX_DIGITS) return FALLBACK;
          while (b === space || b === tab || (b === CR && buf[i + 1] !== NEWLINE)) b = buf[++i]!;
          value = negative ? -v : v;
          if (kind === Kind.Int && ((value as number) < INT_MIN || (value as number) > INT_MAX)) return FALLBACK;
        }
      } else if (kind <= Kind.Float) {
        // [blanks] [sign] digits [. digits] [blanks]: exact as Number(text) while the digits fit 15
        let b = buf[i]!;
        while (b === space || b === tab || (b === CR && buf[i + 1] !== NEWLINE)) b = buf[++i]!;
        const negative = b === MINUS;
        if (negative || b === PLUS) b = buf[++i]!;
        let v = 0;
        let digits = 0;
        while (b >= 48 && b <= 57) {
          v = v * 10 + (b - 48);
          digits++;
          b = buf[++i]!;
        }
        let scale = 0;
        if (b === DOT) {
          b = buf[++i]!;
          while (b >= 48 && b <= 57) {
            v = v * 10 + (b - 48);
            scale++;
            b = buf[++i]!;
          }
        }
        if (digits + scale === 0) {
          if (i !== fieldStart || !this.nullable[c] || (b !== delim && b !== NEWLINE && !(b === CR && buf[i + 1] === NEWLINE))) return FALLBACK;
          value = null;
        } else {
          if (digits + scale > MAX_DIGITS) return FALLBACK;
          while (b === space || b === tab || (b === CR && buf[i + 1] !== NEWLINE)) b = buf[++i]!;
          if (scale > 0) v = v / POW10[scale]!;
          value = negative ? -v : v;
          if (kind === Kind.Float) value = Math.fround(value as number);
        }
      } else {
        // up to the delimiter or the line's end (its "\r\n" or "\n")
        let b = buf[i]!;
        while (b !== delim && b !== NEWLINE) b = buf[++i]!;
        const fieldEnd = b === NEWLINE && i > fieldStart && buf[i - 1] === CR ? i - 1 : i;
        if (kind !== Kind.Skip) {
          if (fieldEnd === fieldStart && this.nullable[c]) value = null;
          else {
            value = chunk.text(fieldStart, fieldEnd);
            if (kind === Kind.Text) {
              value = this.conversions[c]!(value as string);
              if (value instanceof BadField) return FALLBACK;
            }
          }
        }
      }
      // i is at the delimiter or the line's end ("\r\n" or "\n")
      const b = buf[i];
      if (c < n - 1) {
        if (b !== delim) return FALLBACK;
        i++;
      } else if (b === delim) {
        if (!this.extraColumnsAllowed) return FALLBACK;
        i = this.skipRest(buf, i);
        if (i < 0) return FALLBACK;
      } else if (b === CR) {
        if (buf[i + 1] !== NEWLINE) return FALLBACK;
        i++;
      } else if (b !== NEWLINE) {
        return FALLBACK;
      }
      if (kind !== Kind.Skip) {
        if (names === undefined) (record as unknown[])[this.outIndex[c]!] = value;
        else (record as Record<string, unknown>)[names[this.outIndex[c]!]!] = value;
      }
    }
    this.next = i + 1;
    return names === undefined ? tupleOf(record as unknown[], this.width) : record;
  }

  /** From a delimiter after the last required column to the line's "\n"; -1 when a quote there needs the text path. */
  private skipRest(buf: Uint8Array, i: number): number {
    const quote = this.quote;
    let b = buf[i]!;
    while (b !== NEWLINE) {
      if (b === quote) return -1;
      b = buf[++i]!;
    }
    return i;
  }
}

/** A fresh tuple of `values[0, width)`. */
function tupleOf(values: unknown[], width: number): unknown[] {
  switch (width) {
    case 1:
      return [values[0]];
    case 2:
      return [values[0], values[1]];
    case 3:
      return [values[0], values[1], values[2]];
    case 4:
      return [values[0], values[1], values[2], values[3]];
    case 5:
      return [values[0], values[1], values[2], values[3], values[4]];
    case 6:
      return [values[0], values[1], values[2], values[3], values[4], values[5]];
    default:
      return values.slice(0, width);
  }
}
