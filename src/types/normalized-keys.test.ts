/** Key codes (KeyEncoder) against compareValues and keysEqual on seeded random keys of every kind. */
import { describe, expect, test } from "bun:test";
import { compareValues } from "../runtime/operators/batch/compare-values.ts";
import { DataOutputView } from "./data-output-view.ts";
import { keysEqual } from "./key-hashing.ts";
import { compareBytes, prefixWord } from "./sort/byte-compare.ts";
import { type KeyField, KeyEncoder, type SortOrder } from "./sort/key-encoder.ts";
import type { TypeInformation } from "./type-information.ts";
import { Types } from "./types.ts";

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (r: () => number) => unknown;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const SPECIAL_NUMBERS = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324, Number.MAX_VALUE];
const SPECIAL_BIGINTS = [0n, 1n, -1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 64n, -(2n ** 64n), 10n ** 400n, -(10n ** 400n), 2n ** 1024n, 2n ** 1024n - 1n];
/** Strings sharing long prefixes, code units 0 and 1, surrogates, the BMP's top and lone halves. */
const ALPHABET = ["a", "b", "", "\u0000", "\u0001", "\u007f", "\u0080", "é", "\u3fff", "\u4000", "\ud83d\ude00", "\ud800", "\uffff", "\ue000", "zz"];

const genNumber: Gen = (r) => (r() < 0.3 ? pick(r, SPECIAL_NUMBERS) : r() < 0.5 ? Math.floor(r() * 20) - 10 : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
const genBigint: Gen = (r) => (r() < 0.4 ? pick(r, SPECIAL_BIGINTS) : BigInt(Math.floor(r() * 20) - 10) * (r() < 0.5 ? 1n : 2n ** 60n));
const genString: Gen = (r) => {
  const prefix = r() < 0.5 ? "common-prefix-shared-by-many-keys/" : "";
  let s = prefix;
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += pick(r, ALPHABET);
  return s;
};
const genBytes: Gen = (r) => Uint8Array.from({ length: Math.floor(r() * 4) }, () => pick(r, [0, 1, 0xff, 0x7f, 0x80]));
const genScalar: Gen = (r) => {
  const k = r();
  if (k < 0.08) return null;
  if (k < 0.14) return undefined;
  if (k < 0.2) return r() < 0.5;
  if (k < 0.45) return genNumber(r);
  if (k < 0.55) return genBigint(r);
  if (k < 0.8) return genString(r);
  if (k < 0.88) return genBytes(r);
  return new Date(Math.floor(r() * 5) * 1000);
};
const genAny: Gen = (r) => {
  const k = r();
  if (k < 0.15) return Array.from({ length: Math.floor(r() * 3) }, () => (r() < 0.3 ? genAny(r) : genScalar(r)));
  if (k < 0.22) return { a: genScalar(r), b: pick(r, [1, 2, "x"]) };
  return genScalar(r);
};

function encoder(fields: { type?: TypeInformation; order?: SortOrder }[], groupFields?: number): KeyEncoder<unknown[]> {
  const keyFields: KeyField<unknown[]>[] = fields.map((f, i) => ({ selector: (v) => v[i], order: f.order ?? "ASCENDING", type: f.type }));
  return new KeyEncoder(keyFields, groupFields);
}

function encode(enc: KeyEncoder<unknown[]>, value: unknown[]): Uint8Array {
  const out = new DataOutputView(16);
  enc.encode(value, out);
  return out.written().slice();
}

const cmpBytes = (a: Uint8Array, b: Uint8Array) => Math.sign(compareBytes(a, 0, a.length, b, 0, b.length));

/** The order the codes must reproduce: compareValues per field (negated for DESCENDING). */
function referenceCompare(a: unknown[], b: unknown[], orders: SortOrder[]): number {
  for (let i = 0; i < orders.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return Math.sign(c) * (orders[i] === "DESCENDING" ? -1 : 1);
  }
  return 0;
}

interface Case {
  name: string;
  fields: { type?: TypeInformation; order?: SortOrder; gen: Gen }[];
}

const CASES: Case[] = [
  { name: "generic values of every kind", fields: [{ gen: genAny }] },
  { name: "generic, descending", fields: [{ gen: genAny, order: "DESCENDING" }] },
  { name: "generic composite (asc, desc, asc)", fields: [{ gen: genScalar }, { gen: genScalar, order: "DESCENDING" }, { gen: genNumber }] },
  { name: "STRING", fields: [{ type: Types.STRING, gen: genString }] },
  { name: "STRING descending", fields: [{ type: Types.STRING, gen: genString, order: "DESCENDING" }] },
  { name: "INT", fields: [{ type: Types.INT, gen: (r) => (r() < 0.2 ? pick(r, [0, -1, 2 ** 31 - 1, -(2 ** 31)]) : Math.floor((r() - 0.5) * 1e6)) }] },
  { name: "DOUBLE", fields: [{ type: Types.DOUBLE, gen: genNumber }] },
  { name: "BIGINT descending", fields: [{ type: Types.BIGINT, gen: genBigint, order: "DESCENDING" }] },
  { name: "BOOLEAN, BYTES", fields: [{ type: Types.BOOLEAN, gen: (r) => r() < 0.5 }, { type: Types.BYTES, gen: genBytes }] },
  { name: "NULLABLE(STRING), LONG desc", fields: [{ type: Types.NULLABLE(Types.STRING), gen: (r) => (r() < 0.3 ? pick(r, [null, undefined]) : genString(r)) }, { type: Types.LONG, gen: genNumber, order: "DESCENDING" }] },
  { name: "TUPLE(STRING, INT)", fields: [{ type: Types.TUPLE(Types.STRING, Types.INT), gen: (r) => [genString(r), Math.floor(r() * 5)] }] },
];

describe("key codes order keys as compareValues does", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = mulberry32(c.name.length * 7919);
      const enc = encoder(c.fields);
      const orders = c.fields.map((f) => f.order ?? "ASCENDING");
      const keys = Array.from({ length: 600 }, () => c.fields.map((f) => f.gen(r)));
      const codes = keys.map((k) => encode(enc, k));
      for (let i = 0; i < keys.length; i++) {
        for (let j = i; j < Math.min(keys.length, i + 60); j++) {
          const expected = referenceCompare(keys[i]!, keys[j]!, orders);
          const actual = cmpBytes(codes[i]!, codes[j]!);
          const pair = () => `${Bun.inspect(keys[i])} vs ${Bun.inspect(keys[j])}`;
          if (expected !== 0) expect([pair(), actual]).toEqual([pair(), expected]);
          else expect([pair(), actual === 0]).toEqual([pair(), keys[i]!.every((v, f) => keysEqual(v, keys[j]![f]))]);
        }
      }
    });
  }

  test("a sort by code is a sort by compareValues", () => {
    const r = mulberry32(99);
    const enc = encoder([{}, { order: "DESCENDING" }]);
    const keys = Array.from({ length: 3000 }, () => [genScalar(r), genAny(r)]);
    const byCode = keys.map((k) => ({ k, code: encode(enc, k) })).sort((a, b) => cmpBytes(a.code, b.code)).map((x) => x.k);
    for (let i = 1; i < byCode.length; i++) expect(referenceCompare(byCode[i - 1]!, byCode[i]!, ["ASCENDING", "DESCENDING"])).toBeLessThanOrEqual(0);
  });
});

