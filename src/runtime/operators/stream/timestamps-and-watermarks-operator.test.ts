/** TimestampsAndWatermarksOperator step by step: assigned timestamps, advancing watermarks only, MAX passes, status. */
import { describe, expect, test } from "bun:test";
import { TimestampsAndWatermarksOperator } from "./timestamps-and-watermarks-operator.ts";
import { WatermarkStrategy } from "../../../api/watermark-strategy.ts";
import type { Output } from "../stream-operator.ts";
import type { OperatorContext } from "../operator-context.ts";
import { MAX_WATERMARK, NO_TIMESTAMP } from "../../../core/stream-element.ts";

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
