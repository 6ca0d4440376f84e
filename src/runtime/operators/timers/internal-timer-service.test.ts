/** InternalTimerService: dedup, ordering, delete, current key on fire, snapshot/restore by key group, processing time via the mailbox. */
import { describe, expect, test } from "bun:test";
import { assignToKeyGroup } from "../../../types/key-group.ts";
import { InternalTimerService, type InternalTimerServiceOptions, type ProcessingTimeScheduler } from "./internal-timer-service.ts";

const MAX_P = 16;

/** A service over `range` with a fake clock, scheduler and mailbox; `fired` logs "domain:key@ts (current key)". */
function harness(range = { start: 0, end: MAX_P - 1 }) {
  let now = 1000;
  let current: unknown;
  let currentGroup = -1;
  const fired: string[] = [];
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
  const options: InternalTimerServiceOptions = {
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
    triggerable: {
      onEventTime: (t) => void fired.push(`event:${String(t.key)}@${t.timestamp} (${String(current)})`),
      onProcessingTime: (t) => void fired.push(`proc:${String(t.key)}@${t.timestamp} (${String(current)})`),
    },
    executeInMailbox: (a) => void mailbox.push(a),
    clock: () => now,
    scheduler,
  };
  const setKey = (k: unknown) => {
    current = k;
    currentGroup = assignToKeyGroup(k, MAX_P);
  };
  /** Moves the fake wall clock; due callbacks run (they only enqueue mail). */
  const advanceClock = (to: number) => {
    now = to;
    for (const h of pending.splice(0)) {
      if (h.cancelled) continue;
      if (h.at <= now) h.cb();
      else pending.push(h);
    }
  };
  const drainMail = () => {
    while (mailbox.length > 0) mailbox.shift()!();
  };
  return { service: InternalTimerService.create(options), options, fired, mailbox, pending, setKey, advanceClock, drainMail };
}

describe("event-time timers", () => {
  test.each([
    { name: "fire in timestamp order, ties in registration order", regs: [["a", 30], ["b", 10], ["c", 20], ["a", 10]], wm: 100, want: ["b@10", "a@10", "c@20", "a@30"] },
    { name: "same key and timestamp twice keeps one", regs: [["a", 5], ["a", 5], ["b", 5], ["a", 5]], wm: 5, want: ["a@5", "b@5"] },
    { name: "only timers at or before the watermark", regs: [["a", 9], ["a", 10], ["a", 11]], wm: 10, want: ["a@9", "a@10"] },
    { name: "object keys dedup by value", regs: [[{ id: 1 }, 7], [{ id: 1 }, 7], [{ id: 2 }, 7]], wm: 7, want: ["[object Object]@7", "[object Object]@7"] },
  ] as { name: string; regs: [unknown, number][]; wm: number; want: string[] }[])("$name", ({ regs, wm, want }) => {
    const h = harness();
    for (const [k, ts] of regs) {
      h.setKey(k);
      h.service.registerEventTimeTimer(ts);
    }
    h.service.advanceWatermark(wm);
    expect(h.fired.map((f) => f.replace(/^event:| \(.*\)$/g, ""))).toEqual(want);
    expect(h.service.currentWatermark()).toBe(wm);
  });

  test("the timer's key is current during its callback", () => {
    const h = harness();
    for (const k of ["x", "y", "z"]) {
      h.setKey(k);
      h.service.registerEventTimeTimer(k.charCodeAt(0));
    }
    h.setKey("other");
    h.service.advanceWatermark(1000);
    expect(h.fired).toEqual(["event:x@120 (x)", "event:y@121 (y)", "event:z@122 (z)"]);
  });

  test("delete removes only that key's timer; deleting a missing one is a no-op", () => {
    const h = harness();
    h.setKey("a");
    h.service.registerEventTimeTimer(10);
    h.service.registerEventTimeTimer(20);
    h.setKey("b");
    h.service.registerEventTimeTimer(10);
    h.service.deleteEventTimeTimer(20);
    h.setKey("a");
    h.service.deleteEventTimeTimer(10);
    h.service.deleteEventTimeTimer(99);
    expect(h.service.numEventTimeTimers()).toBe(2);
    h.service.advanceWatermark(100);
    expect(h.fired).toEqual(["event:b@10 (b)", "event:a@20 (a)"]);
  });

  test("timers registered while firing fire in the same advance when due", () => {
    const h = harness();
    const service = h.service;
    h.options.triggerable.onEventTime = (t) => {
      h.fired.push(`${String(t.key)}@${t.timestamp}`);
      if (t.timestamp < 30) service.registerEventTimeTimer(t.timestamp + 10);
    };
    h.setKey("a");
    service.registerEventTimeTimer(10);
    service.advanceWatermark(25);
    expect(h.fired).toEqual(["a@10", "a@20"]);
    expect(service.numEventTimeTimers()).toBe(1);
  });

  test("heap order holds over many random timers with deletes", () => {
    const h = harness();
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ref = new Map<string, [string, number]>();
    for (let i = 0; i < 2000; i++) {
      const k = `k${Math.floor(rnd() * 20)}`;
      const ts = Math.floor(rnd() * 500);
      h.setKey(k);
      if (rnd() < 0.25) {
        h.service.deleteEventTimeTimer(ts);
        ref.delete(`${k}|${ts}`);
      } else {
        h.service.registerEventTimeTimer(ts);
        ref.set(`${k}|${ts}`, [k, ts]);
      }
    }
    h.service.advanceWatermark(250);
    const firedTs = h.fired.map((f) => Number(/@(\d+)/.exec(f)![1]));
    expect(firedTs).toEqual([...firedTs].sort((a, b) => a - b));
    expect(h.fired.map((f) => /:(\w+)@(\d+)/.exec(f)!.slice(1).join("|")).sort()).toEqual([...ref.keys()].filter((k) => Number(k.split("|")[1]) <= 250).sort());
    expect(h.service.numEventTimeTimers()).toBe([...ref.values()].filter(([, ts]) => ts > 250).length);
  });
});

