/** The operator test harnesses: KeyedProcessFunction timers step by step, output order, side outputs, snapshot and restore (same and other key groups), two inputs. */
import { describe, expect, test } from "bun:test";
import { KeyedCoProcessFunction, KeyedProcessFunction, ProcessFunction } from "../../api/datastream/process-functions.ts";
import type { Collector } from "../../api/functions.ts";
import { OutputTag } from "../../api/output-tag.ts";
import { ValueStateDescriptor } from "../../api/state-descriptors.ts";
import { Types } from "../../types/types.ts";
import { assignToKeyGroup, KeyGroupRange } from "../../types/key-group.ts";
import type { ValueState } from "../../runtime/state/state-types.ts";
import { KeyedOneInputStreamOperatorTestHarness, KeyedTwoInputStreamOperatorTestHarness, OneInputStreamOperatorTestHarness } from "./index.ts";

type Ev = { user: string; n: number };
const LATE = new OutputTag<string>("late");

/**
 * Counts events per user. Each event sets an event-time timer at ts+10 (same ts → one timer) and
 * a processing-time timer at now+100; event-time timers emit "user@ts count=c", processing-time
 * ones "user:idle@t". Events behind the watermark go to the "late" side output.
 */
class CountWithTimers extends KeyedProcessFunction<string, Ev, string> {
  private count!: ValueState<number>;
  override open() {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor("count", Types.INT));
  }
  processElement(e: Ev, ctx: any, out: Collector<string>) {
    const ts = ctx.timestamp() as number;
    if (ts <= ctx.timerService().currentWatermark()) {
      ctx.output(LATE, `${e.user}#${e.n}`);
      return;
    }
    this.count.update((this.count.value() ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(ts + 10);
    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 100);
    out.collect(`seen ${e.user}#${e.n}`);
  }
  override onTimer(ts: number, ctx: any, out: Collector<string>) {
    if (ctx.timeDomain() === "EVENT_TIME") out.collect(`${ctx.getCurrentKey()}@${ts} count=${this.count.value()}`);
    else out.collect(`${ctx.getCurrentKey()}:idle@${ts}`);
  }
}

const byUser = (e: Ev) => e.user;
const keyed = (maxP = 128, p = 1, i = 0) => new KeyedOneInputStreamOperatorTestHarness(new CountWithTimers(), byUser, Types.STRING, maxP, p, i);

describe("KeyedOneInputStreamOperatorTestHarness with a KeyedProcessFunction", () => {
  test("event-time timers: dedup per key and timestamp, timestamp order, output with timestamps and watermarks", async () => {
    const h = keyed();
    await h.open();
    h.processElement({ user: "b", n: 1 }, 5);
    h.processElement({ user: "a", n: 2 }, 3);
    h.processElement({ user: "a", n: 3 }, 3); // same timer a@13
    h.processElement({ user: "b", n: 4 }, 1);
    expect(h.numEventTimeTimers()).toBe(3);
    h.getOutput().length = 0;

    h.processWatermark(12);
    expect(h.getOutput()).toEqual([{ value: "b@11 count=2", timestamp: 11 }, { watermark: 12 }]);
    h.processWatermark(20);
    expect(h.getOutput()).toEqual([{ value: "b@11 count=2", timestamp: 11 }, { watermark: 12 }, { value: "a@13 count=2", timestamp: 13 }, { value: "b@15 count=2", timestamp: 15 }, { watermark: 20 }]);
    expect(h.numEventTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(2);
    await h.close();
  });

  test("processing-time timers fire only when the test moves time, in order, without timestamps", async () => {
    const h = keyed();
    await h.open();
    h.setProcessingTime(10);
    h.processElement({ user: "a", n: 1 }, 1); // timer 110
    h.setProcessingTime(20);
    h.processElement({ user: "b", n: 2 }, 2); // timer 120
    h.processElement({ user: "b", n: 3 }, 3); // timer 120 again: one
    expect(h.numProcessingTimeTimers()).toBe(2);
    h.setProcessingTime(109);
    expect(h.extractOutputValues()).toEqual(["seen a#1", "seen b#2", "seen b#3"]);
    h.setProcessingTime(500);
    expect(h.getOutput().slice(3)).toEqual([{ value: "a:idle@110" }, { value: "b:idle@120" }]);
    expect(h.getProcessingTime()).toBe(500);
    await h.close();
  });

  test("late elements go to the side output; records keep their timestamps", async () => {
    const h = keyed();
    await h.open();
    h.processWatermark(10);
    h.processElement({ user: "a", n: 1 }, 9);
    h.processElement({ user: "a", n: 2 }, 11);
    expect(h.getSideOutput(LATE)).toEqual([{ value: "a#1", timestamp: 9 }]);
    expect(h.getSideOutput("late")).toEqual([{ value: "a#1", timestamp: 9 }]);
    expect(h.getSideOutput("other")).toEqual([]);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: "seen a#2", timestamp: 11 }]);
  });

  test("lifecycle misuse is refused with a clear message", async () => {
    const h = keyed();
    expect(() => h.processElement({ user: "a", n: 1 }, 1)).toThrow(/open harness.*call open\(\) first/);
    await h.open();
    expect(() => h.initializeState()).toThrow(/before open/);
    const other = keyed(128, 2, 0);
    await other.open();
    const foreign = ["a", "b", "c", "d", "e"].find((u) => assignToKeyGroup(u, 128) >= 64)!;
    expect(() => other.processElement({ user: foreign, n: 1 }, 1)).toThrow(/subtask 0 of 2 does not own/);
  });
});

