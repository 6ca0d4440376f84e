/** The field types a CSV column can be read as, and the text-to-value conversion of each. */
import { InvalidProgramError } from "../core/errors.ts";

/** One column's type, as the API builds it from Types: a kind name and whether empty text means null. */
export interface CsvFieldParser {
  /** "STRING", "INT", "LONG", "DOUBLE", "FLOAT", "BOOLEAN", "BIGINT" or "INSTANT". */
  readonly name: string;
  readonly nullable: boolean;
}

/** Returned by a conversion instead of a value: the text is not of the kind; `detail` says why. */
export class BadField {
  constructor(readonly detail: string) {}
}

/** Converts the text of one field; returns a BadField when it does not parse. */
export type FieldConversion = (text: string) => unknown;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:NaN|Infinity)$/;
const RADIX_PREFIX = /0[xXoObB]/;
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/;
const TRUE_TEXT = new Set(["true", "1"]);
const FALSE_TEXT = new Set(["false", "0"]);

const EMPTY = new BadField(" (empty; declare the field nullable to read empty text as null)");
const MALFORMED = new BadField("");
const INT_RANGE = new BadField(` (out of range ${INT_MIN}..${INT_MAX})`);
const LONG_RANGE = new BadField(" (beyond ±2^53-1, the range a LONG holds exactly; read it as BIGINT)");

/** A decimal integer with optional sign and surrounding spaces, exact up to 2^53; NaN if malformed. */
function scanInteger(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  let i = start;
  const sign = text.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  if (i === end) return NaN;
  if (end - i > 15) return INTEGER_TEXT.test(text.slice(start, end)) ? Number(text.slice(start, end)) : NaN;
  let value = 0;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return sign === 45 ? -value : value;
}

function parseInt32(text: string): unknown {
  const n = scanInteger(text);
  if (n !== n) return text.trim() === "" ? EMPTY : MALFORMED;
  return n < INT_MIN || n > INT_MAX ? INT_RANGE : n;
}

function parseLong(text: string): unknown {
  const n = scanInteger(text);
  if (n !== n) return text.trim() === "" ? EMPTY : MALFORMED;
  return Number.isSafeInteger(n) ? n : LONG_RANGE;
}

function parseBigInt(text: string): unknown {
  const t = text.trim();
  if (!INTEGER_TEXT.test(t)) return t === "" ? EMPTY : MALFORMED;
  return BigInt(t.startsWith("+") ? t.slice(1) : t);
}

function parseDouble(text: string): unknown {
  // Number() is the fast path; it also takes "", hex, octal, binary and "_"-free forms Java does not, so check those.
  const n = Number(text);
  if (n === n && n !== 0) {
    const last = text.charCodeAt(text.length - 1);
    if (((last >= 48 && last <= 57) || last === 46 || last === 121 || last <= 32) && !RADIX_PREFIX.test(text)) return n;
  }
  const t = text.trim();
  return DECIMAL_TEXT.test(t) ? Number(t) : t === "" ? EMPTY : MALFORMED;
}

function parseFloat32(text: string): unknown {
  const v = parseDouble(text);
  return typeof v === "number" ? Math.fround(v) : v;
}

function parseBoolean(text: string): unknown {
  const t = text.trim().toLowerCase();
  return TRUE_TEXT.has(t) ? true : FALSE_TEXT.has(t) ? false : t === "" ? EMPTY : MALFORMED;
}

/** Epoch milliseconds, or an ISO-8601 date-time ("2024-01-31", "2024-01-31 12:00:00.5"); no zone means UTC. */
function parseInstant(text: string): unknown {
  const t = text.trim();
  if (INTEGER_TEXT.test(t)) return parseLong(t);
  const m = ISO_INSTANT.exec(t);
  if (m === null) return t === "" ? EMPTY : MALFORMED;
  const ms = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${m[3] ?? "Z"}`);
  return Number.isNaN(ms) ? MALFORMED : ms;
}

function parseString(text: string): unknown {
  return text;
}

const CONVERSIONS: Record<string, FieldConversion> = {
  STRING: parseString,
  INT: parseInt32,
  LONG: parseLong,
  DOUBLE: parseDouble,
  FLOAT: parseFloat32,
  BOOLEAN: parseBoolean,
  BIGINT: parseBigInt,
  INSTANT: parseInstant,
};

const ALIASES: Record<string, string> = { INTEGER: "INT", STR: "STRING", BIGINTEGER: "BIGINT", TIMESTAMP: "INSTANT" };

/** The kinds CsvSource reads, for error messages. */
export const CSV_FIELD_KINDS: readonly string[] = Object.keys(CONVERSIONS);

function canonicalKind(kind: string): string | undefined {
  const upper = kind.toUpperCase();
  const name = ALIASES[upper] ?? upper;
  return name in CONVERSIONS ? name : undefined;
}

/** The parser for a column of `kind` (case-insensitive; INTEGER means INT). */
export function csvFieldParserFor(kind: string, nullable: boolean): CsvFieldParser {
  const name = canonicalKind(kind);
  if (name === undefined) {
    throw new InvalidProgramError(`CSV fields cannot be read as ${kind}; supported types are ${CSV_FIELD_KINDS.join(", ")}`);
  }
  return { name, nullable };
}

/** The conversion for a parser; throws InvalidProgramError for an unknown kind. */
export function fieldConversion(parser: CsvFieldParser): FieldConversion {
  return CONVERSIONS[csvFieldParserFor(parser.name, parser.nullable).name]!;
}

/** "an INT", "a LONG": the kind with its article, for messages. */
export function kindWithArticle(kind: string): string {
  const name = canonicalKind(kind) ?? kind;
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
}
