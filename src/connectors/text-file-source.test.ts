/** TextFileSource and LineSplitReader against a naive split, at several parallelisms and buffer sizes. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import { assignFileSegments, fileSplits, listInputFiles } from "./file-splits.ts";
import { LineSplitReader } from "./line-split-reader.ts";
import { bindSplits, canonical, CollectingOutput, runSubtasks, SplitCounter, sourceConformance } from "./source-test-harness.ts";
import { TextFileSource } from "./text-file-source.ts";

const dir = mkdtempSync(join(tmpdir(), "flinkts-text-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
}

function randomLines(seed: number, count: number): string[] {
  const rnd = seeded(seed);
  const alphabet = ["a", "b", "c", " ", "x", "é", "ß", "日本", "😀", ",", "\t"];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = rnd() < 0.15 ? 0 : Math.floor(rnd() * 40);
    let s = "";
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    lines.push(s);
  }
  return lines;
}

/** The reference: every line of every file, in order, numbered from 1 within its file. */
function naiveLines(path: string): { path: string; line: number; text: string }[] {
  const out: { path: string; line: number; text: string }[] = [];
  for (const f of listInputFiles(path)) {
    const parts = readFileSync(f.path, "utf8").split("\n");
    if (parts[parts.length - 1] === "") parts.pop();
    parts.forEach((t, i) => out.push({ path: f.path, line: i + 1, text: t.endsWith("\r") ? t.slice(0, -1) : t }));
  }
  return out;
}

function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const ascii = randomLines(1, 300).map((l) => l.replace(/[^\x00-\x7f]/g, "q"));
const mixed = randomLines(2, 300);
const longLine = "L".repeat(3000) + "é".repeat(500);
const dirPath = join(dir, "many");
mkdirSync(dirPath);
for (let i = 0; i < 7; i++) writeFileSync(join(dirPath, `part-${i}`), randomLines(10 + i, i * 5).join("\n") + (i % 2 ? "\n" : ""));
writeFileSync(join(dirPath, ".hidden"), "never read\n");

const cases: [string, string][] = [
  ["ascii with trailing newline", write("ascii.txt", ascii.join("\n") + "\n")],
  ["ascii without trailing newline", write("ascii-nonl.txt", ascii.join("\n"))],
  ["non-ASCII", write("mixed.txt", mixed.join("\n") + "\n")],
  ["CRLF", write("crlf.txt", mixed.join("\r\n") + "\r\n")],
  ["CRLF, no final newline", write("crlf-nonl.txt", mixed.join("\r\n"))],
  ["empty lines only", write("empty-lines.txt", "\n\n\n\n")],
  ["empty file", write("empty.txt", "")],
  ["one line, no newline", write("single.txt", "only")],
  ["lines longer than the buffer", write("long.txt", [longLine, "", "short", longLine, longLine + "x"].join("\n"))],
  ["a line longer than 1 MiB", write("huge-line.txt", `first\n${"h".repeat(2_500_000)}\nlast\n`)],
  ["directory of files in name order", dirPath],
];

describe("LineSplitReader", () => {
  for (const [name, path] of cases) {
    for (const bufferSize of [8, 100, 1 << 20]) {
      test(`${name}, buffer ${bufferSize}: every line once, with its line number`, () => {
        const expected = naiveLines(path);
        for (const p of [1, 2, 3, 7]) {
          const got: { path: string; line: number; text: string }[] = [];
          for (let i = 0; i < p; i++) {
            const reader = new LineSplitReader(assignFileSegments(listInputFiles(path), i, p), bufferSize);
            for (let text = reader.nextLine(); text !== null; text = reader.nextLine()) {
              got.push({ path: reader.currentPath(), line: reader.currentLineNumber(), text });
            }
            reader.close();
          }
          expect(canonical(got)).toEqual(canonical(expected));
        }
      });
    }
  }
});

const WORDS = join(import.meta.dir, "../../fixtures/words.txt");
sourceConformance("TextFileSource", () => new TextFileSource(WORDS), naiveLines(WORDS).map((l) => l.text), { ordered: true, parallelisms: [1, 2, 3, 4] });

