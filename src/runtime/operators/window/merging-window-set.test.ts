/** MergingWindowSet: which windows merge, which state window survives, what the merge callback sees, persistence. */
import { describe, expect, test } from "bun:test";
import { KeyedStateBackend } from "../../state/keyed-state-backend.ts";
import type { ListState } from "../../state/state-types.ts";
import { MergingWindowSet } from "./merging-window-set.ts";
import { EventTimeSessionWindows } from "./session-window-assigners.ts";
import { TimeWindow } from "./windows.ts";

type Pair = [TimeWindow, TimeWindow];
const w = (start: number, end: number) => new TimeWindow(start, end);
const span = (x: TimeWindow | undefined) => (x === undefined ? undefined : [x.start, x.end]);
const spans = (xs: readonly TimeWindow[]) => xs.map((x) => [x.start, x.end]).sort((a, b) => a[0]! - b[0]!);

function setup() {
  const backend = new KeyedStateBackend({ start: 0, end: 0 }, 1);
  backend.setCurrentKey("k", 0);
  const state = backend.getPartitionedState<ListState<Pair>>({ name: "merging-window-set", kind: "list" });
  const assigner = EventTimeSessionWindows.withGap(10);
  const merges: { result: number[]; merged: number[][]; stateResult: number[]; mergedState: number[][] }[] = [];
  const fresh = () => new MergingWindowSet<TimeWindow>(assigner, state);
  const add = (set: MergingWindowSet<TimeWindow>, win: TimeWindow) =>
    set.addWindow(win, (result, merged, stateResult, mergedState) => merges.push({ result: span(result)!, merged: spans(merged), stateResult: span(stateResult)!, mergedState: spans(mergedState) }));
  return { backend, state, fresh, add, merges };
}

describe("MergingWindowSet", () => {
  test("windows that do not touch stay apart, each its own state window", () => {
    const { fresh, add, merges } = setup();
    const set = fresh();
    expect(span(add(set, w(0, 10)))).toEqual([0, 10]);
    expect(span(add(set, w(11, 21)))).toEqual([11, 21]);
    expect(merges).toEqual([]);
    expect(span(set.getStateWindow(w(0, 10)))).toEqual([0, 10]);
    expect(span(set.getStateWindow(w(11, 21)))).toEqual([11, 21]);
    expect(spans(set.windows())).toEqual([[0, 10], [11, 21]]);
  });

  test("an overlapping window merges; the existing window's state window is kept", () => {
    const { fresh, add, merges } = setup();
    const set = fresh();
    add(set, w(0, 10));
    expect(span(add(set, w(5, 15)))).toEqual([0, 15]);
    expect(merges).toEqual([{ result: [0, 15], merged: [[0, 10]], stateResult: [0, 10], mergedState: [] }]);
    expect(span(set.getStateWindow(w(0, 15)))).toEqual([0, 10]);
    expect(set.getStateWindow(w(0, 10))).toBeUndefined();
  });

  test("touching windows merge", () => {
    const { fresh, add, merges } = setup();
    const set = fresh();
    add(set, w(0, 10));
    expect(span(add(set, w(10, 20)))).toEqual([0, 20]);
    expect(merges.length).toBe(1);
  });

  test("a window inside an existing one merges nothing and returns the existing window", () => {
    const { fresh, add, merges } = setup();
    const set = fresh();
    add(set, w(0, 10));
    add(set, w(5, 15));
    merges.length = 0;
    expect(span(add(set, w(3, 13)))).toEqual([0, 15]);
    expect(merges).toEqual([]);
    expect(span(set.getStateWindow(w(0, 15)))).toEqual([0, 10]);
  });

  test("a window bridging two sessions merges all three; the other state window is folded in", () => {
    const { fresh, add, merges } = setup();
    const set = fresh();
    add(set, w(0, 10));
    add(set, w(20, 30));
    expect(span(add(set, w(8, 22)))).toEqual([0, 30]);
    expect(merges).toEqual([{ result: [0, 30], merged: [[0, 10], [20, 30]], stateResult: [0, 10], mergedState: [[20, 30]] }]);
    expect(spans(set.windows())).toEqual([[0, 30]]);
  });

  test("a window equal to a merged one keeps the merged window's state window", () => {
    const { fresh, add } = setup();
    const set = fresh();
    add(set, w(0, 10));
    add(set, w(5, 15));
    expect(span(add(set, w(0, 15)))).toEqual([0, 15]);
    expect(span(set.getStateWindow(w(0, 15)))).toEqual([0, 10]);
  });

  test("persist writes the mapping to the key's list state; a new set reads it back", () => {
    const { fresh, add, state } = setup();
    const set = fresh();
    add(set, w(0, 10));
    add(set, w(5, 15));
    add(set, w(40, 50));
    expect([...state.get()]).toEqual([]);
    set.persist();
    const again = fresh();
    expect(spans(again.windows())).toEqual([[0, 15], [40, 50]]);
    expect(span(again.getStateWindow(w(0, 15)))).toEqual([0, 10]);
    again.retireWindow(w(0, 15));
    again.retireWindow(w(40, 50));
    again.persist();
    expect([...state.get()]).toEqual([]);
  });

  test("state restored as plain { start, end } data still matches windows", () => {
    const { fresh, state } = setup();
    state.update([[{ start: 0, end: 15 }, { start: 0, end: 10 }] as unknown as Pair]);
    const set = fresh();
    expect(span(set.getStateWindow(w(0, 15)))).toEqual([0, 10]);
    expect(set.getStateWindow(w(0, 15))).toBeInstanceOf(TimeWindow);
  });

  test("retiring a window that is not in flight is an internal error", () => {
    const { fresh } = setup();
    expect(() => fresh().retireWindow(w(0, 1))).toThrow("not in the in-flight window set");
  });
});
