/** SharedRing: ordered round trips of messages of every size, across the wrap point, with back-pressure when full. */
import { describe, expect, test } from "bun:test";
import { SharedRing } from "./shared-ring.ts";

/** A message whose bytes depend on its sequence number, so a reordering or overlap shows. */
function message(seq: number, length: number): Uint8Array {
  const m = new Uint8Array(length);
  for (let i = 0; i < length; i++) m[i] = (seq * 31 + i * 7) & 0xff;
  return m;
}

/** Reads one message as a fresh copy; undefined when the ring is empty. */
function readOne(ring: SharedRing): Uint8Array | undefined {
  let got: Uint8Array | undefined;
  const n = ring.read((bytes, offset, length) => {
    got = bytes.slice(offset, offset + length);
  });
  if (n === -1) return undefined;
  expect(got!.length).toBe(n);
  return got;
}

/** Splits a message into parts at the given cut points, as a writer with a header and a body does. */
function parts(m: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < m.length), m.length]) {
    out.push(m.subarray(from, c));
    from = c;
  }
  return out;
}

describe("SharedRing round trips", () => {
  const cases: { name: string; capacity: number; lengths: number[]; cuts?: number[] }[] = [
    { name: "empty message", capacity: 64, lengths: [0, 0, 0] },
    { name: "one byte", capacity: 64, lengths: [1] },
    { name: "exactly half the ring", capacity: 64, lengths: [28, 28, 28, 28, 28] },
    { name: "sizes that do not divide the ring", capacity: 64, lengths: [3, 5, 7, 11, 13, 17, 19, 23, 1, 2, 0, 9] },
    { name: "length prefix split at the wrap", capacity: 32, lengths: [9, 1, 9, 2, 9, 3, 9, 4, 5, 6, 7] },
    { name: "header + body parts", capacity: 256, lengths: [10, 50, 100, 120, 33, 77], cuts: [2, 6] },
    { name: "many sizes in a 4 KiB ring", capacity: 4096, lengths: Array.from({ length: 200 }, (_, i) => (i * 97) % 2000) },
  ];
  for (const { name, capacity, lengths, cuts } of cases) {
    test(`${name}: write one, read one`, () => {
      const ring = SharedRing.create(capacity);
      lengths.forEach((len, seq) => {
        const m = message(seq, len);
        expect(ring.tryWrite(parts(m, cuts ?? []), len)).toBe(true);
        expect(readOne(ring)).toEqual(m);
        expect(readOne(ring)).toBeUndefined();
      });
    });
    test(`${name}: write until full, then drain, in order`, () => {
      const ring = SharedRing.create(capacity);
      const pending: Uint8Array[] = [];
      let seq = 0;
      // three passes over the sizes push the write position around the ring several times
      for (const len of [...lengths, ...lengths, ...lengths]) {
        const m = message(seq++, len);
        while (!ring.tryWrite(parts(m, cuts ?? []), len)) {
          expect(pending.length).toBeGreaterThan(0); // only a non-empty ring may refuse
          expect(readOne(ring)).toEqual(pending.shift()!);
        }
        pending.push(m);
      }
      for (const m of pending) expect(readOne(ring)).toEqual(m);
      expect(readOne(ring)).toBeUndefined();
    });
  }

  const wraps: { name: string; advance: number; length: number; wrapped: boolean }[] = [
    { name: "body split at the wrap", advance: 48, length: 20, wrapped: true },
    { name: "length prefix split at the wrap, body after it", advance: 62, length: 10, wrapped: false },
    { name: "prefix ends exactly at the wrap", advance: 60, length: 10, wrapped: false },
    { name: "body ends exactly at the wrap", advance: 44, length: 16, wrapped: false },
  ];
  for (const { name, advance, length, wrapped } of wraps) {
    test(`${name}: the reader gets one contiguous range`, () => {
      const ring = SharedRing.create(64);
      const header = new Int32Array(ring.sab, 0, 2);
      header[0] = header[1] = advance; // as if `advance` bytes had already passed through
      const m = message(7, length);
      expect(ring.tryWrite(parts(m, [3]), length)).toBe(true);
      let seen: { copy: Uint8Array; wrapped: boolean } | undefined;
      expect(ring.read((bytes, offset, n, w) => (seen = { copy: bytes.slice(offset, offset + n), wrapped: w !== undefined }))).toBe(length);
      expect(seen).toEqual({ copy: m, wrapped });
      expect(header[1]).toBe(advance + 4 + length);
    });
  }
});

describe("SharedRing limits", () => {
  test("a message larger than half the ring throws RangeError naming both sizes", () => {
    const ring = SharedRing.create(64);
    expect(() => ring.tryWrite([new Uint8Array(29)], 29)).toThrow(RangeError);
    expect(() => ring.tryWrite([new Uint8Array(29)], 29)).toThrow("a message of 29 bytes does not fit a ring of 64 bytes");
    expect(ring.tryWrite([new Uint8Array(28)], 28)).toBe(true); // 4 + 28 = 32 is exactly half
  });

  test("capacity must be a power of two", () => {
    expect(() => SharedRing.create(100)).toThrow(RangeError);
    expect(SharedRing.create(128).capacity).toBe(128);
  });

  test("tryWrite is refused when full and succeeds after reads free room", () => {
    const ring = SharedRing.create(64);
    const m = (seq: number) => message(seq, 12); // 16 bytes each with the prefix
    for (let i = 0; i < 4; i++) expect(ring.tryWrite([m(i)], 12)).toBe(true);
    expect(ring.tryWrite([m(4)], 12)).toBe(false);
    expect(ring.tryWrite([new Uint8Array(0)], 0)).toBe(false); // even 4 bytes of prefix do not fit
    expect(readOne(ring)).toEqual(m(0));
    expect(ring.tryWrite([m(4)], 12)).toBe(true); // wraps to the start of the data area
    expect(ring.tryWrite([m(5)], 12)).toBe(false);
    for (let i = 1; i <= 4; i++) expect(readOne(ring)).toEqual(m(i));
    expect(readOne(ring)).toBeUndefined();
  });

  test("a refused write leaves the ring unchanged", () => {
    const ring = SharedRing.create(32);
    expect(ring.tryWrite([message(1, 12)], 12)).toBe(true);
    expect(ring.tryWrite([message(2, 12)], 12)).toBe(true);
    expect(ring.tryWrite([message(3, 1)], 1)).toBe(false);
    expect(readOne(ring)).toEqual(message(1, 12));
    expect(readOne(ring)).toEqual(message(2, 12));
    expect(readOne(ring)).toBeUndefined();
  });

  test("a second SharedRing over the same buffer sees the first one's writes (the other thread's view)", () => {
    const writer = SharedRing.create(128);
    const reader = new SharedRing(writer.sab);
    for (let i = 0; i < 20; i++) {
      expect(writer.tryWrite([message(i, 40)], 40)).toBe(true);
      expect(readOne(reader)).toEqual(message(i, 40));
    }
  });

  test("the byte counters wrap around 2^32 without losing messages", () => {
    const ring = SharedRing.create(64);
    const header = new Int32Array(ring.sab, 0, 2);
    header[0] = header[1] = -20; // 2^32 - 20 as uint32: the next writes cross the counter's wrap
    for (let i = 0; i < 10; i++) {
      expect(ring.tryWrite([message(i, 9)], 9)).toBe(true);
      expect(ring.tryWrite([message(i + 100, 5)], 5)).toBe(true);
      expect(readOne(ring)).toEqual(message(i, 9));
      expect(readOne(ring)).toEqual(message(i + 100, 5));
    }
    expect(readOne(ring)).toBeUndefined();
  });
});