describe("TextFileSource", () => {
  for (const [name, path] of cases) {
    test(`${name}: union over subtasks at p=1,2,3 is every line once`, async () => {
      const expected = naiveLines(path).map((l) => l.text);
      for (const p of [1, 2, 3]) {
        const perSubtask = await runSubtasks(() => new TextFileSource(path), p);
        expect(canonical(perSubtask.flat())).toEqual(canonical(expected));
        if (p === 1) expect(perSubtask[0]).toEqual(expected);
      }
    });
  }

  test("a big file is shared among subtasks", async () => {
    const path = write("shared.txt", randomLines(3, 5000).join("\n"));
    const perSubtask = await runSubtasks(() => new TextFileSource(path), 3, 1000);
    for (const lines of perSubtask) expect(lines.length).toBeGreaterThan(1000);
  });

  test("a missing file is a UserError naming the path, at open", () => {
    const path = join(dir, "no-such-file.txt");
    const source = new TextFileSource(path);
    expect(() => source.open(0, 1)).toThrow(UserError);
    expect(() => source.open(0, 1)).toThrow(path);
  });

  test("cancel ends the source; describe names the path", async () => {
    const source = new TextFileSource(cases[0]![1]);
    source.open(0, 1);
    source.cancel();
    expect(source.emitNext({ collect() {}, collectWithTimestamp() {}, emitWatermark() {}, markIdle() {} }, 10)).toBe(false);
    source.close();
    expect(source.describe()).toBe(`TextFile ${cases[0]![1]}`);
  });

  test("the words fixture reads as prose lines", async () => {
    const [lines] = await runSubtasks(() => new TextFileSource(WORDS), 1);
    expect(lines!.length).toBe(14);
    expect(lines![0]).toBe("To be, or not to be, that is the question:");
  });
});

describe("splits assigned on demand (OperatorContext.nextInputSplit)", () => {
  const MIB = 1 << 20;

  test("fileSplits: every byte in exactly one split, none spanning files, about total / (24 × parallelism) but at least 1 MiB", () => {
    const files = [
      { path: "a", size: 10 * MIB + 3 },
      { path: "b", size: 0 },
      { path: "c", size: 100 },
      { path: "d", size: 3 * MIB },
    ];
    for (const p of [1, 2, 4]) {
      const splits = fileSplits(files, p);
      for (const f of files) {
        const own = splits.filter((s) => s.path === f.path);
        let at = 0;
        for (const s of own) {
          expect(s.start).toBe(at);
          expect(s.fileSize).toBe(f.size);
          at = s.end;
        }
        expect(at).toBe(f.size);
      }
      const size = Math.max(MIB, (13 * MIB + 103) / (24 * p));
      for (const s of splits.filter((x) => x.path !== "c")) expect(Math.abs(s.end - s.start - size)).toBeLessThan(size / 2);
    }
    expect(fileSplits(files, 1).filter((s) => s.path === "a").length).toBe(10); // 10 MiB in splits of 1 MiB (13/24 MiB is below the minimum)
    expect(fileSplits([{ path: "big", size: 240 * MIB }], 2).length).toBe(48);
  });

  const big = () => write("on-demand.txt", randomLines(17, 250_000).join("\n")); // ~9 MiB: 9 splits of 1 MiB

  test("every line once at p = 1, 2, 3, and the subtasks together claim every split", async () => {
    const path = big();
    const expected = naiveLines(path).map((l) => l.text);
    for (const p of [1, 2, 3]) {
      const splits = new SplitCounter();
      const perSubtask = await runSubtasks(() => new TextFileSource(path), p, 500, 1_000_000, { splits });
      expect(canonical(perSubtask.flat())).toEqual(canonical(expected));
      const n = fileSplits(listInputFiles(path), p).length;
      expect(n).toBeGreaterThan(1);
      expect(splits.claimed).toBe(n + p); // each subtask's last claim finds none left
    }
  });

  test("a subtask that reads faster reads more splits", async () => {
    const path = big();
    const splits = new SplitCounter();
    const [fast, slow] = [new TextFileSource(path), new TextFileSource(path)];
    const [fastOut, slowOut] = [new CollectingOutput<string>(), new CollectingOutput<string>()];
    for (const [i, s] of [fast, slow].entries()) {
      bindSplits(s, splits);
      s.open(i, 2);
    }
    let fastMore = true;
    let slowMore = true;
    while (fastMore || slowMore) {
      if (fastMore) fastMore = await fast.emitNext(fastOut, 2000);
      if (slowMore) slowMore = await slow.emitNext(slowOut, 20);
    }
    fast.close();
    slow.close();
    expect(canonical([...fastOut.values, ...slowOut.values])).toEqual(canonical(naiveLines(path).map((l) => l.text)));
    expect(fastOut.values.length).toBeGreaterThan(3 * slowOut.values.length);
  });
});
