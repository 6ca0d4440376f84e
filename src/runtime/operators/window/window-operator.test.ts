/** WindowOperator step by step: firing, timestamps, lateness and side output, cleanup, merging sessions, snapshots. */
import { describe, expect, test } from "bun:test";
import { MAX_WATERMARK } from "../../../core/stream-element.ts";
import type { ValueState } from "../../state/state-types.ts";
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from "./session-window-assigners.ts";
import { SlidingEventTimeWindows, TumblingEventTimeWindows, TumblingProcessingTimeWindows } from "./time-window-assigners.ts";
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from "./trigger.ts";
import { ContinuousEventTimeTrigger, CountTrigger, PurgingTrigger } from "./triggers.ts";
import { GlobalWindows, type WindowAssigner } from "./window-assigner.ts";
import type { InternalWindowFunction, WindowContents } from "./window-function.ts";
import { WindowOperator } from "./window-operator.ts";
import { windowFn, WindowTestDriver } from "./window-test-driver.ts";
import type { TimeWindow } from "./windows.ts";

type Ev = [string, number]; // [key, value]
const byKey = (e: Ev) => e[0];
const sumReduce: WindowContents = { kind: "reduce", reduce: (a: Ev, b: Ev) => [a[0], a[1] + b[1]] };
const LATE = "late";

/** Emits "key [start,end) value" for the reduced or listed contents. */
const describeFn = windowFn((key, w: TimeWindow, input) => `${key} [${w.start},${w.end}) ${Array.isArray(input[0]) ? input.map((e: Ev) => e[1]).join("+") : input[1]}`);

function driver(opts: { assigner: WindowAssigner; contents?: WindowContents; fn?: InternalWindowFunction; lateness?: number; trigger?: Trigger; late?: boolean }, now = 0) {
  const op = new WindowOperator({
    assigner: opts.assigner,
    trigger: opts.trigger ?? opts.assigner.getDefaultTrigger(),
    allowedLateness: opts.lateness ?? 0,
    lateDataTag: opts.late ? LATE : undefined,
    contents: opts.contents ?? sumReduce,
    fn: opts.fn ?? describeFn,
  });
  return new WindowTestDriver(op, byKey, [], now);
}

