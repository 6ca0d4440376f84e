/** State TTL with a fake clock: every kind under every update type and visibility, snapshots, restores. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { StateDescriptorLike, StateTtlConfigLike } from "./state-descriptor.ts";

const TTL = 100;
const sumAgg = { createAccumulator: () => 0, add: (v: number, a: number) => a + v, getResult: (a: number) => a, merge: (a: number, b: number) => a + b };

/** Per kind: how to write one logical value, read it, and what a read of nothing looks like. */
const kinds: { kind: string; d: Omit<StateDescriptorLike, "ttlConfig">; write: (s: any) => void; read: (s: any) => unknown; full: unknown; empty: unknown }[] = [
  { kind: "value", d: { name: "s", kind: "value" }, write: (s) => s.update(1), read: (s) => s.value(), full: 1, empty: null },
  { kind: "list", d: { name: "s", kind: "list" }, write: (s) => s.update([1]), read: (s) => [...s.get()], full: [1], empty: [] },
  { kind: "map", d: { name: "s", kind: "map" }, write: (s) => s.put("a", 1), read: (s) => [...s.entries()], full: [["a", 1]], empty: [] },
  { kind: "reducing", d: { name: "s", kind: "reducing", reduceFunction: (a, b) => a + b }, write: (s) => (s.clear(), s.add(1)), read: (s) => s.get(), full: 1, empty: null },
  { kind: "aggregating", d: { name: "s", kind: "aggregating", aggregateFunction: sumAgg }, write: (s) => (s.clear(), s.add(1)), read: (s) => s.get(), full: 1, empty: null },
];

function setup(d: Omit<StateDescriptorLike, "ttlConfig">, ttlConfig?: StateTtlConfigLike) {
  const clock = { now: 0 };
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128, () => clock.now);
  backend.setCurrentKey("k", 9);
  const state = backend.getPartitionedState<any>({ ...d, ttlConfig });
  return { clock, backend, state };
}

const cfg = (updateType: StateTtlConfigLike["updateType"], stateVisibility: StateTtlConfigLike["stateVisibility"]): StateTtlConfigLike => ({ ttlMs: TTL, updateType, stateVisibility });

// A write at 0, then reads at these times; "v" = visible, "-" = not.
const READS = [50, 100, 100, 199, 400, 400];
const matrix: { config: StateTtlConfigLike; expected: string }[] = [
  { config: cfg("OnCreateAndWrite", "NeverReturnExpired"), expected: "v-----" },
  { config: cfg("OnCreateAndWrite", "ReturnExpiredIfNotCleanedUp"), expected: "vv----" }, // expired: returned once, then cleaned
  { config: cfg("OnReadAndWrite", "NeverReturnExpired"), expected: "vvvv--" }, // each read pushes expiry out
  { config: cfg("OnReadAndWrite", "ReturnExpiredIfNotCleanedUp"), expected: "vvvvv-" },
  { config: cfg("Disabled", "NeverReturnExpired"), expected: "vvvvvv" },
];

describe("TTL reads", () => {
  for (const k of kinds) {
    for (const m of matrix) {
      test(`${k.kind} state, ${m.config.updateType} / ${m.config.stateVisibility}`, () => {
        const { clock, state } = setup(k.d, m.config);
        k.write(state);
        const seen = READS.map((t) => {
          clock.now = t;
          const got = k.read(state);
          expect(got).toEqual(got === k.empty || (Array.isArray(got) && got.length === 0) ? k.empty : k.full);
          return Array.isArray(got) ? (got.length > 0 ? "v" : "-") : got === null ? "-" : "v";
        });
        expect(seen.join("")).toBe(m.expected);
      });
    }
  }

  for (const k of kinds) {
    test(`${k.kind} state: a write refreshes the timestamp`, () => {
      const { clock, state } = setup(k.d, cfg("OnCreateAndWrite", "NeverReturnExpired"));
      k.write(state);
      clock.now = 80;
      k.write(state);
      clock.now = 179;
      expect(k.read(state)).toEqual(k.full);
      clock.now = 180;
      expect(k.read(state)).toEqual(k.empty);
    });
  }
});

