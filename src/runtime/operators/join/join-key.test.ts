/** The int32 fast path of join keys writes and hashes exactly what the general encoding does. */
import { describe, expect, test } from "bun:test";
import { DataOutputView } from "../../../types/data-output-view.ts";
import { hashKeyBytes, levelSeed, writeAndHashKey, writeIntKey, writeJoinKey } from "./join-key.ts";

describe("writeIntKey", () => {
  const keys = [0, -0, 1, -1, 255, 256, 65535, -65536, 2 ** 24 - 1, 2 ** 24, 2 ** 31 - 1, -(2 ** 31), 123456789, -987654321];
  for (const level of [0, 1, 3]) {
    test(`level ${level}: same bytes and hash as writeJoinKey + hashKeyBytes`, () => {
      const seed = levelSeed(level);
      for (const k of keys) {
        const general = new DataOutputView(16);
        writeJoinKey(k, general);
        const fast = new DataOutputView(16);
        fast.writeByte(99); // not at the start of the buffer
        const hash = writeIntKey(k, fast, seed);
        expect([...fast.written().subarray(1)]).toEqual([...general.written()]);
        expect(hash).toBe(hashKeyBytes(general.buf, 0, general.pos, seed));
      }
    });
  }

  test("writeAndHashKey takes the general path for other keys", () => {
    const seed = levelSeed(0);
    for (const k of [1.5, 2 ** 31, "abc", [1, "x"], null, true, 10n]) {
      const general = new DataOutputView(16);
      writeJoinKey(k, general);
      const out = new DataOutputView(16);
      expect(writeAndHashKey(k, out, seed)).toBe(hashKeyBytes(general.buf, 0, general.pos, seed));
      expect([...out.written()]).toEqual([...general.written()]);
    }
  });
});