describe("processing-time timers", () => {
  test("fire through the mailbox, never from the wall-clock callback, in timestamp order", () => {
    const h = harness();
    h.setKey("a");
    h.service.registerProcessingTimeTimer(1020);
    h.setKey("b");
    h.service.registerProcessingTimeTimer(1010);
    h.service.registerProcessingTimeTimer(1010);
    h.setKey("c");
    h.service.registerProcessingTimeTimer(1050);
    h.advanceClock(1030);
    expect(h.fired).toEqual([]);
    expect(h.mailbox.length).toBe(1);
    h.drainMail();
    expect(h.fired).toEqual(["proc:b@1010 (b)", "proc:a@1020 (a)"]);
    h.advanceClock(1060);
    h.drainMail();
    expect(h.fired).toEqual(["proc:b@1010 (b)", "proc:a@1020 (a)", "proc:c@1050 (c)"]);
    expect(h.service.numProcessingTimeTimers()).toBe(0);
  });

  test("a deleted timer does not fire; an early callback reschedules", () => {
    const h = harness();
    h.setKey("a");
    h.service.registerProcessingTimeTimer(1010);
    h.service.registerProcessingTimeTimer(1040);
    h.service.deleteProcessingTimeTimer(1010);
    h.advanceClock(1015);
    h.drainMail();
    expect(h.fired).toEqual([]);
    h.advanceClock(1040);
    h.drainMail();
    expect(h.fired).toEqual(["proc:a@1040 (a)"]);
  });

  test("dispose cancels the pending callback", () => {
    const h = harness();
    h.setKey("a");
    h.service.registerProcessingTimeTimer(1010);
    h.service.dispose();
    h.advanceClock(2000);
    h.drainMail();
    expect(h.fired).toEqual([]);
  });

  test("real setTimeout and a real mailbox: a timer 20 ms ahead fires", async () => {
    const fired: unknown[] = [];
    let current: unknown;
    const service = InternalTimerService.create({
      keyGroupRange: { start: 0, end: MAX_P - 1 },
      maxParallelism: MAX_P,
      keyContext: { getCurrentKey: () => current, getCurrentKeyGroup: () => assignToKeyGroup(current, MAX_P), setCurrentKeyInGroup: (k) => void (current = k) },
      triggerable: { onEventTime: () => {}, onProcessingTime: (t) => void fired.push(t.key) },
      executeInMailbox: (a) => void queueMicrotask(a),
    });
    current = "k";
    service.registerProcessingTimeTimer(service.currentProcessingTime() + 20);
    for (let i = 0; i < 100 && fired.length === 0; i++) await Bun.sleep(10);
    expect(fired).toEqual(["k"]);
    service.dispose();
  });
});

describe("snapshot and restore", () => {
  test("restore keeps only key groups in the new range, from many snapshots", () => {
    const h = harness();
    const keys = Array.from({ length: 40 }, (_, i) => `key${i}`);
    for (const k of keys) {
      h.setKey(k);
      h.service.registerEventTimeTimer(k.length * 100 + Number(k.slice(3)));
      h.service.registerProcessingTimeTimer(5000 + Number(k.slice(3)));
    }
    const snap = JSON.parse(JSON.stringify(h.service.snapshot()));
    const halves = [
      { start: 0, end: 7 },
      { start: 8, end: 15 },
    ];
    const restored = halves.map((range) => {
      const r = harness(range);
      return { r, service: InternalTimerService.restore([snap], { ...r.options, keyGroupRange: range }) };
    });
    const byHalf = restored.map(({ r, service }) => {
      service.advanceWatermark(Number.MAX_SAFE_INTEGER);
      r.advanceClock(10_000);
      r.drainMail();
      return r.fired;
    });
    for (const [i, fired] of byHalf.entries()) {
      for (const f of fired) {
        const key = /:(\w+)@/.exec(f)![1]!;
        const kg = assignToKeyGroup(key, MAX_P);
        expect(kg >= halves[i]!.start && kg <= halves[i]!.end).toBe(true);
      }
    }
    expect(byHalf.flat().length).toBe(keys.length * 2);
    // fired timers are gone from the snapshots; the original snapshot still restores all of them
    const again = InternalTimerService.restore(
      restored.map(({ service }) => service.snapshot()),
      h.options,
    );
    expect(again.numEventTimeTimers() + again.numProcessingTimeTimers()).toBe(0);
    const fresh = InternalTimerService.restore([snap], h.options);
    expect(fresh.numEventTimeTimers()).toBe(40);
    expect(fresh.numProcessingTimeTimers()).toBe(40);
    fresh.dispose();
  });

  test("restore with another max parallelism is refused", () => {
    const h = harness();
    expect(() => InternalTimerService.restore([{ maxParallelism: 8, keyGroups: [] }], h.options)).toThrow(/max parallelism 8.*16/);
  });
});
