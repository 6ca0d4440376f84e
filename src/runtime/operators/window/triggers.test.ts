/** The built-in triggers against a recording context: results, timers set and deleted, state, merging. */
import { describe, expect, test } from "bun:test";
import { MIN_WATERMARK } from "../../../core/stream-element.ts";
import { KeyedStateBackend } from "../../state/keyed-state-backend.ts";
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import type { InternalMergingState } from "../../state/state-types.ts";
import { TriggerResult, type OnMergeContext, type Trigger } from "./trigger.ts";
import { ContinuousEventTimeTrigger, CountTrigger, EventTimeTrigger, NeverTrigger, ProcessingTimeTrigger, PurgingTrigger } from "./triggers.ts";
import { TimeWindow, type Window } from "./windows.ts";

/** A TriggerContext over a real backend; timers are recorded as "event:ts@start" / "proc:ts@start". */
class RecordingContext implements OnMergeContext {
  watermark = MIN_WATERMARK;
  now = 0;
  window: Window = new TimeWindow(0, 10);
  merged: Window[] = [];
  readonly timers = new Set<string>();
  readonly backend = new KeyedStateBackend({ start: 0, end: 0 }, 1);
  constructor() {
    this.backend.setCurrentKey("k", 0);
  }
  private id(kind: string, ts: number) {
    return `${kind}:${ts}@${(this.window as TimeWindow).start}`;
  }
  getCurrentProcessingTime() {
    return this.now;
  }
  getCurrentWatermark() {
    return this.watermark;
  }
  registerProcessingTimeTimer(t: number) {
    this.timers.add(this.id("proc", t));
  }
  registerEventTimeTimer(t: number) {
    this.timers.add(this.id("event", t));
  }
  deleteProcessingTimeTimer(t: number) {
    this.timers.delete(this.id("proc", t));
  }
  deleteEventTimeTimer(t: number) {
    this.timers.delete(this.id("event", t));
  }
  getPartitionedState<S>(d: StateDescriptorLike): S {
    this.backend.setCurrentNamespace(this.window);
    return this.backend.getPartitionedState<S>(d);
  }
  mergePartitionedState(d: StateDescriptorLike) {
    this.backend.getPartitionedState<InternalMergingState>(d).mergeNamespaces(this.window, this.merged);
  }
  at(window: TimeWindow): this {
    this.window = window;
    this.backend.setCurrentNamespace(window);
    return this;
  }
}

const W = new TimeWindow(0, 10);
const r = (t: TriggerResult) => t.toString();

describe("EventTimeTrigger", () => {
  const t = EventTimeTrigger.create();
  test("registers a timer at maxTimestamp and fires on it; fires at once for a window the watermark passed", () => {
    const c = new RecordingContext();
    expect(r(t.onElement(null, 3, W, c))).toBe("CONTINUE");
    expect([...c.timers]).toEqual(["event:9@0"]);
    expect(r(t.onEventTime(8, W, c))).toBe("CONTINUE");
    expect(r(t.onEventTime(9, W, c))).toBe("FIRE");
    expect(r(t.onProcessingTime(9, W))).toBe("CONTINUE");
    c.watermark = 9;
    expect(r(t.onElement(null, 3, W, c))).toBe("FIRE");
    t.clear(W, c);
    expect([...c.timers]).toEqual([]);
  });
  test("onMerge re-registers only while the merged window is ahead of the watermark", () => {
    const c = new RecordingContext();
    c.watermark = 20;
    t.onMerge(new TimeWindow(0, 21), c.at(new TimeWindow(0, 21)));
    expect([...c.timers]).toEqual([]);
    t.onMerge(new TimeWindow(0, 22), c.at(new TimeWindow(0, 22)));
    expect([...c.timers]).toEqual(["event:21@0"]);
  });
});

describe("ProcessingTimeTrigger", () => {
  test("registers at maxTimestamp, fires on processing time only; onMerge against the clock", () => {
    const t = ProcessingTimeTrigger.create();
    const c = new RecordingContext();
    expect(r(t.onElement(null, 0, W, c))).toBe("CONTINUE");
    expect([...c.timers]).toEqual(["proc:9@0"]);
    expect(r(t.onEventTime())).toBe("CONTINUE");
    expect(r(t.onProcessingTime())).toBe("FIRE");
    t.clear(W, c);
    c.now = 9;
    t.onMerge(W, c);
    expect([...c.timers]).toEqual([]);
  });
});

