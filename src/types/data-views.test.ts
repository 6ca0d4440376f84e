/** DataOutputView and DataInputView: every write method reads back exactly, across buffer growth. */
import { describe, expect, test } from "bun:test";
import { DataInputView } from "./data-input-view.ts";
import { DataOutputView } from "./data-output-view.ts";

type Case = [name: string, write: (o: DataOutputView, v: never) => void, read: (i: DataInputView) => unknown, values: unknown[]];

const STRINGS = ["", "a", "hello", "x".repeat(21), "y".repeat(22), "z".repeat(5000), "héllo", "日本語", "😀", "a😀b", "é".repeat(40), "\u0000\u007f\u0080\u07ff\u0800\uffff",
  // around the prefix's 1/2/3-byte boundaries, ASCII and not (a non-ASCII prefix outgrows the ASCII guess)
  "a".repeat(63), "a".repeat(64), "é".repeat(31), "é".repeat(32), "a".repeat(8191), "a".repeat(8192), "é".repeat(4095), "é".repeat(4096), "日".repeat(3000)];

const cases: Case[] = [
  ["byte", (o, v: number) => o.writeByte(v), (i) => i.readByte(), [0, 1, 127, 128, 255]],
  ["boolean", (o, v: boolean) => o.writeBoolean(v), (i) => i.readBoolean(), [true, false]],
  ["int32", (o, v: number) => o.writeInt32(v), (i) => i.readInt32(), [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]],
  ["uint32", (o, v: number) => o.writeUint32(v), (i) => i.readUint32(), [0, 1, 2 ** 32 - 1, 2 ** 31]],
  ["float32", (o, v: number) => o.writeFloat32(v), (i) => i.readFloat32(), [0, -0, 1.5, -2.25, Infinity, NaN]],
  ["float64", (o, v: number) => o.writeFloat64(v), (i) => i.readFloat64(), [0, -0, Math.PI, -1e-300, Number.MAX_VALUE, -Infinity, NaN]],
  ["long", (o, v: number) => o.writeLong(v), (i) => i.readLong(), [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 4294967297, -4294967297, 2 ** 62]],
  ["bigint64", (o, v: bigint) => o.writeBigInt64(v), (i) => i.readBigInt64(), [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]],
  ["varuint", (o, v: number) => o.writeVarUint(v), (i) => i.readVarUint(), [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]],
  ["string", (o, v: string) => o.writeString(v), (i) => i.readString(), STRINGS],
  ["bytes", (o, v: Uint8Array) => o.writeBytes(v), (i) => i.readBytes(), [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(300).fill(7)]],
];

describe("DataOutputView / DataInputView round trip", () => {
  for (const [name, write, read, values] of cases) {
    test(name, () => {
      // A 1-byte start forces a growth on nearly every write.
      const out = new DataOutputView(1);
      for (const v of values) write(out, v as never);
      const input = new DataInputView(out.written());
      for (const v of values) expect(read(input)).toEqual(v);
      expect(input.available()).toBe(0);
    });
  }

  test("-0 survives float64 exactly", () => {
    const out = new DataOutputView();
    out.writeFloat64(-0);
    expect(Object.is(new DataInputView(out.written()).readFloat64(), -0)).toBe(true);
  });
});

describe("strings", () => {
  const encoder = new TextEncoder();
  for (const s of STRINGS) {
    test(`UTF-8 bytes and ASCII flag of ${JSON.stringify(s.slice(0, 12))} (${s.length} chars)`, () => {
      const out = new DataOutputView();
      out.writeString(s);
      const input = new DataInputView(out.written());
      const header = input.readVarUint();
      const ascii = /^[\x00-\x7f]*$/.test(s);
      expect(header % 2).toBe(ascii ? 1 : 0);
      expect(input.readRawView(Math.floor(header / 2))).toEqual(encoder.encode(s));
    });
  }

  test("lone surrogates become U+FFFD, as TextEncoder writes them", () => {
    const out = new DataOutputView();
    for (const s of ["\ud800", "a\udc00b", "\ud83d", "x".repeat(30) + "\ud800"]) out.writeString(s);
    const input = new DataInputView(out.written());
    expect([input.readString(), input.readString(), input.readString(), input.readString()]).toEqual(["\ufffd", "a\ufffdb", "\ufffd", "x".repeat(30) + "\ufffd"]);
  });

  test("a corrupt length fails instead of reading past the end", () => {
    const input = new DataInputView(Uint8Array.of(200, 1, 65));
    expect(() => input.readString()).toThrow("passes the end of the input");
  });
});

describe("buffers", () => {
  test("setBuffer writes into the caller's ArrayBuffer until it is full, then grows", () => {
    const ab = new ArrayBuffer(16);
    const out = new DataOutputView();
    out.setBuffer(ab, 4);
    out.writeInt32(0x01020304);
    expect(out.buf.buffer).toBe(ab);
    expect(new Uint8Array(ab, 4, 4)).toEqual(Uint8Array.of(4, 3, 2, 1));
    out.writeString("this does not fit in sixteen bytes");
    expect(out.buf.buffer).not.toBe(ab);
    const input = new DataInputView(out.written(), 4);
    expect(input.readInt32()).toBe(0x01020304);
    expect(input.readString()).toBe("this does not fit in sixteen bytes");
  });

  test("a long string that fits a caller's buffer exactly is written into it, not into a grown copy", () => {
    for (const s of ["x".repeat(60), "é".repeat(30)]) {
      const ab = new ArrayBuffer(1 + 60);
      const out = new DataOutputView();
      out.setBuffer(ab, 0);
      out.writeString(s);
      expect(out.buf.buffer).toBe(ab);
      expect(new DataInputView(new Uint8Array(ab)).readString()).toBe(s);
    }
  });

  test("DataInputView reads a sub-range of a Uint8Array with an offset", () => {
    const out = new DataOutputView();
    out.writeInt32(7);
    out.writeLong(-5);
    const big = new Uint8Array(100);
    big.set(out.written(), 10);
    const window = big.subarray(5, 50);
    const input = new DataInputView();
    input.setBuffer(window, 5, 5 + out.pos);
    expect([input.readInt32(), input.readLong(), input.available()]).toEqual([7, -5, 0]);
  });

  test("growth keeps every byte written before it", () => {
    const out = new DataOutputView(3);
    for (let i = 0; i < 10000; i++) out.writeInt32(i);
    const input = new DataInputView(out.written());
    for (let i = 0; i < 10000; i++) expect(input.readInt32()).toBe(i);
  });
});
