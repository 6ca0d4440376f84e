/**
 * ResultSubpartition under a producer that ignores backpressure: a pipelined subpartition keeps
 * at most PIPELINED_MEMORY_BUFFERS in memory, spills the rest through the IOManager, delivers
 * every buffer in order as credits come, and removes its file when read or released.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { NetworkEnvironment, channelKey } from "./network-environment.ts";
import { MAX_BACKLOG, PIPELINED_MEMORY_BUFFERS, ResultSubpartition } from "./result-subpartition.ts";
import { BUFFER_SIZE, type Buffer } from "./buffer.ts";
import { IOManager } from "../../io/io-manager.ts";

/** A buffer whose first 4 bytes are its sequence number and whose length depends on it (every 7th is oversized). */
function numbered(net: NetworkEnvironment, seq: number): Buffer {
  const length = seq % 7 === 3 ? BUFFER_SIZE + 100 + seq : 8 + ((seq * 997) % (BUFFER_SIZE - 8));
  const data = length <= BUFFER_SIZE ? net.pool.take() : new ArrayBuffer(length);
  const view = new DataView(data);
  view.setUint32(0, seq, true);
  view.setUint32(length - 4, seq ^ 0x5a5a5a5a, true); // the tail too, so a short read shows
  return { data, length };
}

function seqOf(b: Buffer): number {
  const view = new DataView(b.data);
  const seq = view.getUint32(0, true);
  expect(view.getUint32(b.length - 4, true)).toBe((seq ^ 0x5a5a5a5a) >>> 0);
  return seq;
}

/** A pipelined subpartition in slot 0 and a consumer that records what arrives and grants credits by hand. */
function setup(withSpill = true) {
  const net = new NetworkEnvironment(0);
  const io = new IOManager();
  const key = channelKey("j", 0, 0, 0);
  let availableCalls = 0;
  const sub = new ResultSubpartition(net, key, 0, false, () => availableCalls++, withSpill ? { io, budget: { bytes: 0 } } : undefined);
  const received: number[] = [];
  net.registerInputChannel(key, { onBuffer: (b) => received.push(seqOf(b)) });
  const credit = (n: number) => net.sendCredit(0, key, n);
  return { net, io, key, sub, received, credit, available: () => availableCalls };
}

const ios: IOManager[] = [];
afterEach(() => {
  for (const io of ios.splice(0)) io.close();
});

describe("a pipelined producer far past its credits", () => {
  const cases: { name: string; total: number; initial: number; step: number; addBetween: number }[] = [
    { name: "all written, then read one credit at a time", total: 400, initial: 0, step: 1, addBetween: 0 },
    { name: "all written after a few credits, read in batches of 5", total: 300, initial: 4, step: 5, addBetween: 0 },
    { name: "more written while the spill is being read", total: 250, initial: 2, step: 3, addBetween: 2 },
  ];
  for (const c of cases)
    test(c.name, () => {
      const { net, io, sub, received, credit } = setup();
      ios.push(io);
      credit(c.initial);
      let next = 0;
      let maxInMemory = 0;
      const add = () => {
        sub.add(numbered(net, next++));
        maxInMemory = Math.max(maxInMemory, sub.inMemory);
      };
      while (next < c.total) add();
      expect(maxInMemory).toBeLessThanOrEqual(PIPELINED_MEMORY_BUFFERS);
      expect(sub.inMemory).toBe(PIPELINED_MEMORY_BUFFERS);
      expect(sub.backlog).toBe(c.total - c.initial);
      expect(sub.isAvailable()).toBe(false);
      expect(sub.spilledBytes).toBeGreaterThan((c.total - c.initial - PIPELINED_MEMORY_BUFFERS) * 8);
      expect(io.spilledBytes).toBe(sub.spilledBytes);
      expect(io.bytesOnDisk()).toBe(sub.spilledBytes);

      let extra = 0;
      while (sub.backlog > 0) {
        credit(c.step);
        for (let i = 0; i < c.addBetween && extra < 20; i++, extra++) add();
        expect(sub.inMemory).toBeLessThanOrEqual(PIPELINED_MEMORY_BUFFERS);
      }
      expect(received).toEqual(Array.from({ length: next }, (_, i) => i));
      expect(io.bytesOnDisk()).toBe(0); // read to the end: the file is gone
      expect(sub.spilledBytes).toBe(0);
    });

  test("turns available again once the backlog, spilled part included, is down to MAX_BACKLOG", () => {
    const { net, io, sub, credit, available } = setup();
    ios.push(io);
    for (let i = 0; i < PIPELINED_MEMORY_BUFFERS + 20; i++) sub.add(numbered(net, i));
    credit(PIPELINED_MEMORY_BUFFERS + 20 - MAX_BACKLOG - 1);
    expect(sub.isAvailable()).toBe(false);
    expect(available()).toBe(0);
    credit(1);
    expect(sub.isAvailable()).toBe(true);
    expect(available()).toBe(1);
  });

  test("released while spilled: the file is closed and removed", () => {
    const { net, io, sub, credit } = setup();
    ios.push(io);
    for (let i = 0; i < PIPELINED_MEMORY_BUFFERS + 50; i++) sub.add(numbered(net, i));
    credit(PIPELINED_MEMORY_BUFFERS + 10); // reading from the file has begun
    expect(io.bytesOnDisk()).toBeGreaterThan(0);
    const folder = io.spillFolders()[0]!;
    expect(readdirSync(folder).length).toBe(1);
    net.releaseJob("j");
    expect(readdirSync(folder)).toEqual([]);
    expect(sub.backlog).toBe(0);
    sub.add(numbered(net, 0)); // a late add after release does not reopen a file that stays
    sub.release();
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("a pipelined producer that respects backpressure", () => {
  test("never spills and every buffer is sent at once when credit is there", () => {
    const { net, io, sub, received, credit } = setup();
    ios.push(io);
    credit(4);
    let next = 0;
    for (let round = 0; round < 200; round++) {
      while (sub.isAvailable()) sub.add(numbered(net, next++));
      credit(1 + (round % 4)); // the consumer processed some
    }
    expect(sub.inMemory).toBeLessThanOrEqual(MAX_BACKLOG + 1);
    expect(io.spilledBytes).toBe(0);
    expect(existsSync(io.spillFolders()[0]!)).toBe(false);
    credit(sub.backlog);
    expect(received).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  test("with credit in hand, an added buffer goes out in the same call", () => {
    const { net, io, sub, received, credit } = setup();
    ios.push(io);
    credit(1);
    sub.add(numbered(net, 0));
    expect(received).toEqual([0]);
    expect(sub.backlog).toBe(0);
  });
});

test("without a spill target (unit tests of other parts) the queue is only in memory", () => {
  const { net, sub } = setup(false);
  for (let i = 0; i < PIPELINED_MEMORY_BUFFERS * 2; i++) sub.add(numbered(net, i));
  expect(sub.inMemory).toBe(PIPELINED_MEMORY_BUFFERS * 2);
  expect(sub.spilledBytes).toBe(0);
});