describe("key code details", () => {
  test.each([
    ["-0 and 0", -0, 0],
    ["two NaNs", NaN, Number.NaN],
    ["1 and 1n differ only after the main code", 1, 1n],
    ["null and undefined", null, undefined],
  ])("%s: equal main codes", (_name, a, b) => {
    const enc = encoder([{}, {}]);
    const x = encode(enc, [a, "tail"]);
    const y = encode(enc, [b, "tail"]);
    // the discriminating trailer comes after every field, so the field after still orders first
    const z = encode(enc, [b, "tail2"]);
    expect(cmpBytes(x, z)).toBe(-1);
    expect(cmpBytes(x, y) === 0).toBe(keysEqual(a, b));
  });

  test("the group length covers the group fields and their trailer", () => {
    const enc = encoder([{}, {}], 1);
    const a = encode(enc, [null, 5]);
    const ga = enc.groupLength;
    const b = encode(enc, [undefined, 5]);
    expect(ga).toBe(enc.groupLength);
    expect(compareBytes(a, 0, ga, b, 0, ga)).not.toBe(0);
    const c = encode(enc, [null, 7]);
    expect(compareBytes(a, 0, ga, c, 0, enc.groupLength)).toBe(0);
  });

  test("ASCII strings are their own code, so the prefix is the first bytes of the text", () => {
    const enc = encoder([{ type: Types.STRING }]);
    const code = encode(enc, ["hello world"]);
    expect(Array.from(code)).toEqual([...Buffer.from("hello world"), 0]);
    expect(prefixWord(code, 0, code.length, 0)).toBe(0x68656c6c);
    expect(prefixWord(code, 0, 3, 0)).toBe(0x68656c00);
  });

  test.each([["ASCENDING"], ["DESCENDING"]] as const)("a STRING key decodes back to the string (%s)", (order) => {
    const enc = encoder([{ type: Types.STRING, order }]);
    const decode = enc.stringDecoder()!;
    for (const s of ["", "plain", "\u0000\u0001x", "é\u4000\ud800\ud83d\ude00"]) {
      const code = encode(enc, [s]);
      expect(decode(code, 0, code.length)).toBe(s);
    }
  });

  test.each([
    ["a Map", new Map()],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
  ])("%s cannot be a key", (_name, v) => {
    expect(() => encode(encoder([{}]), [v])).toThrow(/cannot sort or group by/);
  });

  test("a typed key holding another kind is a user error naming the type", () => {
    expect(() => encode(encoder([{ type: Types.INT }]), [1.5])).toThrow(/declared as INT holds a number/);
    expect(() => encode(encoder([{ type: Types.STRING }]), [null])).toThrow(/declared as STRING holds null/);
  });
});
