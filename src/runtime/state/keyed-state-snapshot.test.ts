/** Snapshots of the heap backend: plain data, exact round trips, and restores at another parallelism. */
import { describe, expect, test } from "bun:test";
import { UserError } from "../../core/errors.ts";
import { hashKey } from "../../types/key-hashing.ts";
import { computeKeyGroupRangeForOperatorIndex } from "./key-group-range-assignment.ts";
import { KeyedStateBackend, type KeyedStateSnapshot } from "./keyed-state-backend.ts";
import type { StateDescriptorLike } from "./state-descriptor.ts";
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from "./state-types.ts";

const MAX_P = 128;
const keyGroupOf = (key: unknown) => (hashKey(key) >>> 0) % MAX_P;

const D = {
  value: { name: "value", kind: "value" },
  list: { name: "list", kind: "list" },
  map: { name: "map", kind: "map" },
  reducing: { name: "reducing", kind: "reducing", reduceFunction: (a: number, b: number) => a + b },
  aggregating: {
    name: "aggregating",
    kind: "aggregating",
    aggregateFunction: { createAccumulator: () => ({ n: 0 }), add: (v: number, acc: { n: number }) => ({ n: acc.n + v }), getResult: (acc: { n: number }) => acc.n },
  },
} satisfies Record<string, StateDescriptorLike>;

function states(b: KeyedStateBackend) {
  return {
    value: b.getPartitionedState<ValueState<unknown>>(D.value),
    list: b.getPartitionedState<ListState<unknown>>(D.list),
    map: b.getPartitionedState<MapState<unknown, unknown>>(D.map),
    reducing: b.getPartitionedState<ReducingState<number>>(D.reducing),
    aggregating: b.getPartitionedState<AggregatingState<number, number>>(D.aggregating),
  };
}

const sampleKeys: unknown[] = ["alice", "bob", 7, 7n, true, [1, "tuple"], { id: 3, region: "eu" }];

/** Writes every kind of state for each key the backend owns, in the default namespace and in one window. */
function fill(b: KeyedStateBackend, keys: readonly unknown[]): void {
  const s = states(b);
  const { start, end } = b.keyGroupRange;
  keys.forEach((key, i) => {
    if (keyGroupOf(key) < start || keyGroupOf(key) > end) return;
    b.setCurrentKey(key, keyGroupOf(key));
    for (const ns of [null, { start: 0, end: 10 }]) {
      b.setCurrentNamespace(ns);
      s.value.update({ i, tag: `v${i}` });
      s.list.addAll([i, "x", [i]]);
      s.map.put("plain", i);
      s.map.put([i, "composite"], { nested: [i] });
      s.reducing.add(i);
      s.reducing.add(1);
      s.aggregating.add(i);
    }
    b.setCurrentNamespace(null);
  });
}

/** Everything the states show for each key and namespace, for comparing two backends. */
function read(b: KeyedStateBackend, keys: readonly unknown[]): unknown[] {
  const s = states(b);
  return keys.map((key) => {
    b.setCurrentKey(key, keyGroupOf(key));
    return [null, { start: 0, end: 10 }].map((ns) => {
      b.setCurrentNamespace(ns);
      return [s.value.value(), [...s.list.get()], [...s.map.entries()], s.reducing.get(), s.aggregating.get()];
    });
  });
}

/** Throws unless the value holds only arrays, plain objects and primitives. */
function assertPlain(v: unknown, path = "snapshot"): void {
  if (v === null || typeof v !== "object") return;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype) throw new Error(`${path} is a ${proto?.constructor?.name}`);
  for (const [k, x] of Object.entries(v)) assertPlain(x, `${path}.${k}`);
}

