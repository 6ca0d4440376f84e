/**
 * BroadcastInputOperator: records of input 1 that arrive before the broadcast sets wait (in
 * memory or spilled) and are replayed in order once the sets are complete; a long replay pauses
 * when the task says others are due (OperatorContext.yieldIfDue), and runs straight through
 * without that seam.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { BroadcastInputOperator } from "./broadcast-input-operator.ts";
import { AbstractStreamOperator, type Output } from "../stream-operator.ts";
import { testMemory, testRoot } from "../join/join-test-support.ts";
import { Types } from "../../../types/types.ts";

afterAll(() => rmSync(testRoot, { recursive: true, force: true }));

/** The wrapped operator: reads the broadcast set in open() and logs what it is handed. */
class Inner extends AbstractStreamOperator<number, number> {
  readonly seen: number[] = [];
  set: unknown[] | undefined;
  override open(): void {
    this.set = this.context.broadcastVariables?.get("bc");
  }
  processElement(value: number): void {
    this.seen.push(value);
  }
  describe(): string {
    return "inner";
  }
}

const noOutput: Output<number> = { collect() {}, collectSide() {}, emitWatermark() {} };
const N = 5000;

function setup(memory: "ample" | "tiny", yieldIfDue?: () => Promise<void> | undefined) {
  const mem = testMemory(memory);
  const inner = new Inner();
  const op = new BroadcastInputOperator<number, number>(inner, ["bc"], Types.INT, 0);
  op.setup({ ...mem.context, yieldIfDue }, noOutput);
  op.open();
  for (let i = 0; i < N; i++) op.processElement1(i, 0);
  op.processElement2(["bc", "the set"]);
  return { op, inner, mem };
}

describe("replay of the records that waited for the broadcast set", () => {
  for (const memory of ["ample", "tiny"] as const)
    test(`${memory === "ample" ? "in memory" : "spilled"}: pauses when the task is due, then delivers every record in order`, async () => {
      let calls = 0;
      let resolvePause: (() => void) | undefined;
      // due on every second check; a pause resolves only when the test lets it
      const { op, inner, mem } = setup(memory, () => (++calls % 2 === 0 ? new Promise<void>((r) => (resolvePause = r)) : undefined));
      op.endInput(1);
      const done = op.endInput(2);
      expect(inner.set).toEqual(["the set"]); // opened with the set before any record
      expect(inner.seen.length).toBeGreaterThan(0);
      expect(inner.seen.length).toBeLessThan(N); // stopped at the first pause
      let pauses = 0;
      while (resolvePause) {
        const r = resolvePause;
        resolvePause = undefined;
        pauses++;
        r();
        await new Promise((next) => setImmediate(next)); // the replay runs to its next pause
      }
      await done;
      expect(pauses).toBeGreaterThan(1);
      expect(inner.seen).toEqual(Array.from({ length: N }, (_, i) => i));
      if (memory === "tiny") expect(mem.io.spilledBytes).toBeGreaterThan(0);
      await op.close();
      expect(mem.manager.availablePages()).toBe(mem.manager.totalPages);
    });

  test("without the seam (test harnesses) the replay runs to the end in the call", () => {
    const { op, inner } = setup("tiny");
    op.endInput(1);
    void op.endInput(2);
    expect(inner.seen).toEqual(Array.from({ length: N }, (_, i) => i));
  });
});
