/** CsvByteParser against the text path (splitCsvLine + field conversions): the same values, or FALLBACK, never a different answer. */
import { describe, expect, test } from "bun:test";
import { BadField, csvFieldParserFor, fieldConversion, type CsvFieldParser } from "./csv-field-parsers.ts";
import { CsvByteParser, FALLBACK } from "./csv-byte-parser.ts";
import { CsvSyntaxIssue, splitCsvLine } from "./csv.ts";
import { random } from "../runtime/operators/join/join-test-support.ts";

const f = csvFieldParserFor;

interface Schema {
  name: string;
  parsers: CsvFieldParser[];
  mask: boolean[] | null;
  delimiter: string;
  quote: string | null;
  names?: string[];
  /** Lines of this schema that must take the fast path. */
  plain: string[];
}

const SCHEMAS: Schema[] = [
  { name: "INT, INT, DOUBLE", parsers: [f("INT", false), f("INT", false), f("DOUBLE", false)], mask: null, delimiter: ",", quote: null, plain: ["1,2,3.5", "-0,+7,-0.0", " 12 , 3 ,  4.25 "] },
  { name: "nullable LONG, FLOAT, STRING; quotes", parsers: [f("LONG", true), f("FLOAT", true), f("STRING", true)], mask: null, delimiter: ",", quote: '"', plain: [",,", "5,1.5,x", "1,2,a\"b"] },
  { name: "STRING, BOOLEAN, INSTANT, BIGINT by tab", parsers: [f("STRING", false), f("BOOLEAN", true), f("INSTANT", false), f("BIGINT", false)], mask: null, delimiter: "\t", quote: null, plain: ["s\ttrue\t2024-01-31\t5", "\t\t0\t-12345678901234567890"] },
  { name: "mask 1011 as a row", parsers: [f("INT", false), f("DOUBLE", true), f("STRING", false)], mask: [true, false, true, true], delimiter: ";", quote: "'", names: ["a", "b", "c"], plain: ["1;x;2.5;s", "1;;;", "1;2;3;4;5;6"] },
  { name: "space delimiter", parsers: [f("INT", true), f("DOUBLE", false)], mask: null, delimiter: " ", quote: null, plain: ["1 2", "-5 -0.25", " 7.5", "3\t 4\t"] },
];

/** The text path's answer for a line and its end (the reader drops the "\n" and one "\r" before it): a record, or "error". */
function reference(s: Schema, lineWithEnd: string): unknown {
  const line = lineWithEnd.replace(/\r?\n$/, "");
  const fields = splitCsvLine(line, s.delimiter, s.quote);
  if (fields instanceof CsvSyntaxIssue) return "error";
  const columns = s.mask === null ? s.parsers.map((_, i) => i) : s.mask.flatMap((m, i) => (m ? [i] : []));
  const required = s.mask === null ? s.parsers.length : s.mask.length;
  if (s.mask === null ? fields.length !== required : fields.length < required) return "error";
  const values: unknown[] = [];
  for (let k = 0; k < columns.length; k++) {
    const text = fields[columns[k]!]!;
    let v: unknown = null;
    if (text.length > 0 || !s.parsers[k]!.nullable) {
      v = fieldConversion(s.parsers[k]!)(text);
      if (v instanceof BadField) return "error";
    }
    values.push(v);
  }
  return s.names === undefined ? values : Object.fromEntries(s.names.map((n, i) => [n, values[i]]));
}

function parse(s: Schema, line: string, eol: string): { value: unknown; next: number; length: number } {
  const parser = new CsvByteParser(s.parsers, s.parsers.map(fieldConversion), s.mask === null ? s.parsers.map((_, i) => i) : s.mask.flatMap((m, i) => (m ? [i] : [])), s.mask?.length ?? s.parsers.length, s.mask, s.delimiter, s.quote, s.names);
  const bytes = Buffer.from(`${line}${eol}tail\n`, "utf8");
  const chunk = { text: (a: number, b: number) => bytes.toString("utf8", a, b) };
  return { value: parser.parse(bytes, 0, chunk), next: parser.next, length: Buffer.byteLength(line + eol) };
}