describe("snapshot and restore", () => {
  test("the snapshot is plain data, grouped by key group", () => {
    const b = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
    fill(b, sampleKeys);
    const snap = b.snapshot();
    assertPlain(snap);
    expect(snap.maxParallelism).toBe(MAX_P);
    expect(Object.keys(snap.keyGroups).map(Number).sort((x, y) => x - y)).toEqual([...new Set(sampleKeys.map(keyGroupOf))].sort((x, y) => x - y));
    const alice = snap.keyGroups[keyGroupOf("alice")]!;
    expect(alice.value!.kind).toBe("value");
    expect(alice.value!.entries).toContainEqual(["alice", null, { i: 0, tag: "v0" }]);
    expect(alice.map!.entries).toContainEqual(["alice", { start: 0, end: 10 }, [["plain", 0], [[0, "composite"], { nested: [0] }]]]);
  });

  const copies: { name: string; copy: (s: KeyedStateSnapshot) => KeyedStateSnapshot }[] = [
    { name: "as is", copy: (s) => s },
    { name: "after structuredClone", copy: (s) => structuredClone(s) },
  ];
  for (const c of copies) {
    test(`round trip ${c.name}: same snapshot, same state`, () => {
      const b = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
      fill(b, sampleKeys);
      const snap = b.snapshot();
      const restored = KeyedStateBackend.restore([c.copy(snap)], { start: 0, end: MAX_P - 1 }, MAX_P);
      expect(restored.snapshot()).toEqual(snap);
      expect(read(restored, sampleKeys)).toEqual(read(b, sampleKeys));
      expect(restored.numKeyValueStateEntries()).toBe(b.numKeyValueStateEntries());
      expect(new Set(restored.getKeys("value"))).toEqual(new Set(b.getKeys("value")));
    });
  }

  test("a snapshot does not change when the state does", () => {
    const b = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
    fill(b, ["k"]);
    const snap = b.snapshot();
    const before = structuredClone(snap);
    fill(b, ["k", "new"]);
    expect(snap).toEqual(before);
  });

  const rescales: { from: number; to: number }[] = [
    { from: 2, to: 3 },
    { from: 3, to: 2 },
    { from: 1, to: 4 },
    { from: 4, to: 1 },
    { from: 2, to: 2 },
    { from: 5, to: 128 },
  ];
  const manyKeys = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? i : i % 3 === 1 ? `key-${i}` : [i, "t"]));
  for (const r of rescales) {
    test(`restore at another parallelism: ${r.from} -> ${r.to} subtasks`, () => {
      const ranges = (p: number) => Array.from({ length: p }, (_, i) => computeKeyGroupRangeForOperatorIndex(MAX_P, p, i));
      const old = ranges(r.from).map((range) => {
        const b = new KeyedStateBackend(range, MAX_P);
        fill(b, manyKeys);
        return b;
      });
      const snaps = old.map((b) => b.snapshot());
      const restored = ranges(r.to).map((range) => KeyedStateBackend.restore(snaps, range, MAX_P));

      const owners = new Map<string, number>();
      restored.forEach((b, i) => {
        for (const key of b.getKeys("value")) {
          const kg = keyGroupOf(key);
          expect(kg >= b.keyGroupRange.start && kg <= b.keyGroupRange.end).toBe(true);
          expect(owners.has(JSON.stringify(key))).toBe(false);
          owners.set(JSON.stringify(key), i);
        }
      });
      expect(owners.size).toBe(manyKeys.length);
      const total = (bs: KeyedStateBackend[]) => bs.reduce((n, b) => n + b.numKeyValueStateEntries(), 0);
      expect(total(restored)).toBe(total(old));
      const reference = new KeyedStateBackend({ start: 0, end: MAX_P - 1 }, MAX_P);
      fill(reference, manyKeys);
      for (const key of manyKeys.filter((_, i) => i % 37 === 0)) {
        const b = restored[owners.get(JSON.stringify(key))!]!;
        expect(read(b, [key])).toEqual(read(reference, [key]));
      }
    });
  }
});

describe("restore errors", () => {
  const snapWith = (kind: "value" | "list", kg: number): KeyedStateSnapshot => ({ maxParallelism: MAX_P, keyGroups: { [kg]: { s: { kind, entries: [["k", null, kind === "list" ? [1] : 1]] } } } });
  const cases: { name: string; snaps: KeyedStateSnapshot[]; maxP?: number; message: RegExp }[] = [
    { name: "another maxParallelism", snaps: [snapWith("value", 1)], maxP: 256, message: /maxParallelism 128 into maxParallelism 256/ },
    { name: "a key group in two snapshots", snaps: [snapWith("value", 1), snapWith("value", 1)], message: /key group 1 appears in more than one/ },
    { name: "one name with two kinds", snaps: [snapWith("value", 1), snapWith("list", 2)], message: /"s" is a value state in one snapshot and a list state/ },
  ];
  for (const c of cases) {
    test(`${c.name} is a UserError`, () => {
      const restore = () => KeyedStateBackend.restore(c.snaps, { start: 0, end: (c.maxP ?? MAX_P) - 1 }, c.maxP ?? MAX_P);
      expect(restore).toThrow(UserError);
      expect(restore).toThrow(c.message);
    });
  }

  test("registering a restored state with another kind is a UserError", () => {
    const b = KeyedStateBackend.restore([snapWith("value", 1)], { start: 0, end: MAX_P - 1 }, MAX_P);
    expect(() => b.getPartitionedState({ name: "s", kind: "list" })).toThrow(/"s" is already registered as a value state/);
  });

  test("key groups outside the new range are left out", () => {
    const b = KeyedStateBackend.restore([snapWith("value", 1), snapWith("value", 100)], { start: 64, end: 127 }, MAX_P);
    expect(Object.keys(b.snapshot().keyGroups)).toEqual(["100"]);
  });
});
