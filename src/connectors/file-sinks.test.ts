/** TextFileSink layout (file at p=1, directory 1..p above), write modes, buffering; csvFormatter quoting. */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import { NO_TIMESTAMP } from "../core/stream-element.ts";
import { csvFormatter, TextFileSink, type LineFormat, type WriteMode } from "./file-sinks.ts";

const root = mkdtempSync(join(tmpdir(), "flinkts-sink-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `out-${n++}`);

/** Runs p sink writers, subtask i writing records i, i + p, ... */
function writeAll<T>(path: string, records: T[], p: number, format?: LineFormat<T>, mode?: WriteMode): void {
  const sinks = Array.from({ length: p }, () => new TextFileSink<T>(path, format, mode));
  sinks.forEach((s, i) => s.open(i, p));
  records.forEach((r, k) => sinks[k % p]!.write(r, NO_TIMESTAMP));
  for (const s of sinks) {
    s.finish();
    s.close();
  }
}

describe("TextFileSink", () => {
  test("parallelism 1 writes the single file path", () => {
    const path = fresh();
    writeAll(path, ["a", "b", 3], 1);
    expect(readFileSync(path, "utf8")).toBe("a\nb\n3\n");
  });

  for (const p of [2, 3]) {
    test(`parallelism ${p} writes a directory of files 1..${p}`, () => {
      const path = fresh();
      const records = Array.from({ length: 10 }, (_, i) => i);
      writeAll(path, records, p);
      expect(readdirSync(path).sort()).toEqual(Array.from({ length: p }, (_, i) => String(i + 1)));
      for (let i = 0; i < p; i++) {
        const expected = records.filter((r) => r % p === i).map((r) => `${r}\n`).join("");
        expect(readFileSync(join(path, String(i + 1)), "utf8")).toBe(expected);
      }
    });
  }

  test("more than the 64 K buffer, with non-ASCII text", () => {
    const path = fresh();
    const records = Array.from({ length: 20_000 }, (_, i) => `zeile ${i} – ü`);
    writeAll(path, records, 1);
    expect(readFileSync(path, "utf8")).toBe(records.map((r) => `${r}\n`).join(""));
  });

  const existing: [string, (path: string) => void, number, string][] = [
    ["a file at p=1", (p) => writeFileSync(p, "old"), 1, "already exists"],
    ["a directory at p=1", (p) => mkdirSync(p), 1, "already exists"],
    ["a file at p=2", (p) => writeFileSync(p, "old"), 2, "exists and is not a directory"],
    ["this subtask's file at p=2", (p) => (mkdirSync(p), writeFileSync(join(p, "2"), "old")), 2, "2 already exists"],
    ["a stale file 3 at p=2", (p) => (mkdirSync(p), writeFileSync(join(p, "3"), "old")), 2, "already holds 3"],
  ];
  for (const [name, prepare, p, message] of existing) {
    test(`NO_OVERWRITE with ${name}: UserError naming the path, at open`, () => {
      const path = fresh();
      prepare(path);
      let error: unknown;
      try {
        writeAll(path, ["x"], p);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toStartWith(`output `);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain(message);
    });
    test(`OVERWRITE with ${name}: replaced`, () => {
      const path = fresh();
      prepare(path);
      writeAll(path, ["x", "y"], p, undefined, "OVERWRITE");
      if (p === 1) expect(readFileSync(path, "utf8")).toBe("x\ny\n");
      else expect(readdirSync(path).sort()).toEqual(["1", "2"]);
    });
  }

  test("an empty existing directory is fine at p=2", () => {
    const path = fresh();
    mkdirSync(path);
    writeAll(path, [1, 2, 3], 2);
    expect(readFileSync(join(path, "1"), "utf8")).toBe("1\n3\n");
  });

  test("a custom format and describe", () => {
    const path = fresh();
    writeAll(path, [{ k: "a" }], 1, (v) => `<${v.k}>`);
    expect(readFileSync(path, "utf8")).toBe("<a>\n");
    expect(new TextFileSink(path).describe()).toBe(`TextFileSink ${path}`);
    expect(existsSync(path)).toBe(true);
  });
});

describe("csvFormatter", () => {
  const cases: [unknown, string, string, string][] = [
    [["a", 1, true], "\n", ",", "a,1,true"],
    [{ name: "x", n: 2.5 }, "\n", ",", "x,2.5"],
    [["a,b", 'say "hi"', "two\nlines"], "\n", ",", '"a,b","say ""hi""","two\nlines"'],
    [[null, undefined, 0, 10n], "\n", ",", ",,0,10"],
    [["a|b", "c,d"], "\n", "|", '"a|b"|c,d'],
    [["x;y", "z"], ";", ",", '"x;y",z'],
    [[new Date(0), [1, 2]], "\n", ",", '1970-01-01T00:00:00.000Z,"[1,2]"'],
    ["plain", "\n", ",", "plain"],
  ];
  for (const [record, rowDelim, fieldDelim, expected] of cases) {
    test(`${JSON.stringify(record, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))} with ${JSON.stringify(fieldDelim)}`, () => {
      expect(csvFormatter(rowDelim, fieldDelim)(record)).toBe(expected);
    });
  }

  test("TextFileSink ends CSV lines with the row delimiter", () => {
    const path = fresh();
    writeAll(path, [[1, "a"], [2, "b"]], 1, csvFormatter("\r\n", ";"));
    expect(readFileSync(path, "utf8")).toBe("1;a\r\n2;b\r\n");
  });
});
