/** The interval join operator step by step: Flink's bounds, result timestamps, late data, state cleanup by timers. */
import { describe, expect, test } from "bun:test";
import { KeyedTwoInputStreamOperatorTestHarness } from "../../libs/testing/index.ts";
import { IntervalJoinOperator, type IntervalJoinOptions } from "../../runtime/operators/stream/interval-join-operator.ts";
import { Types } from "../../types/types.ts";
import type { Collector } from "../functions.ts";
import { ProcessJoinFunction, type ProcessJoinFunctionContext } from "./interval-join.ts";

type L = { k: string; l: number };
type R = { k: string; r: number };

/** Emits "l<->r @left/right" for each pair. */
class Pairs extends ProcessJoinFunction<L, R, string> {
  opened = false;
  override open() {
    this.opened = this.getRuntimeContext().getIndexOfThisSubtask() === 0;
  }
  processElement(left: L, right: R, ctx: ProcessJoinFunctionContext, out: Collector<string>) {
    out.collect(`${left.l}<->${right.r} @${ctx.getLeftTimestamp()}/${ctx.getRightTimestamp()}`);
  }
}

function harness(options: Partial<IntervalJoinOptions> & { lowerBound: number; upperBound: number }, fn = new Pairs()) {
  const op = new IntervalJoinOperator({ fn, ...options });
  return new KeyedTwoInputStreamOperatorTestHarness<string, L, R, string>(op, (l) => l.k, (r) => r.k, Types.STRING);
}

const left = (l: number, k = "a"): L => ({ k, l });
const right = (r: number, k = "a"): R => ({ k, r });

describe("IntervalJoinOperator", () => {
  test("joins right elements in [left + lower, left + upper], both ways round, with the larger timestamp", async () => {
    const fn = new Pairs();
    const h = harness({ lowerBound: -2, upperBound: 3 }, fn);
    await h.open();
    expect(fn.opened).toBe(true);
    for (const ts of [7, 8, 10, 13, 14]) h.processElement2(right(ts), ts);
    h.processElement1(left(10), 10);
    h.processElement2(right(12, "b"), 12); // another key
    h.processElement1(left(11), 11);
    expect(h.extractOutputStreamRecords()).toEqual([
      { value: "10<->8 @10/8", timestamp: 10 },
      { value: "10<->10 @10/10", timestamp: 10 },
      { value: "10<->13 @10/13", timestamp: 13 },
      { value: "11<->10 @11/10", timestamp: 11 },
      { value: "11<->13 @11/13", timestamp: 13 },
      { value: "11<->14 @11/14", timestamp: 14 },
    ]);
  });

  test("a right element finds the left elements in [right - upper, right - lower]", async () => {
    const h = harness({ lowerBound: 1, upperBound: 5 });
    await h.open();
    for (const ts of [0, 4, 5, 9]) h.processElement1(left(ts), ts);
    h.processElement2(right(5), 5);
    expect(h.extractOutputValues()).toEqual(["0<->5 @0/5", "4<->5 @4/5"]);
  });

  test("exclusive bounds are the inclusive ones moved inwards by 1 ms", async () => {
    const h = harness({ lowerBound: -2 + 1, upperBound: 2 - 1 });
    await h.open();
    for (const ts of [8, 9, 10, 11, 12]) h.processElement2(right(ts), ts);
    h.processElement1(left(10), 10);
    expect(h.extractOutputValues()).toEqual(["10<->9 @10/9", "10<->10 @10/10", "10<->11 @10/11"]);
  });

  test("cleanup timers drop each side's buckets once nothing can join them", async () => {
    const h = harness({ lowerBound: -2, upperBound: 3 });
    await h.open();
    h.processElement1(left(10), 10); // right partners up to 13: kept until watermark 13
    h.processElement2(right(20), 20); // left partners from 17: kept until watermark 22
    expect(h.numKeyedStateEntries()).toBe(2);
    expect(h.numEventTimeTimers()).toBe(2);
    h.processBothWatermarks(12);
    expect(h.numKeyedStateEntries()).toBe(2);
    h.processBothWatermarks(13);
    expect(h.numKeyedStateEntries()).toBe(1);
    h.processElement1(left(17), 17);
    expect(h.extractOutputValues()).toEqual(["17<->20 @17/20"]);
    h.processBothWatermarks(22);
    h.processBothWatermarks(30);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numEventTimeTimers()).toBe(0);
  });

  test("elements behind the watermark join nothing and go to the late outputs when given", async () => {
    const h = harness({ lowerBound: -5, upperBound: 5, leftLateTag: "late-left", rightLateTag: "late-right" });
    await h.open();
    h.processElement2(right(20), 20);
    h.processBothWatermarks(18);
    h.processElement1(left(17), 17);
    h.processElement2(right(16), 16);
    h.processElement1(left(18), 18);
    expect(h.extractOutputValues()).toEqual(["18<->20 @18/20"]);
    expect(h.getSideOutput("late-left")).toEqual([{ value: left(17), timestamp: 17 }]);
    expect(h.getSideOutput("late-right")).toEqual([{ value: right(16), timestamp: 16 }]);
  });

  test("elements without a timestamp are an error that says what to do", async () => {
    const h = harness({ lowerBound: 0, upperBound: 1 });
    await h.open();
    expect(() => h.processElement1(left(1))).toThrow("need timestamps");
  });

  test("snapshot and restore keep the buffers and cleanup timers", async () => {
    const h = harness({ lowerBound: 0, upperBound: 10 });
    await h.open();
    h.processElement1(left(5), 5);
    const snapshot = h.snapshot();
    const restored = harness({ lowerBound: 0, upperBound: 10 });
    restored.initializeState(snapshot);
    await restored.open();
    restored.processElement2(right(12), 12);
    expect(restored.extractOutputValues()).toEqual(["5<->12 @5/12"]);
    restored.processBothWatermarks(15);
    restored.processElement2(right(14), 14); // late now
    restored.processBothWatermarks(100);
    expect(restored.extractOutputValues()).toEqual(["5<->12 @5/12"]);
    expect(restored.numKeyedStateEntries()).toBe(0);
  });
});
