/** Configuration: sizes, durations, the flat YAML file and typed getters with actionable errors. */
import { describe, expect, test } from "bun:test";
import { Configuration, parseDuration, parseFlatYaml, parseMemorySize } from "./config.ts";
import { ConfigurationError } from "./errors.ts";

describe("parseMemorySize", () => {
  const ok: [string, number][] = [
    ["0", 0],
    ["32768", 32768],
    ["100b", 100],
    ["1k", 1024],
    ["64kb", 64 * 1024],
    ["2KiB", 2048],
    ["64mb", 64 << 20],
    ["64 MB", 64 << 20],
    ["1m", 1 << 20],
    ["  1 gb  ", 1 << 30],
    ["3GiB", 3 * 2 ** 30],
    ["1.5kb", 1536],
    ["0.5m", 512 * 1024],
    ["2t", 2 * 2 ** 40],
    ["1tb", 2 ** 40],
  ];
  for (const [text, bytes] of ok) test(`'${text}' = ${bytes} bytes`, () => expect(parseMemorySize(text)).toBe(bytes));

  const bad = ["", "mb", "-1mb", "12 parsecs", "1e3", "1,5mb", "64 m b"];
  for (const text of bad)
    test(`'${text}' is refused with the key and an example`, () => {
      expect(() => parseMemorySize(text, "taskmanager.memory.managed.size")).toThrow(ConfigurationError);
      expect(() => parseMemorySize(text, "taskmanager.memory.managed.size")).toThrow(
        `taskmanager.memory.managed.size: '${text}' is not a memory size (e.g. 64mb, 1gb)`,
      );
    });
});

describe("parseDuration", () => {
  const ok: [string, number][] = [
    ["100", 100],
    ["0", 0],
    ["100ms", 100],
    ["100 ms", 100],
    ["2s", 2000],
    ["2 sec", 2000],
    ["1.5s", 1500],
    ["1 min", 60_000],
    ["3m", 180_000],
    ["2h", 7_200_000],
    ["-1", -1],
    [" 5 S ", 5000],
  ];
  for (const [text, ms] of ok) test(`'${text}' = ${ms} ms`, () => expect(parseDuration(text)).toBe(ms));

  const bad = ["", "s", "soon", "1 fortnight", "1s 500ms", "1 d"];
  for (const text of bad)
    test(`'${text}' is refused`, () => {
      expect(() => parseDuration(text, "execution.buffer-timeout")).toThrow(ConfigurationError);
      expect(() => parseDuration(text, "execution.buffer-timeout")).toThrow(`execution.buffer-timeout: '${text}' is not a duration (e.g. 100ms, 2s)`);
    });
});

describe("parseFlatYaml", () => {
  const ok: { name: string; text: string; expected: Record<string, string> }[] = [
    { name: "key: value lines", text: "a: 1\nb.c: two", expected: { a: "1", "b.c": "two" } },
    { name: "blank lines and CRLF", text: "\r\na: 1\r\n\r\nb: 2\r\n", expected: { a: "1", b: "2" } },
    { name: "whole-line and trailing comments", text: "# header\n  # indented\na: 1 # one\nb: 2#not a comment", expected: { a: "1", b: "2#not a comment" } },
    { name: "double and single quotes are stripped", text: `a: "x y"\nb: 'z'\nc: "unbalanced'`, expected: { a: "x y", b: "z", c: `"unbalanced'` } },
    { name: "a comment after a quoted value", text: `a: "x" # note\nb: 'y'  # note`, expected: { a: "x", b: "y" } },
    { name: "' #' inside quotes is not a comment", text: `a: "x # y"\nb: 'p #q' # note\nc: "#fff"`, expected: { a: "x # y", b: "p #q", c: "#fff" } },
    { name: "a colon in the value stays", text: "rest.address: http://host:8081", expected: { "rest.address": "http://host:8081" } },
    { name: "an empty value", text: "a:", expected: { a: "" } },
    { name: "a later line wins", text: "a: 1\na: 2", expected: { a: "2" } },
    { name: "spaces around key and value", text: "  parallelism.default   :   4  ", expected: { "parallelism.default": "4" } },
  ];
  for (const { name, text, expected } of ok)
    test(name, () => {
      expect(parseFlatYaml(text, "flinkts.yaml").toObject()).toEqual(expected);
    });

  const bad: { text: string; line: number; shown: string }[] = [
    { text: "a: 1\njust words\n", line: 2, shown: "just words" },
    { text: "# c\n\n: no key", line: 3, shown: ": no key" },
    { text: "  - item  ", line: 1, shown: "- item" },
  ];
  for (const { text, line, shown } of bad)
    test(`a bad line is reported as file:${line}`, () => {
      expect(() => parseFlatYaml(text, "conf/flinkts.yaml")).toThrow(ConfigurationError);
      expect(() => parseFlatYaml(text, "conf/flinkts.yaml")).toThrow(`conf/flinkts.yaml:${line}: expected 'key: value', got '${shown}'`);
    });
});

describe("Configuration", () => {
  test("built from a record, entries or set(); getString with and without fallback", () => {
    const c = new Configuration({ a: "1" }).set("b", 2).set("c", true);
    expect(c.getString("a")).toBe("1");
    expect(c.getString("b")).toBe("2");
    expect(c.getString("c")).toBe("true");
    expect(c.getString("missing")).toBeUndefined();
    expect(c.getString("missing", "fb")).toBe("fb");
    expect(new Configuration([["x", "y"]]).getString("x")).toBe("y");
    expect(new Configuration(new Map([["m", "n"]])).entries()).toEqual([["m", "n"]]);
    expect(c.has("a")).toBe(true);
    expect(c.has("z")).toBe(false);
  });

  const ints: [string | undefined, number | string][] = [
    [undefined, 7],
    ["4", 4],
    ["-3", -3],
    [" 12 ", 12],
    ["1.5", "configuration k: '1.5' is not an integer"],
    ["four", "configuration k: 'four' is not an integer"],
    ["", "configuration k: '' is not an integer"],
  ];
  for (const [value, expected] of ints)
    test(`getInt of ${JSON.stringify(value)}`, () => {
      const c = new Configuration();
      if (value !== undefined) c.set("k", value);
      if (typeof expected === "number") expect(c.getInt("k", 7)).toBe(expected);
      else expect(() => c.getInt("k", 7)).toThrow(new ConfigurationError(expected));
    });

  test("getDurationMs and getBytes parse, fall back, and name the key in errors", () => {
    const c = new Configuration({ "execution.buffer-timeout": "2s", "taskmanager.memory.managed.size": "64mb", bad: "lots" });
    expect(c.getDurationMs("execution.buffer-timeout", 100)).toBe(2000);
    expect(c.getDurationMs("absent", 100)).toBe(100);
    expect(c.getBytes("taskmanager.memory.managed.size", 1)).toBe(64 << 20);
    expect(c.getBytes("absent", 1)).toBe(1);
    expect(() => c.getDurationMs("bad", 1)).toThrow("bad: 'lots' is not a duration");
    expect(() => c.getBytes("bad", 1)).toThrow("bad: 'lots' is not a memory size");
  });

  test("merge: the other's values win, neither input changes", () => {
    const a = new Configuration({ x: "1", y: "2" });
    const b = new Configuration({ y: "3", z: "4" });
    const m = a.merge(b);
    expect(m.toObject()).toEqual({ x: "1", y: "3", z: "4" });
    expect(a.toObject()).toEqual({ x: "1", y: "2" });
    expect(b.toObject()).toEqual({ y: "3", z: "4" });
  });
});