/** The scenario of the snapshot tests: users u0..u9, each with events, watermark and time moves. */
function firstHalf(h: ReturnType<typeof keyed>) {
  h.setProcessingTime(0);
  for (let i = 0; i < 20; i++) h.processElement({ user: `u${i % 10}`, n: i }, 100 + i * 3);
  h.processWatermark(120);
  h.setProcessingTime(50);
}
function secondHalf(h: ReturnType<typeof keyed>) {
  for (let i = 20; i < 30; i++) h.processElement({ user: `u${i % 10}`, n: i }, 100 + i * 3);
  h.processWatermark(150);
  h.setProcessingTime(150);
  h.processWatermark(1000);
}

describe("snapshot and restore", () => {
  test("restoring mid-scenario into a fresh harness continues exactly as the uninterrupted run", async () => {
    const whole = keyed();
    await whole.open();
    firstHalf(whole);
    const before = whole.getOutput().length;
    secondHalf(whole);
    const expected = whole.getOutput().slice(before);

    const first = keyed();
    await first.open();
    firstHalf(first);
    const snapshot = first.snapshot();
    const timersAtSnapshot = [first.numEventTimeTimers(), first.numProcessingTimeTimers(), first.numKeyedStateEntries()];
    expect(timersAtSnapshot).toEqual([16, 10, 10]);
    secondHalf(first); // the snapshot is a copy: this does not change it
    await first.close();

    const restored = keyed();
    restored.initializeState(snapshot);
    await restored.open();
    restored.setProcessingTime(50);
    expect([restored.numEventTimeTimers(), restored.numProcessingTimeTimers(), restored.numKeyedStateEntries()]).toEqual(timersAtSnapshot);
    secondHalf(restored);
    expect(restored.getOutput()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
  });

  test("restoring at parallelism 2 splits keys, state and timers by key group", async () => {
    const whole = keyed();
    await whole.open();
    firstHalf(whole);
    const snapshot = whole.snapshot();
    const before = whole.getOutput().length;
    secondHalf(whole);
    const expected = whole.getOutput().slice(before);

    const outputs: unknown[] = [];
    for (const index of [0, 1]) {
      const range = KeyGroupRange.forOperator(128, 2, index);
      const h = keyed(128, 2, index);
      h.initializeState(snapshot);
      await h.open();
      h.setProcessingTime(50);
      // only this subtask's users, in the same order
      for (let i = 20; i < 30; i++) {
        const user = `u${i % 10}`;
        const kg = assignToKeyGroup(user, 128);
        if (kg >= range.start && kg <= range.end) h.processElement({ user, n: i }, 100 + i * 3);
      }
      h.processWatermark(150);
      h.setProcessingTime(150);
      h.processWatermark(1000);
      for (const e of h.extractOutputStreamRecords()) {
        const user = /^(?:seen )?(u\d)/.exec(String(e.value))![1]!;
        const kg = assignToKeyGroup(user, 128);
        expect(kg >= range.start && kg <= range.end).toBe(true);
        outputs.push(e);
      }
    }
    const records = expected.filter((e) => "value" in e);
    const order = (a: any, b: any) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || String(a.value).localeCompare(String(b.value));
    expect([...outputs].sort(order)).toEqual([...records].sort(order));
    // both halves hold keys: the split is real
    expect(new Set(outputs.map((e: any) => assignToKeyGroup(/(u\d)/.exec(e.value)![1], 128) < 64)).size).toBe(2);
  });

  test("snapshots of two subtasks restore together into one (scale in)", async () => {
    const halves = [0, 1].map((i) => keyed(128, 2, i));
    for (const [i, h] of halves.entries()) {
      await h.open();
      const range = KeyGroupRange.forOperator(128, 2, i);
      for (let u = 0; u < 10; u++) {
        const user = `u${u}`;
        const kg = assignToKeyGroup(user, 128);
        if (kg >= range.start && kg <= range.end) h.processElement({ user, n: u }, 10 * u);
      }
    }
    const merged = keyed();
    merged.initializeState(halves.map((h) => h.snapshot()));
    await merged.open();
    expect(merged.numEventTimeTimers()).toBe(10);
    expect(merged.numKeyedStateEntries()).toBe(10);
    merged.processWatermark(25);
    expect(merged.extractOutputValues()).toEqual(["u0@10 count=1", "u1@20 count=1"]);
  });
});

describe("other harnesses", () => {
  test("OneInputStreamOperatorTestHarness runs a ProcessFunction; a record without timestamp has none", async () => {
    class Upper extends ProcessFunction<string, string> {
      processElement(v: string, ctx: any, out: Collector<string>) {
        out.collect(`${v.toUpperCase()}:${ctx.timestamp()}`);
      }
    }
    const h = new OneInputStreamOperatorTestHarness(new Upper());
    await h.open();
    h.processElement("a", 7);
    h.processElement("b");
    h.processWatermark(9);
    expect(h.getOutput()).toEqual([{ value: "A:7", timestamp: 7 }, { value: "B:null" }, { watermark: 9 }]);
    await h.close();
  });

  test("KeyedTwoInputStreamOperatorTestHarness: the operator sees the minimum watermark of both inputs", async () => {
    class Join extends KeyedCoProcessFunction<string, [string, number], [string, string], string> {
      processElement1(v: [string, number], ctx: any, out: Collector<string>) {
        ctx.timerService().registerEventTimeTimer(v[1]);
        out.collect(`n ${v[0]}=${v[1]}`);
      }
      processElement2(v: [string, string], _ctx: any, out: Collector<string>) {
        out.collect(`s ${v[0]}=${v[1]}`);
      }
      override onTimer(ts: number, ctx: any, out: Collector<string>) {
        out.collect(`timer ${ctx.getCurrentKey()}@${ts}`);
      }
    }
    const h = new KeyedTwoInputStreamOperatorTestHarness(new Join(), (v: [string, number]) => v[0], (v: [string, string]) => v[0]);
    await h.open();
    h.processElement1(["k", 5], 5);
    h.processElement2(["k", "x"], 6);
    h.processWatermark1(10);
    expect(h.getOutput()).toEqual([{ value: "n k=5", timestamp: 5 }, { value: "s k=x", timestamp: 6 }]);
    h.processWatermark2(4);
    h.processWatermark2(8);
    expect(h.getOutput().slice(2)).toEqual([{ watermark: 4 }, { value: "timer k@5", timestamp: 5 }, { watermark: 8 }]);
    h.processBothWatermarks(8); // no advance, nothing emitted
    expect(h.getOutput().length).toBe(5);
  });
});