describe("CountTrigger", () => {
  test("fires every n elements per window, counting in trigger state", () => {
    const t = CountTrigger.of(3);
    const c = new RecordingContext();
    const W2 = new TimeWindow(10, 20);
    const results = [W, W, W2, W, W, W2, W2].map((w) => r(t.onElement(null, 0, w, c.at(w))));
    expect(results).toEqual(["CONTINUE", "CONTINUE", "CONTINUE", "FIRE", "CONTINUE", "CONTINUE", "FIRE"]);
    t.clear(W, c.at(W));
    expect(c.backend.numKeyValueStateEntries()).toBe(0);
    expect(() => CountTrigger.of(0)).toThrow("positive integer");
  });
  test("merged windows add up their counts", () => {
    const t = CountTrigger.of(3);
    const c = new RecordingContext();
    const [a, b, m] = [new TimeWindow(0, 5), new TimeWindow(6, 10), new TimeWindow(0, 10)];
    t.onElement(null, 0, a, c.at(a));
    t.onElement(null, 0, b, c.at(b));
    c.merged = [a, b];
    t.onMerge(m, c.at(m));
    expect(r(t.onElement(null, 0, m, c.at(m)))).toBe("FIRE");
  });
});

describe("PurgingTrigger", () => {
  test("turns FIRE into FIRE_AND_PURGE and delegates everything else", () => {
    const t = PurgingTrigger.of(CountTrigger.of(2));
    const c = new RecordingContext();
    expect(r(t.onElement(null, 0, W, c))).toBe("CONTINUE");
    expect(r(t.onElement(null, 0, W, c))).toBe("FIRE_AND_PURGE");
    expect(t.canMerge()).toBe(true);
    expect(String(t)).toBe("PurgingTrigger(CountTrigger(2))");
    const e = PurgingTrigger.of(EventTimeTrigger.create());
    expect(r(e.onEventTime(9, W, c))).toBe("FIRE_AND_PURGE");
    expect(r(e.onEventTime(8, W, c))).toBe("CONTINUE");
  });
});

describe("ContinuousEventTimeTrigger", () => {
  test("first fire at the next multiple of the interval after the element, then every interval, capped at maxTimestamp", () => {
    const t = ContinuousEventTimeTrigger.of(4);
    const c = new RecordingContext();
    expect(r(t.onElement(null, 1, W, c))).toBe("CONTINUE");
    expect([...c.timers].sort()).toEqual(["event:4@0", "event:9@0"]);
    expect(r(t.onElement(null, 2, W, c))).toBe("CONTINUE"); // already scheduled
    expect(r(t.onEventTime(4, W, c))).toBe("FIRE");
    expect(c.timers.has("event:8@0")).toBe(true);
    expect(r(t.onEventTime(8, W, c))).toBe("FIRE");
    expect(c.timers.has("event:9@0")).toBe(true); // min(12, 9)
    expect(r(t.onEventTime(9, W, c))).toBe("FIRE");
    t.clear(W, c);
    expect(c.backend.numKeyValueStateEntries()).toBe(0);
  });
  test("Flink's Java remainder for negative timestamps", () => {
    const t = ContinuousEventTimeTrigger.of(4);
    const c = new RecordingContext();
    const w = new TimeWindow(-10, 0);
    t.onElement(null, -5, w, c.at(w)); // -5 - (-5 % 4) = -4; next -4 + 4 = 0 -> capped at -1
    expect([...c.timers].sort()).toEqual(["event:-1@-10"]);
  });
});

describe("NeverTrigger", () => {
  test("never fires", () => {
    const t: Trigger = NeverTrigger.create();
    const c = new RecordingContext();
    expect([t.onElement(null, 0, W, c), t.onEventTime(9, W, c), t.onProcessingTime(9, W, c)].map(r)).toEqual(["CONTINUE", "CONTINUE", "CONTINUE"]);
  });
});

test("TriggerResult flags", () => {
  expect([TriggerResult.CONTINUE, TriggerResult.FIRE, TriggerResult.PURGE, TriggerResult.FIRE_AND_PURGE].map((x) => [x.isFire(), x.isPurge()])).toEqual([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]);
});
