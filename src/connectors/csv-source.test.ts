/** CsvSource, its tokenizer and field parsers: quoting, nulls, headers, comments, and exact error messages. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidProgramError, UserError } from "../core/errors.ts";
import { CsvSyntaxIssue, splitCsvLine, type CsvFormat } from "./csv.ts";
import { BadField, csvFieldParserFor, fieldConversion, type CsvFieldParser } from "./csv-field-parsers.ts";
import { CsvSource } from "./csv-source.ts";
import { canonical, runSubtasks, SplitCounter, sourceConformance } from "./source-test-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ORDERS = join(import.meta.dir, "../../fixtures/orders.csv");

function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const f = csvFieldParserFor;
const orderTypes: CsvFieldParser[] = [f("INT", false), f("STRING", false), f("STRING", false), f("INT", true), f("DOUBLE", false), f("BOOLEAN", true)];
const orderRows = [
  [1, "alice", "Widget, large", 2, 19.99, true],
  [2, "bob", "Gadget", 1, 5.5, false],
  [3, "carol", 'The "Best" Gizmo', 10, 2.25, true],
  [4, "dave", "Sprocket", null, 3.0, null],
  [5, "erin", "Doohickey", 7, 120, true],
];

async function readAll(path: string, types: CsvFieldParser[], format: CsvFormat, p: number, names?: string[]): Promise<unknown[]> {
  return (await runSubtasks(() => new CsvSource(path, types, format, names), p, 3)).flat();
}

describe("splitCsvLine", () => {
  const cases: [string, string, string | null, string[] | string][] = [
    ["a,b,c", ",", '"', ["a", "b", "c"]],
    ["", ",", '"', [""]],
    ["a,,c,", ",", '"', ["a", "", "c", ""]],
    ['"a,b",c', ",", '"', ["a,b", "c"]],
    ['x,"say ""hi""",""', ",", '"', ["x", 'say "hi"', ""]],
    ['a"b,c', ",", '"', ['a"b', "c"]],
    ['"a,b",c', ",", null, ['"a', 'b"', "c"]],
    ["a::b::'c::d'", "::", "'", ["a", "b", "c::d"]],
    ['"open,b', ",", '"', "field 0 has no closing quote"],
    ['a,"b"x,c', ",", '"', "field 1 has text after its closing quote"],
  ];
  for (const [line, delim, quote, expected] of cases) {
    test(`${JSON.stringify(line)} with ${JSON.stringify(delim)} ${JSON.stringify(quote)}`, () => {
      const got = splitCsvLine(line, delim, quote);
      if (typeof expected === "string") expect((got as CsvSyntaxIssue).reason).toBe(expected);
      else expect(got).toEqual(expected);
    });
  }
});

describe("field parsers", () => {
  const cases: [string, string, unknown][] = [
    ["INT", "42", 42], ["INT", "-2147483648", -2147483648], ["INT", " +7 ", 7], ["INT", "2147483648", "bad"], ["INT", "1.5", "bad"], ["INT", "", "bad"],
    ["LONG", "9007199254740991", 9007199254740991], ["LONG", "9007199254740993", "bad"], ["LONG", "-1234567890123456", -1234567890123456], ["INT", "+", "bad"], ["INT", "- 5", "bad"],
    ["BIGINT", "123456789012345678901234567890", 123456789012345678901234567890n], ["BIGINT", "+5", 5n],
    ["DOUBLE", "1e3", 1000], ["DOUBLE", "-.5", -0.5], ["DOUBLE", "NaN", NaN], ["DOUBLE", "1,5", "bad"], ["DOUBLE", "0x10", "bad"], ["DOUBLE", " 2.5 ", 2.5], ["DOUBLE", "0", 0], ["DOUBLE", "-Infinity", -Infinity], ["FLOAT", "0.1", Math.fround(0.1)],
    ["BOOLEAN", "TRUE", true], ["BOOLEAN", "0", false], ["BOOLEAN", "yes", "bad"],
    ["INSTANT", "1700000000000", 1700000000000], ["INSTANT", "2024-01-31", Date.UTC(2024, 0, 31)],
    ["INSTANT", "2024-01-31 12:30:00.5", Date.UTC(2024, 0, 31, 12, 30, 0, 500)], ["INSTANT", "2024-01-31T12:30:00+01:00", Date.UTC(2024, 0, 31, 11, 30)],
    ["INSTANT", "yesterday", "bad"], ["STRING", "", ""], ["integer", "3", 3],
  ];
  for (const [kind, text, expected] of cases) {
    test(`${kind} ${JSON.stringify(text)}`, () => {
      const got = fieldConversion(f(kind, false))(text);
      if (expected === "bad") expect(got).toBeInstanceOf(BadField);
      else expect(got).toEqual(expected);
    });
  }
  test("an unknown kind is an InvalidProgramError listing the supported ones", () => {
    expect(() => f("DECIMAL", false)).toThrow(InvalidProgramError);
    expect(() => f("DECIMAL", false)).toThrow("supported types are STRING, INT");
  });
});

sourceConformance("CsvSource", () => new CsvSource(ORDERS, orderTypes, { ignoreFirstLine: true }), orderRows, { ordered: true, parallelisms: [1, 2, 3, 6] });

describe("CsvSource", () => {
  for (const p of [1, 2, 3]) {
    test(`orders fixture at p=${p}: header skipped, quotes, nulls for empty nullable fields`, async () => {
      const got = await readAll(ORDERS, orderTypes, { ignoreFirstLine: true }, p);
      expect(canonical(got)).toEqual(canonical(orderRows));
    });
  }

  test("rows keyed by field names, columns picked by includedFields", async () => {
    const got = await readAll(ORDERS, [f("STRING", false), f("DOUBLE", false)], { ignoreFirstLine: true, includedFields: [false, true, false, false, true] }, 2, ["customer", "price"]);
    expect(canonical(got)).toEqual(canonical(orderRows.map((r) => ({ customer: r[1], price: r[4] }))));
  });

  test("comments, empty lines, CRLF, a custom delimiter and no quoting", async () => {
    const path = write("pipes.csv", '# a comment\r\n1|"x"\r\n\r\n2|y z\r\n#another\r\n3|\r\n');
    const got = await readAll(path, [f("LONG", false), f("STRING", true)], { fieldDelimiter: "|", ignoreComments: "#", quoteCharacter: null }, 2);
    expect(canonical(got)).toEqual(canonical([[1, '"x"'], [2, "y z"], [3, null]]));
  });

  test("the header of every file of a directory is skipped", async () => {
    const sub = join(dir, "parts");
    mkdirSync(sub);
    for (let i = 0; i < 3; i++) writeFileSync(join(sub, `p${i}.csv`), `id,name\n${i},n${i}\n${i + 10},m${i}\n`);
    const got = await readAll(sub, [f("INT", false), f("STRING", false)], { ignoreFirstLine: true }, 2);
    expect(canonical(got)).toEqual(canonical([[0, "n0"], [10, "m0"], [1, "n1"], [11, "m1"], [2, "n2"], [12, "m2"]]));
  });

  const good = Array.from({ length: 999 }, (_, i) => `${i},item ${i},${i * 0.5}`);
  const errorCases: [string, string, string][] = [
    ["not an INT", "abc,x,1.0", "field 0 'abc' is not an INT"],
    ["INT overflow", "99999999999,x,1.0", "field 0 '99999999999' is not an INT (out of range -2147483648..2147483647)"],
    ["bad DOUBLE", "5,x,1.0.0", "field 2 '1.0.0' is not a DOUBLE"],
    ["too few fields", "5,x", "expected 3 fields, found 2: '5,x'"],
    ["too many fields", "5,x,1,2", "expected 3 fields, found 4: '5,x,1,2'"],
    ["unterminated quote", '5,"x,1', "field 1 has no closing quote: '5,\"x,1'"],
    ["empty non-nullable INT", ",x,1", "field 0 '' is not an INT (empty; declare the field nullable"],
  ];
  const types3 = [f("INT", false), f("STRING", false), f("DOUBLE", false)];
  for (const [name, bad, message] of errorCases) {
    for (const p of [1, 2, 3]) {
      test(`${name} at p=${p}: UserError with file and exact line number`, async () => {
        const lines = [...good];
        lines.splice(736, 0, bad);
        const path = write(`bad-${name.replace(/\W/g, "-")}.csv`, `id,name,score\n${lines.join("\n")}\n`);
        await expect(readAll(path, types3, { ignoreFirstLine: true }, p)).rejects.toThrow(UserError);
        await expect(readAll(path, types3, { ignoreFirstLine: true }, p)).rejects.toThrow(`${path}:738: ${message}`);
      });
    }
  }

  test("the message of the brief: orders.csv:17: field 2 'abc' is not an INT", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i},c${i},${i === 16 ? "abc" : i}`);
    const path = write("orders.csv", `${lines.join("\n")}\n`);
    for (const p of [1, 2]) {
      await expect(readAll(path, [f("INT", false), f("STRING", false), f("INT", false)], {}, p)).rejects.toThrow(`orders.csv:17: field 2 'abc' is not an INT`);
    }
  });

  test("lenient: malformed lines are counted and dropped", async () => {
    const path = write("lenient.csv", "1,a\nx,b\n2\n3,c\n\"4,d\n");
    const source = new CsvSource(path, [f("INT", false), f("STRING", false)], { lenient: true });
    source.open(0, 1);
    const got: unknown[] = [];
    while (source.emitNext({ collect: (v) => got.push(v), collectWithTimestamp() {}, emitWatermark() {}, markIdle() {} }, 2));
    source.close();
    expect(got).toEqual([[1, "a"], [3, "c"]]);
    expect(source.skippedLines).toBe(3);
  });

  test("misuse is caught at construction; describe lists the types", () => {
    expect(() => new CsvSource(ORDERS, [f("INT", false)], { includedFields: [true, true] })).toThrow("includedFields selects 2 columns but 1 field types");
    expect(() => new CsvSource(ORDERS, [f("INT", false)], {}, ["a", "b"])).toThrow(InvalidProgramError);
    expect(() => new CsvSource(ORDERS, [f("INT", false)], { quoteCharacter: "''" })).toThrow("quote character");
    expect(new CsvSource(ORDERS, [f("INT", false), f("STRING", true)]).describe()).toBe(`CsvFile ${ORDERS} (INT, STRING)`);
  });

  test("a missing file is a UserError naming the path, at open", () => {
    const path = join(dir, "absent.csv");
    expect(() => new CsvSource(path, [f("INT", false)]).open(0, 1)).toThrow(path);
  });
});

describe("CsvSource with splits assigned on demand", () => {
  const lines = Array.from({ length: 200_000 }, (_, i) => `${i},${(i * 7) % 1000},${(i % 97) / 4}`);
  const types = [f("INT", false), f("INT", false), f("DOUBLE", false)];

  test("p = 2 reads every record once, the header skipped, as the static split does", async () => {
    const path = write("on-demand.csv", ["okey,qty,price", ...lines].join("\n"));
    const splits = new SplitCounter();
    const dynamic = (await runSubtasks(() => new CsvSource(path, types, { ignoreFirstLine: true }), 2, 1000, 1_000_000, { splits })).flat();
    expect(splits.claimed).toBeGreaterThan(4); // several splits, claimed one by one
    expect(dynamic.length).toBe(lines.length);
    expect(canonical(dynamic)).toEqual(canonical((await runSubtasks(() => new CsvSource(path, types, { ignoreFirstLine: true }), 2, 1000)).flat()));
  });

  test("a bad line deep in a later split is reported with its line number in the file", async () => {
    const bad = lines.slice();
    bad[150_000] = "150000,x,1.5";
    const path = write("on-demand-bad.csv", bad.join("\n"));
    const run = runSubtasks(() => new CsvSource(path, types), 2, 1000, 1_000_000, { splits: new SplitCounter() });
    await expect(run).rejects.toThrow(`${path}:150001: field 1 'x' is not an INT`);
  });
});
