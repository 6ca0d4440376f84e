/** hashKey, keyToMapKey, keysEqual: stable values, murmur3 conformance, and equality that agrees across the three. */
import { describe, expect, test } from "bun:test";
import { UserError } from "../core/errors.ts";
import { hashKey, keysEqual, keyToMapKey } from "./key-hashing.ts";
import { murmur3Bytes, murmur3String, murmurHashInt } from "./murmur3.ts";

describe("murmur3", () => {
  // Published MurmurHash3_x86_32 test vectors.
  const vectors: [string, number, number][] = [
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["abc", 0, 0xb3dd93fa],
    ["hello", 0, 0x248bfa47],
    ["aaaa", 0x9747b28c, 0x5a97808a],
    ["Hello, world!", 0x9747b28c, 0x24884cba],
    ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
  ];
  for (const [s, seed, expected] of vectors) {
    test(`${JSON.stringify(s)} seed ${seed}`, () => {
      expect(murmur3String(s, seed) >>> 0).toBe(expected);
      expect(murmur3Bytes(new TextEncoder().encode(s), seed) >>> 0).toBe(expected);
    });
  }

  test("strings hash as their UTF-8 bytes, whatever the mix of 1- to 4-byte characters", () => {
    const alphabet = ["a", "Z", "7", " ", "é", "ß", "日", "本", "😀", "𝄞", "\u0080", "\u07ff", "\u0800", "\uffff", "\ud800", "\udc00"];
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      let s = "";
      const n = Math.floor(rnd() * 20);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(murmur3String(s)).toBe(murmur3Bytes(new TextEncoder().encode(s)));
    }
  });

  test("murmurHashInt is Flink's MathUtils.murmurHash: |murmur3_32 of the int's 4 bytes|", () => {
    for (const x of [0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31), 123456789]) {
      const le = new Uint8Array(new Int32Array([x]).buffer);
      const h = murmur3Bytes(le);
      expect(murmurHashInt(x)).toBe(h === -(2 ** 31) ? 0 : Math.abs(h));
    }
  });
});

describe("hashKey", () => {
  // Pinned: a change here moves keys to other key groups and breaks restoring old checkpoints.
  const pinned: [string, unknown, number][] = [
    ["empty string", "", 0],
    ["hello", "hello", 613153351],
    ["word", "word", -968174432],
    ["non-ASCII", "日本", -992347838],
    ["0", 0, 773692376],
    ["1", 1, 619189011],
    ["-1", -1, 1971636267],
    ["2^53-1", 2 ** 53 - 1, 1144953073],
    ["1.5", 1.5, -899479100],
    ["NaN", NaN, 264254797],
    ["true", true, -1159467917],
    ["false", false, 1415663477],
    ["null", null, 167010153],
    ["undefined", undefined, 81718324],
    ["1n", 1n, 1031286583],
    ["2n**100n", 2n ** 100n, -772118298],
    ["tuple", ["a", 1], 868240720],
    ["row", { word: "a", n: 1 }, -1829945313],
    ["bytes", Uint8Array.of(1, 2, 3), -2133732860],
  ];
  for (const [name, key, expected] of pinned) test(`${name} -> ${expected}`, () => expect(hashKey(key)).toBe(expected));

  const same: [string, unknown, unknown][] = [
    ["-0 and 0", -0, 0],
    ["NaN payloads", NaN, new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]],
    ["integral double and int", 5.0, 5],
    ["field order of rows", { a: 1, b: "x" }, { b: "x", a: 1 }],
    ["class instance and plain object", new (class P { x = 1 })(), { x: 1 }],
    ["nested tuples", [["a", [1, 2]], 3], [["a", [1, 2]], 3]],
    ["int64-range bigint", -(2n ** 40n), -(2n ** 40n)],
  ];
  for (const [name, a, b] of same) test(`same hash: ${name}`, () => expect(hashKey(a)).toBe(hashKey(b)));

  const different: [string, unknown, unknown][] = [
    ["1 and 1n", 1, 1n],
    ["1 and '1'", 1, "1"],
    ["1 and [1]", 1, [1]],
    ["tuple order", ["a", "b"], ["b", "a"]],
    ["2^32 and 0", 2 ** 32, 0],
    ["-1 and 2^32-1", -1, 2 ** 32 - 1],
    ["row field names", { a: 1 }, { b: 1 }],
    ["null and undefined", null, undefined],
  ];
  for (const [name, a, b] of different) test(`different hash: ${name}`, () => expect(hashKey(a)).not.toBe(hashKey(b)));

  test("unsupported keys are UserErrors", () => {
    for (const k of [new Map(), new Set(), () => 1, Symbol("s")]) {
      expect(() => hashKey(k)).toThrow(UserError);
      expect(() => keyToMapKey(k)).toThrow("as a key");
    }
  });
});

describe("keyToMapKey and keysEqual", () => {
  test("primitives are returned as they are", () => {
    for (const k of ["s", 1, 1.5, true, 7n, null, undefined]) expect(keyToMapKey(k)).toBe(k);
  });

  const equal: [string, unknown, unknown][] = [
    ["equal tuples", ["a", 1, [true, null]], ["a", 1, [true, null]]],
    ["rows in any field order", { word: "x", n: 2 }, { n: 2, word: "x" }],
    ["-0 inside a tuple", [-0], [0]],
    ["NaN inside a tuple", [NaN], [NaN]],
    ["bytes", Uint8Array.of(1, 2), Uint8Array.of(1, 2)],
    ["dates", [new Date(5)], [new Date(5)]],
    ["bigints", [10n ** 30n], [10n ** 30n]],
  ];
  for (const [name, a, b] of equal) {
    test(`equal: ${name}`, () => {
      expect(keysEqual(a, b)).toBe(true);
      expect(keyToMapKey(a)).toBe(keyToMapKey(b));
      expect(hashKey(a)).toBe(hashKey(b));
    });
  }

  const unequal: [string, unknown, unknown][] = [
    ["tuple vs its string form", ["a,1"], ["a", 1]],
    ["number vs string element", [1], ["1"]],
    ["number vs bigint element", [1], [1n]],
    ["null vs undefined element", [null], [undefined]],
    ["quote injection", ['a","b'], ["a", "b"]],
    ["array vs object with index keys", ["x"], { 0: "x" }],
    ["missing vs undefined field", { a: 1 }, { a: 1, b: undefined }],
    ["different byte arrays", Uint8Array.of(1), Uint8Array.of(1, 0)],
    ["bytes of different views", Uint8Array.of(1), Int8Array.of(1)],
    ["nesting", [[1], 2], [1, [2]]],
    ["date vs number", [new Date(5)], [5]],
    ["composite vs a string that looks like one", ["a"], '\u0000["a"]'.slice(1)],
  ];
  for (const [name, a, b] of unequal) {
    test(`unequal: ${name}`, () => {
      expect(keysEqual(a, b)).toBe(false);
      expect(keysEqual(b, a)).toBe(false);
      expect(keyToMapKey(a)).not.toBe(keyToMapKey(b));
    });
  }

  test("composite map keys work as Map keys", () => {
    const m = new Map<unknown, number>();
    for (const k of [["a", 1], ["a", 1], ["b", 1], { x: [1] }, { x: [1] }]) m.set(keyToMapKey(k), (m.get(keyToMapKey(k)) ?? 0) + 1);
    expect([...m.values()]).toEqual([2, 1, 2]);
  });
});
