/** KeyedStateBackend: key and namespace isolation, registration, key listing, merging namespaces. */
import { describe, expect, test } from "bun:test";
import { InternalError, UserError } from "../../core/errors.ts";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { StateDescriptorLike } from "./state-descriptor.ts";
import type { AggregatingState, InternalMergingState, ListState, MapState, ReducingState, ValueState } from "./state-types.ts";

const sumAgg = { createAccumulator: () => 0, add: (v: number, a: number) => a + v, getResult: (a: number) => a, merge: (a: number, b: number) => a + b };

/** Per kind: a descriptor, a write of `v`, and a read that is null/[] when empty. */
const kinds: { kind: string; d: StateDescriptorLike; write: (s: any, v: number) => void; read: (s: any) => unknown; empty: unknown }[] = [
  { kind: "value", d: { name: "s", kind: "value" }, write: (s: ValueState<number>, v) => s.update(v), read: (s) => s.value(), empty: null },
  { kind: "list", d: { name: "s", kind: "list" }, write: (s: ListState<number>, v) => s.add(v), read: (s) => [...s.get()], empty: [] },
  { kind: "map", d: { name: "s", kind: "map" }, write: (s: MapState<string, number>, v) => s.put("x", v), read: (s) => [...s.entries()], empty: [] },
  { kind: "reducing", d: { name: "s", kind: "reducing", reduceFunction: (a, b) => a + b }, write: (s: ReducingState<number>, v) => s.add(v), read: (s) => s.get(), empty: null },
  { kind: "aggregating", d: { name: "s", kind: "aggregating", aggregateFunction: sumAgg }, write: (s: AggregatingState<number, number>, v) => s.add(v), read: (s) => s.get(), empty: null },
];

const keyPairs: { name: string; a: [unknown, number]; b: [unknown, number] }[] = [
  { name: "same key group", a: ["alice", 3], b: ["bob", 3] },
  { name: "different key groups", a: ["alice", 3], b: ["bob", 90] },
  { name: "composite keys", a: [[1, "x"], 5], b: [[1, "y"], 5] },
  { name: "1 and '1'", a: [1, 5], b: ["1", 5] },
];

function backend(): KeyedStateBackend {
  return new KeyedStateBackend({ start: 0, end: 127 }, 128);
}

describe("key isolation", () => {
  for (const k of kinds) {
    for (const p of keyPairs) {
      test(`${k.kind} state, ${p.name}`, () => {
        const b = backend();
        const s = b.getPartitionedState<any>(k.d);
        b.setCurrentKey(...p.a);
        k.write(s, 1);
        const seenByA = k.read(s);
        b.setCurrentKey(...p.b);
        expect(k.read(s)).toEqual(k.empty);
        k.write(s, 2);
        s.clear();
        b.setCurrentKey(...p.a);
        expect(k.read(s)).toEqual(seenByA);
        expect(b.getKeys("s")).toEqual([p.a[0]]);
      });
    }
  }
});

describe("namespaces", () => {
  for (const k of kinds) {
    test(`${k.kind} state: namespaces are isolated from each other and from the default one`, () => {
      const b = backend();
      const s = b.getPartitionedState<any>(k.d);
      b.setCurrentKey("k", 1);
      k.write(s, 1);
      const inDefault = k.read(s);
      b.setCurrentNamespace({ start: 0, end: 10 });
      expect(k.read(s)).toEqual(k.empty);
      k.write(s, 2);
      const inFirst = k.read(s);
      b.setCurrentNamespace({ start: 10, end: 20 });
      expect(k.read(s)).toEqual(k.empty);
      k.write(s, 3);
      s.clear();
      b.setCurrentNamespace({ start: 0, end: 10 }); // an equal object selects the same namespace
      expect(k.read(s)).toEqual(inFirst);
      b.setCurrentNamespace(null);
      expect(k.read(s)).toEqual(inDefault);
      expect(b.getKeys("s")).toEqual(["k"]);
      expect(b.numKeyValueStateEntries()).toBe(2);
    });
  }

  test("getKeys lists only keys with state in the default namespace", () => {
    const b = backend();
    const s = b.getPartitionedState<ValueState<number>>({ name: "s", kind: "value" });
    b.setCurrentKey("a", 1);
    s.update(1);
    b.setCurrentNamespace("w");
    b.setCurrentKey("b", 2);
    s.update(2);
    expect(b.getKeys("s")).toEqual(["a"]);
    expect(b.getKeys("unknown")).toEqual([]);
  });
});

describe("mergeNamespaces", () => {
  const merging: { kind: string; d: StateDescriptorLike; add: (s: any, v: number) => void; read: (s: any) => unknown; expected: unknown }[] = [
    { kind: "list", d: { name: "m", kind: "list" }, add: (s, v) => s.add(v), read: (s) => [...s.get()], expected: [1, 2, 3] },
    { kind: "reducing", d: { name: "m", kind: "reducing", reduceFunction: (a, b) => a + b }, add: (s, v) => s.add(v), read: (s) => s.get(), expected: 6 },
    { kind: "aggregating", d: { name: "m", kind: "aggregating", aggregateFunction: sumAgg }, add: (s, v) => s.add(v), read: (s) => s.get(), expected: 6 },
  ];
  for (const m of merging) {
    test(`${m.kind} state folds the sources into the target`, () => {
      const b = backend();
      const s = b.getPartitionedState<any>(m.d) as InternalMergingState;
      b.setCurrentKey("k", 4);
      [["t", 1], ["s1", 2], ["s2", 3]].forEach(([ns, v]) => (b.setCurrentNamespace(ns), m.add(s, v as number)));
      b.setCurrentNamespace("other");
      s.mergeNamespaces("t", ["s1", "s2", "missing"]);
      expect(b.getCurrentNamespace()).toBe("other");
      b.setCurrentNamespace("t");
      expect(m.read(s)).toEqual(m.expected);
      expect(b.numKeyValueStateEntries()).toBe(1);
    });
  }

  test("aggregating state without merge() is a UserError", () => {
    const b = backend();
    const { merge: _, ...noMerge } = sumAgg;
    const s = b.getPartitionedState<InternalMergingState>({ name: "a", kind: "aggregating", aggregateFunction: noMerge });
    b.setCurrentKey("k", 4);
    expect(() => s.mergeNamespaces("t", ["s"])).toThrow(/has no merge/);
  });
});

