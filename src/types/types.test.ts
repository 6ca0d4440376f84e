/** Every TypeInformation: values round-trip exactly, bad values fail with the type named, toString and fields resolve. */
import { describe, expect, test } from "bun:test";
import { InvalidProgramError, UserError } from "../core/errors.ts";
import { DataInputView } from "./data-input-view.ts";
import { DataOutputView } from "./data-output-view.ts";
import { fieldType, isNumericType, type TypeInformation } from "./type-information.ts";
import { Types } from "./types.ts";

function roundTrip<T>(type: TypeInformation<T>, values: T[], out = new DataOutputView(4)): unknown[] {
  const s = type.createSerializer();
  for (const v of values) s.serialize(v, out);
  const input = new DataInputView(out.written());
  const back = values.map(() => s.deserialize(input));
  expect(input.available()).toBe(0);
  return back;
}

const NESTED = Types.TUPLE(Types.ROW({ id: Types.LONG, name: Types.STRING }), Types.LIST(Types.MAP(Types.STRING, Types.NULLABLE(Types.DOUBLE))));

const roundTrips: [TypeInformation<any>, unknown[]][] = [
  [Types.STRING, ["", "a", "word", "héllo wörld", "日本語テキスト", "😀🚀 astral", "x".repeat(100_000)]],
  [Types.INT, [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]],
  [Types.LONG, [0, 1, -1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -(2 ** 53 - 1), -(2 ** 53), -123456789012]],
  [Types.BIGINT, [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(2n ** 200n) - 17n]],
  [Types.DOUBLE, [0, -0, 1.5, Math.PI, -1e308, Number.MIN_VALUE, Infinity, -Infinity, NaN]],
  [Types.FLOAT, [0, -0, 1.5, -1024.25, Infinity, NaN]],
  [Types.BOOLEAN, [true, false]],
  [Types.BYTES, [new Uint8Array(0), Uint8Array.of(0, 255, 7), new Uint8Array(70_000).fill(9)]],
  [Types.INSTANT, [0, Date.UTC(2024, 0, 1), -86_400_000, 1.5]],
  [Types.GENERIC, [null, undefined, 1, "s", { a: [1, { b: 2n }] }, new Map([[1, new Set(["x"])]])]],
  [Types.TUPLE(Types.STRING, Types.INT), [["word", 1], ["", 0], ["ünïcødé😀", -7]]],
  [Types.TUPLE(), [[]]],
  [Types.ROW({ word: Types.STRING, n: Types.INT }), [{ word: "w", n: 3 }, { word: "", n: -1 }]],
  [Types.ROW({ ["__proto__"]: Types.INT, "odd \"key\"": Types.BOOLEAN } as never), [JSON.parse(`{"__proto__": 5, "odd \\"key\\"": true}`)]],
  [Types.LIST(Types.INT), [[], [1, 2, 3], Array.from({ length: 1000 }, (_, i) => i - 500)]],
  [Types.LIST(Types.LIST(Types.STRING)), [[[], ["a"], ["b", "c"]]]],
  [Types.MAP(Types.STRING, Types.LONG), [new Map(), new Map([["a", 1], ["b", -(2 ** 53)]])]],
  [Types.NULLABLE(Types.INT), [null, undefined, 0, 5]],
  [Types.NULLABLE(Types.TUPLE(Types.STRING, Types.NULLABLE(Types.STRING))), [null, ["a", null], ["b", undefined], ["c", "d"]]],
  [
    NESTED,
    [
      [{ id: 2 ** 53 - 1, name: "n" }, [new Map([["x", 1.5], ["y", null]]), new Map()]],
      [{ id: -1, name: "" }, []],
    ],
  ],
];

describe("round trips", () => {
  for (const [type, values] of roundTrips) {
    test(String(type), () => {
      expect(roundTrip(type, values)).toStrictEqual(values.map((v) => (type === Types.FLOAT && typeof v === "number" ? Math.fround(v) : v)));
    });
  }

  test("-0 and NaN stay exact in DOUBLE", () => {
    const [z, n] = roundTrip(Types.DOUBLE, [-0, NaN]);
    expect(Object.is(z, -0)).toBe(true);
    expect(Number.isNaN(n)).toBe(true);
  });

  test("a batch spanning many DataOutputView growths", () => {
    const type = Types.TUPLE(Types.STRING, Types.INT);
    const values = Array.from({ length: 20_000 }, (_, i) => [`w${i}${i % 7 === 0 ? "é" : ""}`, i] as [string, number]);
    const out = new DataOutputView(16);
    expect(roundTrip(type, values, out)).toEqual(values);
    expect(out.buf.length).toBeGreaterThan(16);
  });

  test("serializers are generated once per type", () => {
    const t = Types.TUPLE(Types.STRING, Types.INT);
    expect(t.createSerializer()).toBe(t.createSerializer());
  });
});