describe("tumbling event-time windows", () => {
  test("fire when the watermark reaches end - 1, timestamped end - 1, before the watermark; state is then gone", async () => {
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10) }).open();
    d.element(["a", 1], 1).element(["a", 2], 9).element(["b", 5], 3).element(["a", 7], 10).element(["a", 1], -1);
    expect(d.take()).toEqual([]);
    d.watermark(-2);
    expect(d.take()).toEqual(["wm:-2"]);
    d.watermark(8);
    expect(d.take()).toEqual([["a [-10,0) 1", -1], "wm:8"]);
    d.watermark(9);
    expect(d.take()).toEqual([["a [0,10) 3", 9], ["b [0,10) 5", 9], "wm:9"]);
    d.watermark(MAX_WATERMARK);
    expect(d.take()).toEqual([["a [10,20) 7", 19], `wm:${MAX_WATERMARK}`]);
    expect(d.stateEntries()).toBe(0);
    expect(d.timers()).toBe(0);
  });

  test("late elements are dropped, or go to the side output, with their own timestamps", async () => {
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10), late: true }).open();
    d.watermark(9).element(["a", 1], 5).element(["a", 2], 10);
    expect(d.side.get(LATE)).toEqual([[["a", 1], 5]]);
    d.watermark(19);
    expect(d.take()).toEqual(["wm:9", ["a [10,20) 2", 19], "wm:19"]);
  });

  test("allowed lateness: a late element re-fires the window at once; cleanup at end - 1 + lateness", async () => {
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10), lateness: 5, late: true }).open();
    d.element(["a", 1], 2).watermark(9);
    expect(d.take()).toEqual([["a [0,10) 1", 9], "wm:9"]);
    d.watermark(12).element(["a", 10], 3);
    expect(d.take()).toEqual(["wm:12", ["a [0,10) 11", 9]]);
    d.watermark(13).element(["a", 100], 4);
    expect(d.take()).toEqual(["wm:13", ["a [0,10) 111", 9]]);
    expect(d.stateEntries()).toBe(1);
    d.watermark(14); // cleanup time 9 + 5
    expect(d.take()).toEqual(["wm:14"]);
    expect(d.stateEntries()).toBe(0);
    expect(d.timers()).toBe(0);
    d.element(["a", 1000], 5); // 5 + 5 <= 14: late
    expect(d.take()).toEqual([]);
    expect(d.side.get(LATE)).toEqual([[["a", 1000], 5]]);
  });

  /** An aggregate function as a class instance: methods on the prototype, using `this`. */
  class SumAgg {
    readonly zero = 0;
    createAccumulator() {
      return this.zero;
    }
    add(e: Ev, acc: number) {
      return acc + e[1];
    }
    getResult(acc: number) {
      return ["", acc];
    }
  }
  const contentsKinds: [string, WindowContents][] = [
    ["reduce", sumReduce],
    ["aggregate", { kind: "aggregate", aggregate: new SumAgg() }],
    ["list", { kind: "list" }],
  ];
  test.each(contentsKinds)("%s contents: a window's later elements keep its one timer, also through a snapshot and with lateness", async (_kind, contents) => {
    const make = (snaps: ReturnType<WindowTestDriver["snapshot"]>[] = []) =>
      new WindowTestDriver(new WindowOperator({ assigner: TumblingEventTimeWindows.of(10), trigger: TumblingEventTimeWindows.of(10).getDefaultTrigger(), allowedLateness: 5, contents, fn: describeFn }), byKey, snaps);
    const d = await make().open();
    d.element(["a", 1], 1).element(["a", 2], 2).element(["b", 4], 3).element(["a", 8], 12);
    expect(d.timers()).toBe(6); // end and cleanup timer of (a,[0,10)), (b,[0,10)), (a,[10,20))
    const r = await make([d.snapshot()]).open();
    r.element(["a", 16], 4).element(["b", 32], 5);
    expect(r.timers()).toBe(6);
    r.watermark(9);
    const total = (x: string) => x.split(" ").pop()!.split("+").reduce((n, v) => n + Number(v), 0);
    const fired = r.take().map((e) => (typeof e === "string" ? e : `${String(e[0]).split(" ").slice(0, 2).join(" ")} ${total(String(e[0]))}`));
    expect(fired).toEqual(["a [0,10) 19", "b [0,10) 36", "wm:9"]);
    r.element(["a", 64], 6); // late but within lateness: fires again at once, no timer of the trigger's
    expect(r.take().map((e) => (typeof e === "string" ? e : total(String(e[0]))))).toEqual([83]);
    r.watermark(MAX_WATERMARK);
    expect(r.stateEntries()).toBe(0);
    expect(r.timers()).toBe(0);
  });

  test("no cleanup timer when end - 1 + lateness passes the end of time", async () => {
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10), lateness: MAX_WATERMARK }).open();
    d.element(["a", 1], 2);
    expect(d.timers()).toBe(1); // only the trigger's timer at 9
    d.watermark(MAX_WATERMARK);
    expect(d.take()).toEqual([["a [0,10) 1", 9], `wm:${MAX_WATERMARK}`]);
    expect(d.stateEntries()).toBe(1); // never cleaned up
  });
});

describe("sliding event-time windows", () => {
  test("an element counts in every window it is in; windows fire in end order", async () => {
    const d = await driver({ assigner: SlidingEventTimeWindows.of(10, 5) }).open();
    d.element(["a", 1], 3).element(["a", 2], 7).element(["a", 4], 12);
    d.watermark(MAX_WATERMARK);
    expect(d.take().slice(0, -1)).toEqual([
      ["a [-5,5) 1", 4],
      ["a [0,10) 3", 9],
      ["a [5,15) 6", 14],
      ["a [10,20) 4", 19],
    ]);
  });

  test("an element goes to the late side output only when every one of its windows is late", async () => {
    const d = await driver({ assigner: SlidingEventTimeWindows.of(10, 5), late: true }).open();
    d.watermark(10).element(["a", 1], 7); // [0,10) late, [5,15) not
    expect(d.side.get(LATE)).toBeUndefined();
    d.element(["a", 2], 4); // [-5,5) and [0,10) both late
    expect(d.side.get(LATE)).toEqual([[["a", 2], 4]]);
    d.watermark(20);
    expect(d.take()).toEqual(["wm:10", ["a [5,15) 1", 14], "wm:20"]);
  });
});

