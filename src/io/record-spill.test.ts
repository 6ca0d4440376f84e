import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryAllocationError, MemoryManager } from "../memory/memory-manager.ts";
import { IOManager } from "./io-manager.ts";
import { RecordSpillReader, RecordSpillWriter } from "./record-spill.ts";

const root = mkdtempSync(join(tmpdir(), "flinkts-io-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("MemoryManager", () => {
  test("hands out pages within the budget and names the operator when it runs out", () => {
    const mm = new MemoryManager(10 * 32 * 1024);
    expect(mm.totalPages).toBe(10);
    const a = mm.allocatePages("Sort (1/2)", 6);
    expect(mm.availablePages()).toBe(4);
    expect(() => mm.allocatePages("Join (1/2)", 5)).toThrow(MemoryAllocationError);
    expect(() => mm.allocatePages("Join (1/2)", 5)).toThrow(/Join \(1\/2\): asked for 5 managed memory pages .* only 4 of 10 are free/);
    mm.release("Sort (1/2)", a.slice(0, 2));
    expect(mm.availablePages()).toBe(6);
    expect(mm.releaseAll("Sort (1/2)")).toBe(4);
    expect(mm.availablePages()).toBe(10);
    // released pages are reused
    expect(a.includes(mm.allocatePages("x", 1)[0]!)).toBe(true);
  });

  test("pagesFor divides the budget by fraction", () => {
    const mm = new MemoryManager(100 * 32 * 1024);
    expect(mm.pagesFor(0.25)).toBe(25);
    expect(mm.pagesFor(0.001)).toBe(1);
  });
});

describe("record spill files", () => {
  test("round-trips small, buffer-straddling and larger-than-buffer records", () => {
    const io = new IOManager([root]);
    const mm = new MemoryManager(4 * 1024, 1024);
    const [wb, rb] = mm.allocatePages("t", 2);
    const ch = io.createChannel("run");
    const w = new RecordSpillWriter(ch, io, wb!);
    const records: Uint8Array[] = [];
    for (let i = 0; i < 500; i++) {
      const len = i % 97 === 0 ? 3000 : i % 13;
      const r = new Uint8Array(len).map((_, j) => (i * 31 + j) & 255);
      records.push(r);
      w.add(r, 0, r.length);
    }
    w.close();
    expect(ch.bytes).toBe(records.reduce((s, r) => s + 4 + r.length, 0));
    expect(io.spilledBytes).toBe(ch.bytes);
    const rd = new RecordSpillReader(ch, rb!);
    let n = 0;
    while (rd.next()) {
      expect(Array.from(rd.buf.subarray(rd.start, rd.end))).toEqual(Array.from(records[n]!));
      n++;
    }
    expect(n).toBe(500);
    io.close();
    expect(existsSync(io.spillFolders()[0]!)).toBe(false);
  });

  test("cleanStale removes folders of dead processes and keeps live ones", () => {
    const dir = join(root, "stale");
    mkdirSync(join(dir, "flinkts-io-999999999-abc"), { recursive: true });
    mkdirSync(join(dir, `flinkts-io-${process.pid}-abc`), { recursive: true });
    expect(IOManager.cleanStale([dir])).toBe(1);
    expect(existsSync(join(dir, "flinkts-io-999999999-abc"))).toBe(false);
    expect(existsSync(join(dir, `flinkts-io-${process.pid}-abc`))).toBe(true);
  });
});
