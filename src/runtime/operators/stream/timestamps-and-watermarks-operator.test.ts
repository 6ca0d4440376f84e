/**
 * TimestampsAndWatermarksOperator step by step: assigned timestamps, advancing watermarks only, MAX passes, status;
 * periodic watermarks and idleness follow the context's processing time, so a harness drives them.
 */
import { describe, expect, test } from "bun:test";
import { TimestampsAndWatermarksOperator } from "./timestamps-and-watermarks-operator.ts";
import { WatermarkStrategy } from "../../../api/watermark-strategy.ts";
import type { Output } from "../stream-operator.ts";
import type { OperatorContext } from "../operator-context.ts";
import { MAX_WATERMARK, NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { OneInputStreamOperatorTestHarness } from "../../../libs/testing/index.ts";

/** Output log: "v@ts" records, "wm:n" watermarks, "idle"/"active" status. */
function harness<T>(strategy: WatermarkStrategy<T>, interval = 0) {
  const log: string[] = [];
  const mail: (() => void | Promise<void>)[] = [];
  const output: Output<T> = {
    collect: (v, ts) => void log.push(`${String(v)}@${ts === NO_TIMESTAMP ? "-" : ts}`),
    collectSide() {},
    emitWatermark: (ts) => void log.push(`wm:${ts === MAX_WATERMARK ? "MAX" : ts}`),
    emitWatermarkStatus: (idle) => void log.push(idle ? "idle" : "active"),
  };
  const context = { executeInMailbox: (a: () => void) => void mail.push(a) } as unknown as OperatorContext;
  const op = new TimestampsAndWatermarksOperator<T>(strategy, interval);
  op.setup(context, output);
  op.open();
  return { op, log, mail };
}

describe("timestamps and watermarks", () => {
  test("assigns timestamps from the assigner, given the record's own", () => {
    const { op, log } = harness(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((e, ts) => e * 10 + (ts === NO_TIMESTAMP ? 0 : 1)));
    op.processElement(3, NO_TIMESTAMP);
    op.processElement(4, 99);
    expect(log).toEqual(["3@30", "4@41"]);
  });

  test("without an assigner the record keeps its timestamp", () => {
    const { op, log } = harness(WatermarkStrategy.forMonotonousTimestamps<string>());
    op.processElement("a", 5);
    expect(log).toEqual(["a@5"]);
  });

  test("periodic emits send a watermark only when it advances", () => {
    const { op, log } = harness(WatermarkStrategy.forBoundedOutOfOrderness<number>(10).withTimestampAssigner((e) => e));
    op.onPeriodicEmit(); // MIN: nothing
    op.processElement(100, NO_TIMESTAMP);
    op.onPeriodicEmit();
    op.onPeriodicEmit(); // same: nothing
    op.processElement(50, NO_TIMESTAMP);
    op.onPeriodicEmit(); // lower max: nothing
    op.processElement(200, NO_TIMESTAMP);
    op.onPeriodicEmit();
    expect(log).toEqual(["100@100", "wm:89", "50@50", "200@200", "wm:189"]);
  });

  test("upstream watermarks are swallowed, except the final one", () => {
    const { op, log } = harness(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((e) => e));
    op.processWatermark(1_000_000);
    op.processElement(5, NO_TIMESTAMP);
    op.onPeriodicEmit();
    op.processWatermark(MAX_WATERMARK);
    op.processWatermark(MAX_WATERMARK);
    op.processElement(7, NO_TIMESTAMP);
    op.onPeriodicEmit(); // after MAX nothing more
    op.endInput();
    expect(log).toEqual(["5@5", "wm:4", "wm:MAX", "7@7"]);
  });

  test("a custom generator's watermarks and idleness reach the output; a record makes it active", () => {
    const { op, log } = harness(
      WatermarkStrategy.forGenerator<number>(() => ({
        onEvent: (e, _ts, out) => (e < 0 ? out.markIdle() : undefined),
        onPeriodicEmit: () => {},
      })).withTimestampAssigner((e) => Math.abs(e)),
    );
    op.processElement(-1, NO_TIMESTAMP);
    op.processElement(2, NO_TIMESTAMP);
    expect(log).toEqual(["-1@1", "idle", "2@2"]);
  });

  test("an idle input makes the output idle until a record comes", () => {
    const { op, log } = harness(WatermarkStrategy.forMonotonousTimestamps<number>());
    op.processWatermarkStatus(true);
    op.processWatermarkStatus(true);
    op.processElement(1, 1);
    expect(log).toEqual(["idle", "active", "1@1"]);
  });

  test("the interval timer posts periodic emits as mail, and stops at endInput", async () => {
    const { op, log, mail } = harness(WatermarkStrategy.forMonotonousTimestamps<number>(), 5);
    op.processElement(10, 10);
    await Bun.sleep(30);
    expect(mail.length).toBeGreaterThan(0);
    for (const m of mail.splice(0)) m();
    expect(log).toEqual(["10@10", "wm:9"]);
    op.endInput();
    await Bun.sleep(20);
    for (const m of mail.splice(0)) m();
    op.close();
    expect(log).toEqual(["10@10", "wm:9"]);
  });
});

type Ev = { ts: number };
const bounded = WatermarkStrategy.forBoundedOutOfOrderness<Ev>(10).withTimestampAssigner((e) => e.ts);

/** The watermark and status elements the harness saw, as a compact list. */
function marks(h: OneInputStreamOperatorTestHarness<Ev, Ev>): (number | string)[] {
  return h.getOutput().flatMap((e): (number | string)[] => ("watermark" in e ? [e.watermark] : "watermarkStatus" in e ? [e.watermarkStatus] : []));
}

test("the generator is asked every interval of the harness's processing time, not the wall clock", async () => {
  const h = new OneInputStreamOperatorTestHarness<Ev, Ev>(new TimestampsAndWatermarksOperator(bounded, 200));
  await h.open();
  h.processElement({ ts: 100 });
  h.processElement({ ts: 50 });
  await Bun.sleep(250); // real time passing changes nothing
  h.setProcessingTime(199);
  expect(marks(h)).toEqual([]);
  h.setProcessingTime(200);
  expect(marks(h)).toEqual([89]);
  h.processElement({ ts: 300 });
  h.setProcessingTime(1000); // four more emits are due; only advancing watermarks leave
  expect(marks(h)).toEqual([89, 289]);
  expect(h.extractOutputStreamRecords().map((r) => r.timestamp)).toEqual([100, 50, 300]);
  await h.close();
});

test("withIdleness marks the output idle after the timeout of processing time without events, active on the next event", async () => {
  const h = new OneInputStreamOperatorTestHarness<Ev, Ev>(new TimestampsAndWatermarksOperator(bounded.withIdleness(500), 100));
  await h.open();
  h.processElement({ ts: 20 });
  // each emit sets the next one interval after the harness's time then
  for (const t of [100, 200, 300, 400, 500]) h.setProcessingTime(t);
  expect(marks(h)).toEqual([9]);
  h.setProcessingTime(600); // the emit at 100 saw the last activity: idle from 600
  expect(marks(h)).toEqual([9, "IDLE"]);
  h.processElement({ ts: 40 });
  h.setProcessingTime(700);
  expect(marks(h)).toEqual([9, "IDLE", "ACTIVE", 29]);
  await h.close();
});

test("an interval of 0 never asks the generator periodically", async () => {
  const h = new OneInputStreamOperatorTestHarness<Ev, Ev>(new TimestampsAndWatermarksOperator(bounded, 0));
  await h.open();
  h.processElement({ ts: 100 });
  h.setProcessingTime(10_000);
  expect(marks(h)).toEqual([]);
  await h.close();
});
