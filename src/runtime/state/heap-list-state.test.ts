/** ListState operations, table-driven. */
import { describe, expect, test } from "bun:test";
import { UserError } from "../../core/errors.ts";
import { KeyedStateBackend } from "./keyed-state-backend.ts";
import type { ListState } from "./state-types.ts";

function listState(): ListState<any> {
  const backend = new KeyedStateBackend({ start: 0, end: 127 }, 128);
  backend.setCurrentKey("k", 7);
  return backend.getPartitionedState<ListState<any>>({ name: "l", kind: "list" });
}

const cases: { name: string; run: (s: ListState<any>) => void; expected: unknown[] }[] = [
  { name: "empty state is an empty iterable", run: () => {}, expected: [] },
  { name: "add appends in order", run: (s) => (s.add(1), s.add(2), s.add(3)), expected: [1, 2, 3] },
  { name: "addAll appends", run: (s) => (s.add(1), s.addAll([2, 3])), expected: [1, 2, 3] },
  { name: "addAll on empty state", run: (s) => s.addAll([4, 5]), expected: [4, 5] },
  { name: "addAll([]) is a no-op", run: (s) => (s.add(1), s.addAll([])), expected: [1] },
  { name: "update replaces", run: (s) => (s.add(1), s.update([7, 8])), expected: [7, 8] },
  { name: "update([]) clears", run: (s) => (s.add(1), s.update([])), expected: [] },
  { name: "clear empties", run: (s) => (s.addAll([1, 2]), s.clear()), expected: [] },
  { name: "duplicates and falsy values are kept", run: (s) => s.addAll([0, 0, "", false]), expected: [0, 0, "", false] },
  {
    name: "update copies the caller's array",
    run: (s) => {
      const mine = [1, 2];
      s.update(mine);
      mine.push(3);
    },
    expected: [1, 2],
  },
];

const nullCases: { name: string; run: (s: ListState<any>) => void }[] = [
  { name: "add(null)", run: (s) => s.add(null) },
  { name: "add(undefined)", run: (s) => s.add(undefined) },
  { name: "addAll with a null element", run: (s) => s.addAll([1, null]) },
  { name: "update with an undefined element", run: (s) => s.update([undefined]) },
];

describe("HeapListState", () => {
  for (const c of cases) {
    test(c.name, () => {
      const s = listState();
      c.run(s);
      expect([...s.get()]).toEqual(c.expected);
    });
  }
  for (const c of nullCases) {
    test(`${c.name} is a UserError and changes nothing`, () => {
      const s = listState();
      s.add("before");
      expect(() => c.run(s)).toThrow(UserError);
      expect([...s.get()]).toEqual(["before"]);
    });
  }
});