describe("session windows", () => {
  test("sessions merge when windows overlap or touch; contents and timers follow the merged window", async () => {
    const d = await driver({ assigner: EventTimeSessionWindows.withGap(3) }).open();
    d.element(["a", 1], 1).element(["a", 10], 7).element(["b", 5], 4);
    expect(d.timers()).toBe(3);
    d.element(["a", 100], 4); // [4,7) touches [1,4) and [7,10): one session [1,10)
    expect(d.timers()).toBe(2);
    d.watermark(6);
    expect(d.take()).toEqual([["b [4,7) 5", 6], "wm:6"]);
    d.element(["a", 1000], 9);
    d.watermark(20);
    expect(d.take()).toEqual([["a [1,12) 1111", 11], "wm:20"]);
    expect(d.stateEntries()).toBe(0);
    expect(d.timers()).toBe(0);
  });

  test("dynamic gaps; a late element does not revive a finished session", async () => {
    const d = await driver({ assigner: EventTimeSessionWindows.withDynamicGap((e: Ev) => e[1]), late: true }).open();
    d.element(["a", 2], 0).element(["a", 5], 3); // [0,2) and [3,8)
    d.watermark(2);
    expect(d.take()).toEqual([["a [0,2) 2", 1], "wm:2"]);
    d.element(["a", 1], 0); // [0,1): late
    expect(d.side.get(LATE)).toEqual([[["a", 1], 0]]);
    d.watermark(10);
    expect(d.take()).toEqual([["a [3,8) 5", 7], "wm:10"]);
  });

  test("aggregate contents merge with the aggregate function's merge", async () => {
    const avg: WindowContents = {
      kind: "aggregate",
      aggregate: {
        createAccumulator: () => [0, 0],
        add: (e: Ev, acc: number[]) => [acc[0]! + e[1], acc[1]! + 1],
        getResult: (acc: number[]) => acc[0]! / acc[1]!,
        merge: (x: number[], y: number[]) => [x[0]! + y[0]!, x[1]! + y[1]!],
      },
    };
    const d = await driver({ assigner: EventTimeSessionWindows.withGap(5), contents: avg, fn: windowFn((k, w, v) => `${k} ${w.start}-${w.end} ${v}`) }).open();
    d.element(["a", 1], 0).element(["a", 3], 20).element(["a", 8], 10).element(["a", 4], 15);
    d.watermark(100);
    expect(d.take()).toEqual([["a 0-5 1", 4], ["a 10-25 5", 24], "wm:100"]);
  });

  test("session contents survive a snapshot (windows restored as plain data) and keep merging", async () => {
    const d = await driver({ assigner: EventTimeSessionWindows.withGap(3) }).open();
    d.element(["a", 1], 1).element(["a", 2], 3).element(["b", 7], 10);
    const snap = d.snapshot();
    const op = new WindowOperator({ assigner: EventTimeSessionWindows.withGap(3), trigger: EventTimeSessionWindows.withGap(3).getDefaultTrigger(), allowedLateness: 0, contents: sumReduce, fn: describeFn });
    const r = await new WindowTestDriver(op, byKey, [snap]).open();
    r.element(["a", 4], 5); // [5,8) touches [1,6)
    r.watermark(100);
    expect(r.take()).toEqual([["a [1,8) 7", 7], ["b [10,13) 7", 12], "wm:100"]);
    expect(r.stateEntries()).toBe(0);
  });

  test("processing-time sessions fire by the clock", async () => {
    const d = await driver({ assigner: ProcessingTimeSessionWindows.withGap(10) }, 100).open();
    d.element(["a", 1]).setProcessingTime(105).element(["a", 2]);
    d.setProcessingTime(113);
    expect(d.take()).toEqual([]);
    d.setProcessingTime(114);
    expect(d.take()).toEqual([["a [100,115) 3", 114]]);
    expect(d.stateEntries()).toBe(0);
  });
});