describe("stored keys", () => {
  test("composite keys come back as the objects keyed by, and follow removals", () => {
    const b = backend();
    const s = b.getPartitionedState<ValueState<number>>({ name: "s", kind: "value" });
    const tuple = [1, "x"];
    const row = { id: 2, region: "eu" };
    b.setCurrentKey(tuple, 5);
    s.update(1);
    b.setCurrentNamespace("w");
    s.update(2);
    b.setCurrentNamespace(null);
    b.setCurrentKey(row, 5);
    s.update(3);
    expect(b.getKeys("s")[Symbol.iterator]().next().value).toBe(tuple);
    b.setCurrentKey([1, "x"], 5); // an equal tuple is the same key
    s.clear();
    expect([...b.getKeys("s")]).toEqual([row]);
    const entries = b.snapshot().keyGroups[5]!.s!.entries;
    expect(entries).toEqual([[row, null, 3], [tuple, "w", 2]]);
    expect(entries[1]![0]).toBe(tuple);
  });

  test("reading before any key is set finds nothing; writing is an InternalError", () => {
    const b = backend();
    const s = b.getPartitionedState<ValueState<number>>({ name: "s", kind: "value" });
    expect(s.value()).toBeNull();
    expect(() => s.update(1)).toThrow(InternalError);
  });

  test("a reduce function returning undefined clears the state", () => {
    const b = backend();
    const s = b.getPartitionedState<ReducingState<number | undefined>>({ name: "r", kind: "reducing", reduceFunction: () => undefined });
    b.setCurrentKey("k", 1);
    s.add(1);
    s.add(2);
    expect([s.get(), b.numKeyValueStateEntries()]).toEqual([null, 0]);
  });
});

describe("registration", () => {
  test("the same name gives the same state object", () => {
    const b = backend();
    expect(b.getPartitionedState({ name: "x", kind: "value" })).toBe(b.getPartitionedState({ name: "x", kind: "value" }));
  });

  test("re-registering a name with another kind is a UserError naming both kinds", () => {
    const b = backend();
    b.getPartitionedState({ name: "x", kind: "value" });
    expect(() => b.getPartitionedState({ name: "x", kind: "list" })).toThrow(UserError);
    expect(() => b.getPartitionedState({ name: "x", kind: "list" })).toThrow(/"x".*a value state.*a list state/);
  });

  const invalid: { name: string; d: any; message: RegExp }[] = [
    { name: "empty name", d: { name: "", kind: "value" }, message: /non-empty name/ },
    { name: "unknown kind", d: { name: "x", kind: "set" }, message: /unknown kind set/ },
    { name: "reducing without a function", d: { name: "x", kind: "reducing" }, message: /needs a reduce function/ },
    { name: "aggregating without a function", d: { name: "x", kind: "aggregating" }, message: /needs an aggregate function/ },
    { name: "ttl of 0 ms", d: { name: "x", kind: "value", ttlConfig: { ttlMs: 0, updateType: "OnCreateAndWrite", stateVisibility: "NeverReturnExpired" } }, message: /positive number/ },
    { name: "bad ttl update type", d: { name: "x", kind: "value", ttlConfig: { ttlMs: 5, updateType: "Always", stateVisibility: "NeverReturnExpired" } }, message: /updateType/ },
  ];
  for (const c of invalid) {
    test(`${c.name} is a UserError`, () => {
      expect(() => backend().getPartitionedState(c.d)).toThrow(UserError);
      expect(() => backend().getPartitionedState(c.d)).toThrow(c.message);
    });
  }
});

describe("current key", () => {
  test("getCurrentKey and getCurrentKeyGroup", () => {
    const b = new KeyedStateBackend({ start: 10, end: 20 }, 128);
    b.setCurrentKey("k", 12);
    expect([b.getCurrentKey(), b.getCurrentKeyGroup()]).toEqual(["k", 12]);
  });

  for (const kg of [9, 21, -1, 10.5]) {
    test(`key group ${kg} outside [10, 20] is an InternalError`, () => {
      const b = new KeyedStateBackend({ start: 10, end: 20 }, 128);
      expect(() => b.setCurrentKey("k", kg)).toThrow(InternalError);
    });
  }

  test("dispose drops all state", () => {
    const b = backend();
    b.setCurrentKey("k", 1);
    b.getPartitionedState<ValueState<number>>({ name: "v", kind: "value" }).update(1);
    b.dispose();
    expect(b.numKeyValueStateEntries()).toBe(0);
    expect(() => b.getPartitionedState({ name: "v", kind: "value" })).toThrow(InternalError);
  });
});