describe("TTL per element and per entry", () => {
  const visibilities: { v: StateTtlConfigLike["stateVisibility"]; first: unknown[]; second: unknown[] }[] = [
    { v: "NeverReturnExpired", first: ["new"], second: ["new"] },
    { v: "ReturnExpiredIfNotCleanedUp", first: ["old", "new"], second: ["new"] },
  ];
  for (const c of visibilities) {
    test(`list elements expire one by one (${c.v})`, () => {
      const { clock, state } = setup({ name: "l", kind: "list" }, cfg("OnCreateAndWrite", c.v));
      state.add("old");
      clock.now = 80;
      state.add("new");
      clock.now = 150;
      expect([...state.get()]).toEqual(c.first);
      expect([...state.get()]).toEqual(c.second);
    });

    test(`map entries expire one by one (${c.v})`, () => {
      const { clock, state } = setup({ name: "m", kind: "map" }, cfg("OnCreateAndWrite", c.v));
      state.put("old", 1);
      clock.now = 80;
      state.put("new", 2);
      clock.now = 150;
      expect([...state.keys()]).toEqual(c.first);
      expect([...state.keys()]).toEqual(c.second);
      expect([state.contains("old"), state.get("old"), state.contains("new"), state.isEmpty()]).toEqual([false, undefined, true, false]);
    });
  }

  const folding: { kind: string; d: Omit<StateDescriptorLike, "ttlConfig"> }[] = [
    { kind: "reducing", d: { name: "r", kind: "reducing", reduceFunction: (a, b) => a + b } },
    { kind: "aggregating", d: { name: "a", kind: "aggregating", aggregateFunction: sumAgg } },
  ];
  for (const f of folding) {
    test(`${f.kind} state never folds into an expired value`, () => {
      const { clock, state } = setup(f.d, cfg("OnCreateAndWrite", "ReturnExpiredIfNotCleanedUp"));
      state.add(1);
      clock.now = 100;
      state.add(2);
      expect(state.get()).toBe(2);
    });
  }

  test("merging namespaces skips expired sources", () => {
    const { clock, backend, state } = setup({ name: "r", kind: "reducing", reduceFunction: (a, b) => a + b }, cfg("OnCreateAndWrite", "NeverReturnExpired"));
    backend.setCurrentNamespace("old");
    state.add(100);
    clock.now = 80;
    backend.setCurrentNamespace("fresh");
    state.add(1);
    clock.now = 150;
    state.mergeNamespaces("target", ["old", "fresh"]);
    backend.setCurrentNamespace("target");
    expect(state.get()).toBe(1);
    expect(backend.numKeyValueStateEntries()).toBe(1);
  });
});

describe("TTL in snapshots", () => {
  for (const k of kinds) {
    test(`${k.kind} state: expired entries are left out of the snapshot and dropped`, () => {
      const { clock, backend, state } = setup(k.d, cfg("OnCreateAndWrite", "ReturnExpiredIfNotCleanedUp"));
      k.write(state);
      clock.now = 80;
      backend.setCurrentKey("fresh", 10);
      k.write(state);
      clock.now = 150;
      const snap = backend.snapshot();
      expect(Object.keys(snap.keyGroups)).toEqual(["10"]);
      expect(snap.keyGroups[10]!.s!.ttl).toBe(true);
      expect(backend.numKeyValueStateEntries()).toBe(1);
      backend.setCurrentKey("k", 9);
      expect(k.read(state)).toEqual(k.empty);
    });

    test(`${k.kind} state: timestamps survive a restore`, () => {
      const { backend, state } = setup(k.d, cfg("OnCreateAndWrite", "NeverReturnExpired"));
      k.write(state);
      const clock = { now: 50 };
      const restored = KeyedStateBackend.restore([backend.snapshot()], { start: 0, end: 127 }, 128, () => clock.now);
      const s = restored.getPartitionedState<any>({ ...k.d, ttlConfig: cfg("OnCreateAndWrite", "NeverReturnExpired") });
      restored.setCurrentKey("k", 9);
      clock.now = 99;
      expect(k.read(s)).toEqual(k.full);
      clock.now = 100;
      expect(k.read(s)).toEqual(k.empty);
    });

    test(`${k.kind} state: TTL added at restore starts counting at the restore`, () => {
      const { backend, state } = setup(k.d);
      k.write(state);
      const clock = { now: 1000 };
      const restored = KeyedStateBackend.restore([backend.snapshot()], { start: 0, end: 127 }, 128, () => clock.now);
      const s = restored.getPartitionedState<any>({ ...k.d, ttlConfig: cfg("OnCreateAndWrite", "NeverReturnExpired") });
      restored.setCurrentKey("k", 9);
      clock.now = 1099;
      expect(k.read(s)).toEqual(k.full);
      clock.now = 1100;
      expect(k.read(s)).toEqual(k.empty);
    });

    test(`${k.kind} state: TTL removed at restore keeps values forever`, () => {
      const { backend, state } = setup(k.d, cfg("OnCreateAndWrite", "NeverReturnExpired"));
      k.write(state);
      const restored = KeyedStateBackend.restore([backend.snapshot()], { start: 0, end: 127 }, 128, () => 1e9);
      const s = restored.getPartitionedState<any>(k.d);
      restored.setCurrentKey("k", 9);
      expect(k.read(s)).toEqual(k.full);
      expect(restored.snapshot().keyGroups[9]!.s!.ttl).toBeUndefined();
    });
  }
});