describe("triggers in the operator", () => {
  test("processing-time tumbling windows fire when the clock passes their end", async () => {
    const d = await driver({ assigner: TumblingProcessingTimeWindows.of(10) }, 3).open();
    d.element(["a", 1]).element(["a", 2]).setProcessingTime(12).element(["a", 4]);
    expect(d.take()).toEqual([["a [0,10) 3", 9]]);
    d.setProcessingTime(20);
    expect(d.take()).toEqual([["a [10,20) 4", 19]]);
    expect(d.timers()).toBe(0);
  });

  test("count windows on GlobalWindows: PurgingTrigger(CountTrigger) fires every n, timestamped MAX_WATERMARK", async () => {
    const list: WindowContents = { kind: "list" };
    const d = await driver({ assigner: GlobalWindows.create(), trigger: PurgingTrigger.of(CountTrigger.of(2)), contents: list, fn: windowFn((k, _w, input: Ev[]) => `${k} ${input.map((e) => e[1]).join(",")}`) }).open();
    d.element(["a", 1]).element(["b", 2]).element(["a", 3]).element(["a", 4]).element(["b", 5]).element(["a", 6]);
    expect(d.take()).toEqual([["a 1,3", MAX_WATERMARK], ["b 2,5", MAX_WATERMARK], ["a 4,6", MAX_WATERMARK]]);
    d.watermark(MAX_WATERMARK);
    expect(d.take()).toEqual([`wm:${MAX_WATERMARK}`]);
  });

  test("CountTrigger without purging keeps the contents and fires again", async () => {
    const d = await driver({ assigner: GlobalWindows.create(), trigger: CountTrigger.of(2) }).open();
    for (const v of [1, 2, 3, 4]) d.element(["a", v]);
    expect(d.take().map((e) => (e as [string, number])[0])).toEqual(["a [undefined,undefined) 3", "a [undefined,undefined) 10"]);
  });

  test("ContinuousEventTimeTrigger fires every interval and at the window's end", async () => {
    const d = await driver({ assigner: TumblingEventTimeWindows.of(100), trigger: ContinuousEventTimeTrigger.of(30) }).open();
    d.element(["a", 1], 5).watermark(29);
    expect(d.take()).toEqual(["wm:29"]);
    d.watermark(30);
    expect(d.take()).toEqual([["a [0,100) 1", 99], "wm:30"]);
    d.element(["a", 2], 40).watermark(99);
    expect(d.take()).toEqual([["a [0,100) 3", 99], ["a [0,100) 3", 99], ["a [0,100) 3", 99], "wm:99"]);
    expect(d.stateEntries()).toBe(0);
    expect(d.timers()).toBe(0);
  });

  test("a custom trigger with partitioned state that merges (fires on the 3rd element of a session)", async () => {
    const seen = { name: "seen", kind: "reducing" as const, reduceFunction: (a: number, b: number) => a + b };
    class ThirdElement extends Trigger<Ev, TimeWindow> {
      onElement(_e: Ev, _ts: number, w: TimeWindow, ctx: TriggerContext): TriggerResult {
        const s = ctx.getPartitionedState<{ add(n: number): void; get(): number | null }>(seen);
        s.add(1);
        ctx.registerEventTimeTimer(w.maxTimestamp());
        return s.get() === 3 ? TriggerResult.FIRE : TriggerResult.CONTINUE;
      }
      onEventTime(time: number, w: TimeWindow): TriggerResult {
        return time === w.maxTimestamp() ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE;
      }
      onProcessingTime(): TriggerResult {
        return TriggerResult.CONTINUE;
      }
      override canMerge(): boolean {
        return true;
      }
      override onMerge(w: TimeWindow, ctx: OnMergeContext): void {
        ctx.mergePartitionedState(seen);
        ctx.registerEventTimeTimer(w.maxTimestamp());
      }
      override clear(w: TimeWindow, ctx: TriggerContext): void {
        ctx.getPartitionedState<{ clear(): void }>(seen).clear();
        ctx.deleteEventTimeTimer(w.maxTimestamp());
      }
    }
    const d = await driver({ assigner: EventTimeSessionWindows.withGap(5), trigger: new ThirdElement() }).open();
    d.element(["a", 1], 0).element(["a", 2], 20).element(["a", 4], 10); // [10,15) between: no merge yet
    expect(d.take()).toEqual([]);
    d.element(["a", 8], 5); // [5,10) touches [0,5) and [10,15): the merged count is 1 + 1 + 1
    expect(d.take()).toEqual([["a [0,15) 13", 14]]);
    d.watermark(100);
    expect(d.take()).toEqual([["a [0,15) 13", 14], ["a [20,25) 2", 24], "wm:100"]);
    expect(d.stateEntries()).toBe(0);
    expect(d.timers()).toBe(0);
  });

  test("a merging assigner refuses a trigger that cannot merge", () => {
    class NoMerge extends Trigger {
      onElement() {
        return TriggerResult.CONTINUE;
      }
      onEventTime() {
        return TriggerResult.CONTINUE;
      }
      onProcessingTime() {
        return TriggerResult.CONTINUE;
      }
    }
    expect(() => driver({ assigner: EventTimeSessionWindows.withGap(5), trigger: new NoMerge() })).toThrow("does not support merging");
  });
});

