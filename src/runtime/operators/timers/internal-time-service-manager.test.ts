/** Namespaced timers (dedup, order, delete per namespace, snapshot) and the InternalTimeServiceManager (named services, watermark, snapshot/restore at another parallelism). */
import { describe, expect, test } from "bun:test";
import { assignToKeyGroup } from "../../../types/key-group.ts";
import type { InternalTimer, ProcessingTimeScheduler, Triggerable } from "./internal-timer-service.ts";
import { InternalTimeServiceManager, type TimeServiceManagerOptions } from "./internal-time-service-manager.ts";

const MAX_P = 16;
type Window = { start: number; end: number };

/** A manager over `range` with a fake clock, scheduler and mailbox. */
function setup(range = { start: 0, end: MAX_P - 1 }, restoreFrom: ConstructorParameters<typeof InternalTimeServiceManager>[1] = []) {
  let now = 0;
  let current: unknown;
  let currentGroup = -1;
  const mailbox: (() => void)[] = [];
  const pending: { at: number; cb: () => void; cancelled: boolean }[] = [];
  const scheduler: ProcessingTimeScheduler = {
    schedule: (delay, cb) => {
      const h = { at: now + delay, cb, cancelled: false };
      pending.push(h);
      return h;
    },
    cancel: (h) => void ((h as { cancelled: boolean }).cancelled = true),
  };
  const options: TimeServiceManagerOptions = {
    keyGroupRange: range,
    maxParallelism: MAX_P,
    keyContext: {
      getCurrentKey: () => current,
      getCurrentKeyGroup: () => currentGroup,
      setCurrentKeyInGroup: (k, g) => {
        current = k;
        currentGroup = g;
      },
    },
    executeInMailbox: (a) => void mailbox.push(a),
    clock: () => now,
    scheduler,
  };
  const manager = new InternalTimeServiceManager(options, restoreFrom);
  const setKey = (k: unknown) => {
    current = k;
    currentGroup = assignToKeyGroup(k, MAX_P);
  };
  const setTime = (to: number) => {
    now = to;
    for (const h of pending.splice(0)) if (!h.cancelled) (h.at <= now ? h.cb() : pending.push(h));
    while (mailbox.length > 0) mailbox.shift()!();
  };
  return { manager, setKey, setTime };
}

/** A triggerable logging "name:domain:key/namespace@ts". */
function logger(name: string, log: string[]): Triggerable {
  const fmt = (domain: string, t: InternalTimer) => {
    const ns = t.namespace as Window | null;
    log.push(`${name}:${domain}:${String(t.key)}/${ns === null ? "-" : `${ns.start}-${ns.end}`}@${t.timestamp}`);
  };
  return { onEventTime: (t) => fmt("event", t), onProcessingTime: (t) => fmt("proc", t) };
}

describe("namespaced timers", () => {
  test("dedup per (key, namespace, timestamp); fire in timestamp order with their namespace", () => {
    const { manager, setKey } = setup();
    const log: string[] = [];
    const s = manager.getInternalTimerService("window-timers", logger("w", log));
    setKey("a");
    s.registerEventTimeTimer(9, { start: 0, end: 10 });
    s.registerEventTimeTimer(9, { start: 0, end: 10 }); // same window by value: one timer
    s.registerEventTimeTimer(9, { start: 5, end: 10 });
    s.registerEventTimeTimer(9); // default namespace
    s.registerEventTimeTimer(4, { start: 0, end: 5 });
    setKey("b");
    s.registerEventTimeTimer(9, { start: 0, end: 10 });
    expect(s.numEventTimeTimers()).toBe(5);
    manager.advanceWatermark(9);
    expect(log).toEqual(["w:event:a/0-5@4", "w:event:a/0-10@9", "w:event:a/5-10@9", "w:event:a/-@9", "w:event:b/0-10@9"]);
  });

  test("delete by (namespace, timestamp) for the current key only; null and undefined are the default namespace", () => {
    const { manager, setKey, setTime } = setup();
    const log: string[] = [];
    const s = manager.getInternalTimerService("t", logger("t", log));
    setKey("a");
    s.registerProcessingTimeTimer(20, { start: 0, end: 10 });
    s.registerProcessingTimeTimer(20, { start: 10, end: 20 });
    s.registerProcessingTimeTimer(30, undefined);
    setKey("b");
    s.registerProcessingTimeTimer(20, { start: 0, end: 10 });
    s.deleteProcessingTimeTimer(20, { start: 10, end: 20 }); // b has none: no-op
    setKey("a");
    s.deleteProcessingTimeTimer(20, { start: 0, end: 10 });
    s.deleteProcessingTimeTimer(30, null);
    setTime(100);
    expect(log).toEqual(["t:proc:a/10-20@20", "t:proc:b/0-10@20"]);
  });
});

