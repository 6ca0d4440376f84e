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
    this.parseLine = this.generateParser();
  }

  /**
   * Parses the line starting at `buf[start]` (the chunk ends in "\n", so the line does) into a
   * tuple or row, setting `next`; FALLBACK when the text path must decide.
   */
  parse(buf: Uint8Array, start: number, chunk: ChunkText): unknown {
    return this.parseLine(buf, start, chunk, this);
  }

  /** parse, generated for this parser's columns (see generateParser). */
  private readonly parseLine: (buf: Uint8Array, start: number, chunk: ChunkText, self: CsvByteParser) => unknown;

  /**
   * Straight-line code for this schema: each column's scanning with its kind, nullability,
   * delimiter and output slot resolved, values in locals, the tuple or row built once at the end.
   * One function per source, so it is small for the JS engine to compile and has no per-column
   * dispatch.
   */
  private generateParser(): (buf: Uint8Array, start: number, chunk: ChunkText, self: CsvByteParser) => unknown {
    const delim = this.delim;
    // blanks around numbers, unless one of them is the delimiter
    const space = delim === SPACE ? -1 : SPACE;
    const tab = delim === TAB ? -1 : TAB;
    const blank = (b: string) => `(${b} === ${space} || ${b} === ${tab} || (${b} === ${CR} && buf[i + 1] !== ${NEWLINE}))`;
    const lineEnd = (b: string) => `(${b} === ${NEWLINE} || (${b} === ${CR} && buf[i + 1] === ${NEWLINE}))`;
    const n = this.kinds.length;
    const code: string[] = ["let i = start;", "let fieldStart = 0;"];
    const out: string[] = new Array(this.width);
    for (let c = 0; c < n; c++) {
      const kind = this.kinds[c]!;
      const v = `v${c}`;
      if (kind !== Kind.Skip) {
        code.push(`let ${v} = null;`);
        out[this.outIndex[c]!] = v;
      }
      code.push("fieldStart = i;");
      if (this.quote >= 0) code.push(`if (buf[i] === ${this.quote}) return FALLBACK;`);
      const nullable = this.nullable[c]!;
      const emptyOk = `i === fieldStart && ${nullable} && (b === ${delim} || ${lineEnd("b")})`;
      if (kind === Kind.Int || kind === Kind.Long) {
        // [blanks] [sign] digits [blanks], as scanInteger
        code.push(`{
  let b = buf[i];
  while ${blank("b")} b = buf[++i];
  const negative = b === ${MINUS};
  if (negative || b === ${PLUS}) b = buf[++i];
  const digitsStart = i;
  let x = 0;
  while (b >= 48 && b <= 57) { x = x * 10 + (b - 48); b = buf[++i]; }
  const digits = i - digitsStart;
  if (digits === 0) {
    if (!(${emptyOk})) return FALLBACK;
  } else {
    if (digits > ${MAX_DIGITS}) return FALLBACK;
    while ${blank("b")} b = buf[++i];
    ${v} = negative ? -x : x;
    ${kind === Kind.Int ? `if (${v} < ${INT_MIN} || ${v} > ${INT_MAX}) return FALLBACK;` : ""}
  }
}`);
      } else if (kind === Kind.Double || kind === Kind.Float) {
        // [blanks] [sign] digits [. digits] [blanks]: exact as Number(text) while the digits fit 15
        code.push(`{
  let b = buf[i];
  while ${blank("b")} b = buf[++i];
  const negative = b === ${MINUS};
  if (negative || b === ${PLUS}) b = buf[++i];
  let x = 0;
  let digits = 0;
  while (b >= 48 && b <= 57) { x = x * 10 + (b - 48); digits++; b = buf[++i]; }
  let scale = 0;
  if (b === ${DOT}) {
    b = buf[++i];
    while (b >= 48 && b <= 57) { x = x * 10 + (b - 48); scale++; b = buf[++i]; }
  }
  if (digits + scale === 0) {
    if (!(${emptyOk})) return FALLBACK;
  } else {
    if (digits + scale > ${MAX_DIGITS}) return FALLBACK;
    while ${blank("b")} b = buf[++i];
    if (scale > 0) x = x / POW10[scale];
    ${v} = negative ? -x : x;
    ${kind === Kind.Float ? `${v} = Math.fround(${v});` : ""}
  }
}`);
      } else {
        // up to the delimiter or the line's end (its "\r\n" or "\n")
        code.push(`{
  let b = buf[i];
  while (b !== ${delim} && b !== ${NEWLINE}) b = buf[++i];
  ${
    kind === Kind.Skip
      ? ""
      : `const fieldEnd = b === ${NEWLINE} && i > fieldStart && buf[i - 1] === ${CR} ? i - 1 : i;
  if (!(fieldEnd === fieldStart && ${nullable})) {
    ${v} = chunk.text(fieldStart, fieldEnd);
    ${kind === Kind.Text ? `${v} = conversions[${c}](${v}); if (${v} instanceof BadField) return FALLBACK;` : ""}
  }`
  }
}`);
      }
      // i is at the delimiter or the line's end ("\r\n" or "\n")
      if (c < n - 1) code.push(`if (buf[i] !== ${delim}) return FALLBACK;`, "i++;");
      else
        code.push(`{
  const b = buf[i];
  if (b === ${delim}) {
    ${this.extraColumnsAllowed ? "i = self.skipRest(buf, i); if (i < 0) return FALLBACK;" : "return FALLBACK;"}
  } else if (b === ${CR}) {
    if (buf[i + 1] !== ${NEWLINE}) return FALLBACK;
    i++;
  } else if (b !== ${NEWLINE}) return FALLBACK;
}`);
    }
    code.push("self.next = i + 1;");
    const names = this.rowFieldNames;
    code.push(names === undefined ? `return [${out.join(", ")}];` : `return { ${names.map((name, k) => `${JSON.stringify(name)}: ${out[k]}`).join(", ")} };`);
    const factory = new Function("FALLBACK", "BadField", "POW10", "conversions", `"use strict"; return function parseLine(buf, start, chunk, self) {\n${code.join("\n")}\n};`);
    return factory(FALLBACK, BadField, POW10, this.conversions);
  }

  /** From a delimiter after the last required column to the line's "\n"; -1 when a quote there needs the text path. */
  skipRest(buf: Uint8Array, i: number): number {
    const quote = this.quote;
    let b = buf[i]!;
    while (b !== NEWLINE) {
      if (b === quote) return -1;
      b = buf[++i]!;
    }
    return i;
  }
}