describe("values that do not fit their type", () => {
  const tuple = Types.TUPLE(Types.STRING, Types.INT);
  const cases: [TypeInformation<any>, unknown, string][] = [
    [tuple, ["a", null], "TUPLE(STRING, INT) field 1 is null; declare it Types.NULLABLE(...)"],
    [tuple, ["a"], "TUPLE(STRING, INT) field 1 is undefined; declare it Types.NULLABLE(...)"],
    [tuple, [null, 1], "TUPLE(STRING, INT) field 0 is null"],
    [tuple, [1, 1], 'TUPLE(STRING, INT) field 0: expected STRING, got 1'],
    [tuple, ["a", 2 ** 31], "field 1: expected INT, got 2147483648 (outside the 32-bit range; use Types.LONG)"],
    [tuple, ["a", 1.5], "field 1: expected INT, got 1.5 (not an integer; use Types.DOUBLE)"],
    [tuple, { 0: "a", 1: 1 }, "TUPLE(STRING, INT) value: expected TUPLE(STRING, INT), got an object"],
    [Types.STRING, null, "STRING value is null; declare it Types.NULLABLE(...)"],
    [Types.INT, "7", 'INT value: expected INT, got string "7"'],
    [Types.LONG, 0.5, "LONG value: expected LONG, got 0.5 (not an integer"],
    [Types.DOUBLE, undefined, "DOUBLE value is undefined"],
    [Types.BOOLEAN, 1, "BOOLEAN value: expected BOOLEAN, got 1"],
    [Types.BIGINT, 1, "BIGINT value: expected BIGINT, got 1"],
    [Types.BYTES, [1, 2], "BYTES value: expected BYTES, got an array of length 2"],
    [Types.ROW({ word: Types.STRING, n: Types.INT }), { word: "w" }, "ROW(word: STRING, n: INT) field 'n' is undefined"],
    [Types.LIST(Types.INT), [1, 2, null], "LIST(INT) element 2 is null"],
    [Types.MAP(Types.STRING, Types.LONG), new Map([["a", null]]), "MAP(STRING, LONG) value is null"],
    [Types.MAP(Types.STRING, Types.LONG), { a: 1 }, "MAP(STRING, LONG) value: expected MAP(STRING, LONG), got an object"],
    [Types.NULLABLE(Types.INT), "x", 'NULLABLE(INT) value: expected INT, got string "x"'],
    [NESTED, [{ id: 1, name: "n" }, [new Map([["x", "1"]])]], 'MAP(STRING, NULLABLE(DOUBLE)) value: expected DOUBLE, got string "1"'],
  ];
  for (const [type, value, message] of cases) {
    test(`${type}: ${message}`, () => {
      const s = type.createSerializer();
      expect(() => s.serialize(value, new DataOutputView())).toThrow(UserError);
      expect(() => s.serialize(value, new DataOutputView())).toThrow(message);
    });
  }
});

describe("toString", () => {
  const cases: [TypeInformation<any>, string][] = [
    [Types.STRING, "STRING"],
    [Types.INSTANT, "INSTANT"],
    [Types.GENERIC, "GENERIC"],
    [Types.TUPLE(Types.STRING, Types.INT), "TUPLE(STRING, INT)"],
    [Types.ROW({ word: Types.STRING, n: Types.INT }), "ROW(word: STRING, n: INT)"],
    [Types.LIST(Types.INT), "LIST(INT)"],
    [Types.MAP(Types.STRING, Types.LONG), "MAP(STRING, LONG)"],
    [Types.NULLABLE(Types.INT), "NULLABLE(INT)"],
    [NESTED, "TUPLE(ROW(id: LONG, name: STRING), LIST(MAP(STRING, NULLABLE(DOUBLE))))"],
  ];
  for (const [type, s] of cases) test(s, () => expect(type.toString()).toBe(s));

  test("a field that is not a TypeInformation is an InvalidProgramError", () => {
    expect(() => Types.TUPLE(Types.STRING, "INT" as never)).toThrow(InvalidProgramError);
    expect(() => Types.ROW({ n: undefined as never })).toThrow("Types.ROW field 'n' is not a TypeInformation");
  });
});

describe("fieldType", () => {
  const tuple = Types.TUPLE(Types.STRING, Types.INT);
  const row = Types.ROW({ word: Types.STRING, n: Types.LONG });
  const found: [TypeInformation<any>, number | string, TypeInformation<any>][] = [
    [tuple, 0, Types.STRING],
    [tuple, 1, Types.INT],
    [tuple, "f1", Types.INT],
    [row, "n", Types.LONG],
    [row, 0, Types.STRING],
    [Types.INT, 0, Types.INT],
    [Types.DOUBLE, "*", Types.DOUBLE],
    [Types.GENERIC, "anything", Types.GENERIC],
  ];
  for (const [type, field, expected] of found) {
    test(`${type} field ${field} is ${expected}`, () => expect(fieldType(type, field, "op")).toBe(expected));
  }

  const missing: [TypeInformation<any>, number | string, string][] = [
    [tuple, 3, "sum(3) on 'Keyed Aggregation': TUPLE(STRING, INT) has no field 3"],
    [tuple, -1, "TUPLE(STRING, INT) has no field -1"],
    [tuple, "word", "TUPLE(STRING, INT) has no field 'word'"],
    [row, "count", "ROW(word: STRING, n: LONG) has no field 'count'"],
    [Types.INT, 1, "INT has no field 1"],
    [Types.LIST(Types.INT), 0, "LIST(INT) has no field 0"],
  ];
  for (const [type, field, message] of missing) {
    test(message, () => {
      const call = () => fieldType(type, field, "sum(3) on 'Keyed Aggregation'");
      expect(call).toThrow(InvalidProgramError);
      expect(call).toThrow(message);
    });
  }
});

test("isNumericType", () => {
  const numeric = [Types.INT, Types.LONG, Types.BIGINT, Types.DOUBLE, Types.FLOAT];
  const other = [Types.STRING, Types.BOOLEAN, Types.BYTES, Types.INSTANT, Types.GENERIC, Types.NULLABLE(Types.INT), Types.TUPLE(Types.INT)];
  expect(numeric.map(isNumericType)).toEqual(numeric.map(() => true));
  expect(other.map(isNumericType)).toEqual(other.map(() => false));
});