/** Equal with Object.is on numbers, so -0 and 0 differ. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => same((a as any)[k], (b as any)[k]));
}

const TRICKY: string[] = [
  "1,2,3.5", "-0,+7,-0.0", " 12 , 3 ,  4.25 ", "2147483647,-2147483648,0.1", "2147483648,1,1", "1,2,1e5", "1,2,.5", "1,2,5.", "1,2,.",
  "1,2,", ",2,3", "1,,3", "1,2,3,4", "1,2", "", "1,2,NaN", "1,2,Infinity", "1,2,0x10", "1,2,123456789012345", "1,2,1234567890123456",
  "1,2,0.30000000000000004", "1,2,9007199254740993", "007,08,0009.900", "1,2,3.4.5", "1,2,--3", "1,2,+-3", "1,2, ", "1,2,\t7\t",
  '"1",2,3', '1,"2",3', '"a,b",1.5,x', "1,2.5,\"say \"\"hi\"\"\"", '1,2,"open', "x,1.5,y", "5,,", "5,,x", ",,", "a\tb\tc\td",
  "  \ttrue\t2024-01-31\t12345678901234567890", "s\t1\t1700000000000\t-5", "s\tmaybe\t0\t1", "s\t\t0\t1", "é,ü,ß", "1;;x;y", "1;'2';x;y", "1;2;x",
  "1;2;x;y;z", "1;2;x;y;'q", "1;2.5;naïve;1", "1 2", "1  2", "-5 -0.25", " 1 2", "1\r2,3", "1,2\r,3", "3,4,5\r",
];

/** Random lines from a small alphabet of field pieces, so odd combinations come up. */
function randomLines(seed: number, n: number): string[] {
  const rnd = random(seed);
  const pieces = ["1", "-", "+", ".", "0", "9", " ", "\t", ",", ",", ";", ";", '"', "'", "e", "x", "é", "\r", "12345", "7.25", "", "true", "2024-01-31"];
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]).join(""));
}

describe("CsvByteParser", () => {
  for (const s of SCHEMAS) {
    test(`${s.name}: agrees with the text path on tricky and random lines, with \\n and \\r\\n`, () => {
      let fast = 0;
      for (const line of s.plain) expect(parse(s, line, "\n").value).not.toBe(FALLBACK);
      for (const line of [...s.plain, ...TRICKY, ...randomLines(s.name.length, 3000)]) {
        for (const eol of ["\n", "\r\n"]) {
          const { value, next, length } = parse(s, line, eol);
          if (value === FALLBACK) continue;
          fast++;
          const expected = reference(s, line + eol);
          if (!same(value, expected)) throw new Error(`${s.name}: ${JSON.stringify(line + eol)} gave ${JSON.stringify(value)}, the text path ${JSON.stringify(expected)}`);
          expect(next).toBe(length);
        }
      }
      if (fast < 2 * s.plain.length + 4) throw new Error(`${s.name}: only ${fast} lines took the fast path`);
    });
  }

  test("plain numeric lines take the fast path and round like Number()", () => {
    const s = SCHEMAS[0]!;
    const rnd = random(3);
    for (let i = 0; i < 5000; i++) {
      const d = (rnd() * 10 ** Math.floor(rnd() * 10)).toFixed(Math.floor(rnd() * 6));
      const line = `${Math.floor(rnd() * 1e9) - 5e8},${Math.floor(rnd() * 100)},${rnd() < 0.5 ? "-" : ""}${d}`;
      const { value } = parse(s, line, "\n");
      expect(value).not.toBe(FALLBACK);
      expect(same(value, reference(s, `${line}\n`))).toBe(true);
    }
  });

  test("supports one ASCII delimiter that is not a line end, and ASCII quotes and comment prefixes", () => {
    expect(CsvByteParser.supports(",", '"', "#")).toBe(true);
    expect(CsvByteParser.supports("::", null, null)).toBe(false);
    expect(CsvByteParser.supports("\n", null, null)).toBe(false);
    expect(CsvByteParser.supports("§", null, null)).toBe(false);
    expect(CsvByteParser.supports(",", "«", null)).toBe(false);
    expect(CsvByteParser.supports(",", null, "//é")).toBe(false);
  });
});