describe("process window function context", () => {
  test("per-window state is per window and cleared with clear(); global state spans windows", async () => {
    const count = { name: "fires", kind: "value" as const };
    const total = { name: "total", kind: "value" as const };
    const fn = windowFn(
      (_k, w: TimeWindow, input: Ev, ctx) => {
        const perWindow = ctx.windowState().getState(count) as ValueState<number>;
        const global = ctx.globalState().getState(total) as ValueState<number>;
        perWindow.update((perWindow.value() ?? 0) + 1);
        global.update((global.value() ?? 0) + input[1]);
        ctx.output("side", `${w.start}`);
        return `${w.start}: fire ${perWindow.value()} total ${global.value()}`;
      },
      (_w, ctx) => (ctx.windowState().getState(count) as ValueState<number>).clear(),
    );
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10), lateness: 10, fn }).open();
    d.element(["a", 1], 1).watermark(9).element(["a", 2], 2).element(["a", 5], 12).watermark(19);
    expect(d.take()).toEqual([["0: fire 1 total 1", 9], "wm:9", ["0: fire 2 total 4", 9], ["10: fire 1 total 9", 19], "wm:19"]);
    expect(d.side.get("side")).toEqual([["0", 9], ["0", 9], ["10", 19]]);
    d.watermark(100);
    expect(d.stateEntries()).toBe(1); // only the global "total"
  });

  test("RuntimeContext state in the window function is per key, not per window", async () => {
    let rc: { getState(d: object): ValueState<number> } | undefined;
    const lifecycle = { open: (ctx: typeof rc) => void (rc = ctx) };
    const fn: InternalWindowFunction = {
      process: (key, w, _ctx, input: Ev, out) => {
        const seen = rc!.getState({ name: "seen", kind: "value" });
        seen.update((seen.value() ?? 0) + input[1]);
        out.collect(`${key} ${(w as TimeWindow).start} ${seen.value()}`);
      },
      clear: () => {},
      lifecycles: [lifecycle as never],
      label: "test",
    };
    const d = await driver({ assigner: TumblingEventTimeWindows.of(10), fn }).open();
    d.element(["a", 1], 1).element(["a", 2], 12).element(["b", 4], 13).watermark(100);
    expect(d.take()).toEqual([["a 0 1", 9], ["a 10 3", 19], ["b 10 4", 19], "wm:100"]);
  });
});