describe("InternalTimeServiceManager", () => {
  test("one service per name; asking again returns it; another triggerable is refused", () => {
    const { manager } = setup();
    const t = logger("x", []);
    const s = manager.getInternalTimerService("x", t);
    expect(manager.getInternalTimerService("x", t)).toBe(s);
    expect(() => manager.getInternalTimerService("x", logger("x", []))).toThrow(/different triggerable/);
  });

  test("the watermark advances every service; each fires to its own triggerable", () => {
    const { manager, setKey } = setup();
    const log: string[] = [];
    const a = manager.getInternalTimerService("a", logger("a", log));
    const b = manager.getInternalTimerService("b", logger("b", log));
    setKey("k");
    a.registerEventTimeTimer(5);
    b.registerEventTimeTimer(3);
    a.registerEventTimeTimer(12);
    manager.advanceWatermark(10);
    expect(log).toEqual(["a:event:k/-@5", "b:event:k/-@3"]);
    expect(manager.numEventTimeTimers()).toBe(1);
    expect(a.currentWatermark()).toBe(10);
    expect(b.currentWatermark()).toBe(10);
  });

  test("snapshot is plain data; restore splits it over two subtasks and merges it back", () => {
    const { manager, setKey } = setup();
    const us = manager.getInternalTimerService("user", logger("u", []));
    const ws = manager.getInternalTimerService("win", logger("w", []));
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const [i, k] of keys.entries()) {
      setKey(k);
      us.registerEventTimeTimer(100 + i);
      ws.registerProcessingTimeTimer(200 + i, { start: i, end: i + 10 });
    }
    const snap = JSON.parse(JSON.stringify(manager.snapshot()));
    expect(Object.keys(snap.services).sort()).toEqual(["user", "win"]);

    const halves = [
      { start: 0, end: 7 },
      { start: 8, end: 15 },
    ];
    const logs: string[][] = [];
    const restored = halves.map((range) => {
      const log: string[] = [];
      logs.push(log);
      const r = setup(range, [snap]);
      r.manager.getInternalTimerService("user", logger("u", log));
      return r;
    });
    // "win" was never asked for: its timers stay in the snapshot (this half's key groups only), unfired.
    for (const r of restored) {
      r.manager.advanceWatermark(1000);
      r.setTime(1000);
    }
    for (const [i, log] of logs.entries()) {
      for (const line of log) {
        const kg = assignToKeyGroup(/:(k\d+)\//.exec(line)![1], MAX_P);
        expect(kg >= halves[i]!.start && kg <= halves[i]!.end).toBe(true);
      }
    }
    expect(logs.flat().length).toBe(keys.length);

    const merged = setup(undefined, restored.map((r) => r.manager.snapshot()));
    const log: string[] = [];
    const win = merged.manager.getInternalTimerService("win", logger("w", log));
    expect(win.numProcessingTimeTimers()).toBe(keys.length);
    expect(merged.manager.getInternalTimerService("user", logger("u", log)).numEventTimeTimers()).toBe(0);
    merged.setTime(205);
    expect(log).toEqual(["w:proc:k0/0-10@200", "w:proc:k1/1-11@201", "w:proc:k2/2-12@202", "w:proc:k3/3-13@203", "w:proc:k4/4-14@204", "w:proc:k5/5-15@205"]);
  });

  test("restore with another max parallelism is refused", () => {
    expect(() => setup(undefined, [{ maxParallelism: 8, services: {} }])).toThrow(/max parallelism 8.*16/);
  });

  test("dispose stops processing-time timers", () => {
    const { manager, setKey, setTime } = setup();
    const log: string[] = [];
    const s = manager.getInternalTimerService("t", logger("t", log));
    setKey("a");
    s.registerProcessingTimeTimer(10);
    manager.dispose();
    setTime(100);
    expect(log).toEqual([]);
  });
});
