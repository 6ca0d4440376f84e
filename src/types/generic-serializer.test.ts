/** GenericSerializer: every supported kind round-trips exactly; cycles and functions are UserErrors. */
import { describe, expect, test } from "bun:test";
import { UserError } from "../core/errors.ts";
import { DataInputView } from "./data-input-view.ts";
import { DataOutputView } from "./data-output-view.ts";
import { GenericSerializer } from "./generic-serializer.ts";

function roundTrip(v: unknown): unknown {
  const s = new GenericSerializer();
  const out = new DataOutputView(2);
  s.serialize(v, out);
  s.serialize("sentinel", out);
  const input = new DataInputView(out.written());
  const back = s.deserialize(input);
  expect(s.deserialize(input)).toBe("sentinel");
  return back;
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

const deep: unknown[] = [];
let cursor = deep;
for (let i = 0; i < 100; i++) cursor.push((cursor = []));

const cases: [string, unknown][] = [
  ["undefined", undefined],
  ["null", null],
  ["true", true],
  ["false", false],
  ["small int", 5],
  ["negative int", -123456],
  ["int32 bounds", [2 ** 31 - 1, -(2 ** 31)]],
  ["beyond int32", [2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1]],
  ["float", 3.14159],
  ["-0", -0],
  ["NaN", NaN],
  ["infinities", [Infinity, -Infinity]],
  ["empty string", ""],
  ["non-ASCII string", "héllo 日本 😀"],
  ["bigint", [0n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 100n, -(2n ** 100n)]],
  ["Date", new Date(Date.UTC(2020, 5, 15, 12, 30))],
  ["Uint8Array", Uint8Array.of(1, 2, 250)],
  ["typed arrays", [Int8Array.of(-1, 2), Uint8ClampedArray.of(255), Int16Array.of(-300), Uint16Array.of(65535), Int32Array.of(-7), Uint32Array.of(4e9), Float32Array.of(1.5), Float64Array.of(-0.1), BigInt64Array.of(-1n), BigUint64Array.of(2n ** 64n - 1n)]],
  ["typed array view at an offset", new Int32Array(new ArrayBuffer(32), 8, 3).fill(9)],
  ["ArrayBuffer", Uint8Array.of(4, 5, 6).buffer],
  ["empty array", []],
  ["array", [1, "two", [3, [4]], null]],
  ["plain object", { a: 1, b: { c: [true, null] }, "": "empty key" }],
  ["__proto__ key", JSON.parse('{"__proto__": {"x": 1}, "y": 2}')],
  ["Map", new Map<unknown, unknown>([["a", 1], [2, { b: 3 }], [null, new Map()]])],
  ["Set", new Set([1, "1", [1]])],
  ["shared references (not cycles)", (() => { const s = { v: 1 }; return [s, s, { s }]; })()],
  ["deep nesting", deep],
];

describe("GenericSerializer round trip", () => {
  for (const [name, value] of cases) {
    test(name, () => expect(roundTrip(value)).toStrictEqual(value));
  }

  test("-0 and NaN are exact", () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
  });

  test("an invalid Date stays an invalid Date", () => {
    // (bun's toStrictEqual does not treat two invalid Dates as equal)
    const back = roundTrip(new Date(NaN));
    expect(back).toBeInstanceOf(Date);
    expect(Number.isNaN((back as Date).getTime())).toBe(true);
  });

  test("a class instance comes back as a plain object of its fields", () => {
    const back = roundTrip(new Point(1, 2));
    expect(back).toStrictEqual({ x: 1, y: 2 });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  test("ints are compact", () => {
    const out = new DataOutputView();
    new GenericSerializer().serialize(5, out);
    expect(out.pos).toBe(2);
  });
});

describe("GenericSerializer errors", () => {
  const selfRef: Record<string, unknown> = { a: 1 };
  selfRef.self = selfRef;
  const loopArray: unknown[] = [1];
  loopArray.push([loopArray]);
  const loopMap = new Map<string, unknown>();
  loopMap.set("m", { back: loopMap });

  const errors: [string, unknown, string][] = [
    ["object cycle", selfRef, "GENERIC value contains a cycle"],
    ["array cycle", loopArray, "GENERIC value contains a cycle"],
    ["map cycle", loopMap, "GENERIC value contains a cycle"],
    ["function", { f: () => 1 }, "GENERIC cannot serialize a function"],
    ["symbol", Symbol("s"), "GENERIC cannot serialize a symbol"],
  ];
  for (const [name, value, message] of errors) {
    test(name, () => {
      const s = new GenericSerializer();
      expect(() => s.serialize(value, new DataOutputView())).toThrow(UserError);
      expect(() => s.serialize(value, new DataOutputView())).toThrow(message);
      // The serializer is still usable afterwards.
      const out = new DataOutputView();
      s.serialize({ ok: [1] }, out);
      expect(s.deserialize(new DataInputView(out.written()))).toEqual({ ok: [1] });
    });
  }
});
