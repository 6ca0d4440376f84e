/**
 * InputProcessor over real local channels: element order, the watermark valve (minimum over live
 * channels; finished and idle ones do not hold it back), end of input, and two-input heads.
 */
import { describe, expect, test } from "bun:test";
import { InputProcessor } from "./input-processor.ts";
import { NetworkEnvironment, channelKey } from "../network/network-environment.ts";
import { ResultSubpartition } from "../network/result-subpartition.ts";
import { RecordWriter } from "../network/record-writer.ts";
import { InputChannel, InputGate } from "../network/input-gate.ts";
import { createChannelSelector } from "../network/channel-selector.ts";
import { ElementTag } from "../network/buffer.ts";
import type { StreamOperator, TwoInputStreamOperator } from "../operators/stream-operator.ts";
import { Types } from "../../types/types.ts";
import type { TypeSerializer } from "../../types/type-serializer.ts";
import { MAX_WATERMARK, NO_TIMESTAMP } from "../../core/stream-element.ts";

const SER = Types.TUPLE(Types.STRING, Types.INT).createSerializer() as TypeSerializer<unknown>;
const MAX = MAX_WATERMARK;

/** Logs every call as a short string: "r1:a@5" (input 1, value a, timestamp 5), "wm:10", "end:1". */
class Log {
  readonly lines: string[] = [];
  rec(input: number, v: unknown, ts: number): void {
    this.lines.push(`r${input}:${(v as [string, number])[0]}${ts === NO_TIMESTAMP ? "" : `@${ts}`}`);
  }
  watermarks(): number[] {
    return this.lines.filter((l) => l.startsWith("wm:")).map((l) => Number(l.slice(3)));
  }
}
const base = (log: Log) => ({
  setup() {},
  open() {},
  close() {},
  describe: () => "log",
  processWatermark: (ts: number) => void log.lines.push(`wm:${ts}`),
});
const oneInput = (log: Log): StreamOperator => ({ ...base(log), processElement: (v, ts) => log.rec(1, v, ts), endInput() {} });
const twoInput = (log: Log): TwoInputStreamOperator => ({
  ...base(log),
  twoInput: true,
  processElement1: (v, ts) => log.rec(1, v, ts),
  processElement2: (v, ts) => log.rec(2, v, ts),
  endInput() {},
});

/** One producer per entry of `inputs` (which input of the head it feeds), each with its own writer into the one consumer. */
function rig(inputs: (1 | 2)[], two = false, statuses?: boolean[]) {
  const net = new NetworkEnvironment(0);
  const gate = new InputGate(() => {});
  const forward = createChannelSelector({ kind: "forward", maxParallelism: 128 }, 1, 0);
  const writers = inputs.map((input, p) => {
    const key = channelKey("j", input, p, 0);
    gate.add(new InputChannel(net, gate, key, 0, input, SER));
    return new RecordWriter(net, [new ResultSubpartition(net, key, 0, false, () => {})], forward, SER);
  });
  const log = new Log();
  const head = two ? twoInput(log) : oneInput(log);
  if (statuses) head.processWatermarkStatus = (idle) => void statuses.push(idle);
  const processor = new InputProcessor(gate, head);
  for (const c of gate.channels) c.open();
  const ended: number[] = [];
  const drain = () => {
    for (let next = gate.poll(); next; next = gate.poll()) {
      const e = processor.process(next.channel, next.buffer);
      if (e) ended.push(e);
    }
  };
  return { net, gate, writers, log, drain, ended };
}

type Step = [producer: number, action: "finish" | number];

describe("the combined watermark is the minimum over live channels", () => {
  const cases: { name: string; producers: number; steps: Step[]; expected: number[] }[] = [
    { name: "one channel forwards each advance", producers: 1, steps: [[0, 1], [0, 5], [0, 5], [0, 9], [0, "finish"]], expected: [1, 5, 9, MAX] },
    { name: "one channel never goes back", producers: 1, steps: [[0, 10], [0, 4], [0, 11]], expected: [10, 11] },
    {
      name: "two channels: held back by the slower one",
      producers: 2,
      steps: [[0, 10], [1, 5], [0, 20], [1, 15], [1, 12], [1, "finish"], [0, 30], [0, "finish"]],
      expected: [5, 15, 20, 30, MAX],
    },
    { name: "a channel without any watermark holds everything back", producers: 2, steps: [[0, 10], [0, 20], [0, 30]], expected: [] },
    {
      name: "a channel that finishes early stops holding it back",
      producers: 3,
      steps: [[2, "finish"], [0, 7], [1, 9], [0, 12], [1, "finish"], [0, "finish"]],
      expected: [7, 9, 12, MAX],
    },
    { name: "all channels finishing ends with the final watermark", producers: 2, steps: [[0, "finish"], [1, "finish"]], expected: [MAX] },
  ];
  for (const { name, producers, steps, expected } of cases) {
    test(name, () => {
      const { writers, log, drain } = rig(Array(producers).fill(1));
      for (const [p, action] of steps) {
        if (action === "finish") writers[p]!.finish();
        else {
          writers[p]!.broadcastWatermark(action);
          writers[p]!.flushAll();
        }
        drain();
      }
      expect(log.watermarks()).toEqual(expected);
    });
  }
});

describe("elements in order", () => {
  test("records and watermarks of one channel keep their order, with timestamps", () => {
    const { writers, log, drain } = rig([1]);
    const w = writers[0]!;
    w.emit(["a", 0], 3);
    w.broadcastWatermark(3);
    w.emit(["b", 0], NO_TIMESTAMP);
    w.emit(["c", 0], 7);
    w.broadcastWatermark(8);
    w.finish(); // all in one buffer
    drain();
    expect(log.lines).toEqual(["r1:a@3", "wm:3", "r1:b", "r1:c@7", "wm:8", `wm:${MAX}`]);
  });

  test("a long run of watermarks without records between flushes arrives whole", () => {
    const { writers, log, drain } = rig([1]);
    for (let t = 1; t <= 10_000; t++) writers[0]!.broadcastWatermark(t); // ~90 KB of watermarks
    writers[0]!.finish();
    drain();
    expect(log.watermarks()).toEqual([...Array.from({ length: 10_000 }, (_, i) => i + 1), MAX]);
  });

  test("process returns the input that ended, once, with the last end of partition", () => {
    const { writers, gate, drain, ended } = rig([1, 1, 1]);
    writers[1]!.finish();
    writers[0]!.finish();
    drain();
    expect(ended).toEqual([]);
    expect(gate.allFinished()).toBe(false);
    writers[2]!.finish();
    drain();
    expect(ended).toEqual([1]);
    expect(gate.allFinished()).toBe(true);
    expect(gate.channels.every((c) => c.finished)).toBe(true);
  });
});

describe("idle channels", () => {
  /** Sends a raw buffer of element tags, as an idle-aware producer would. */
  const sendTags = (net: NetworkEnvironment, producer: number, tags: number[]) => {
    const data = new ArrayBuffer(16);
    new Uint8Array(data).set(tags);
    net.sendBuffer(0, channelKey("j", 1, producer, 0), { data, length: tags.length });
  };

  const watermark = (w: RecordWriter, ts: number) => {
    w.broadcastWatermark(ts);
    w.flushAll();
  };

  test("an idle channel does not hold the watermark back; active again, it does once it has caught up", () => {
    const { net, writers, log, drain } = rig([1, 1]);
    watermark(writers[0]!, 10);
    drain();
    expect(log.watermarks()).toEqual([]);
    sendTags(net, 1, [ElementTag.Idle]);
    drain();
    expect(log.watermarks()).toEqual([10]);
    sendTags(net, 1, [ElementTag.Active]);
    watermark(writers[0]!, 20);
    drain();
    expect(log.watermarks()).toEqual([10, 20]); // channel 1 is active but behind (MIN): not aligned yet
    watermark(writers[1]!, 15);
    watermark(writers[0]!, 30);
    drain();
    expect(log.watermarks()).toEqual([10, 20, 30]); // 15 < 30: still behind
    watermark(writers[1]!, 35);
    watermark(writers[0]!, 40);
    drain();
    expect(log.watermarks()).toEqual([10, 20, 30, 35]); // caught up: holds the input back again
  });

  test("a record on an idle channel makes it active again", () => {
    const { writers, log, drain } = rig([1, 1]);
    writers[1]!.broadcastStatus(true);
    writers[1]!.flushAll();
    watermark(writers[0]!, 10);
    drain();
    writers[1]!.emit(["x", 0], 12);
    writers[1]!.flushAll();
    watermark(writers[0]!, 20);
    drain();
    watermark(writers[1]!, 25); // caught up with 20: counts again
    watermark(writers[0]!, 40);
    drain();
    expect(log.lines).toEqual(["wm:10", "r1:x@12", "wm:20", "wm:25"]); // idle, 40 would have passed
  });

  test("the head hears when every channel is idle, and when one is active again", () => {
    const statuses: boolean[] = [];
    const { writers, drain } = rig([1, 1], false, statuses);
    const status = (p: number, idle: boolean) => {
      writers[p]!.broadcastStatus(idle);
      writers[p]!.flushAll();
      drain();
    };
    status(0, true);
    expect(statuses).toEqual([]);
    status(1, true);
    expect(statuses).toEqual([true]);
    status(1, true);
    writers[0]!.emit(["a", 0], 1); // a record wakes channel 0
    writers[0]!.flushAll();
    drain();
    expect(statuses).toEqual([true, false]);
    status(0, true);
    writers[0]!.finish(); // a finished channel is neither idle nor active: channel 1 is idle alone
    drain();
    expect(statuses).toEqual([true, false, true]);
  });

  test("all channels idle: the watermark stays where it was", () => {
    const { net, writers, log, drain } = rig([1]);
    writers[0]!.broadcastWatermark(4);
    writers[0]!.flushAll();
    sendTags(net, 0, [ElementTag.Idle]);
    drain();
    expect(log.watermarks()).toEqual([4]);
  });

  test("when the last active channel goes idle, the watermark advances to the largest channel watermark", () => {
    const { net, writers, log, drain } = rig([1, 1, 1]);
    watermark(writers[0]!, 30);
    watermark(writers[1]!, 10);
    watermark(writers[2]!, 20);
    drain();
    expect(log.watermarks()).toEqual([10]);
    sendTags(net, 0, [ElementTag.Idle]);
    drain();
    expect(log.watermarks()).toEqual([10]); // channel 1 (10) still active and holding it
    sendTags(net, 1, [ElementTag.Idle]);
    drain();
    expect(log.watermarks()).toEqual([10, 20]); // channel 2 is the minimum now
    sendTags(net, 2, [ElementTag.Idle]);
    drain();
    expect(log.watermarks()).toEqual([10, 20, 30]); // all idle: flushed to the largest
  });

  test("an unknown tag is reported as a corrupt buffer", () => {
    const { net, drain } = rig([1]);
    sendTags(net, 0, [99]);
    expect(drain).toThrow("corrupt input buffer: unknown element tag 99");
  });
});

describe("two-input head", () => {
  test("records go to their input; the watermark is the minimum of both inputs", () => {
    const { writers, log, drain, ended } = rig([1, 2, 2], true);
    const step = (p: number, wm: number) => {
      writers[p]!.emit([`p${p}`, 0], wm);
      writers[p]!.broadcastWatermark(wm);
      writers[p]!.flushAll();
      drain();
    };
    step(0, 10);
    step(1, 4);
    expect(log.watermarks()).toEqual([]); // producer 2 of input 2 has none yet
    step(2, 6);
    expect(log.watermarks()).toEqual([4]);
    step(1, 30);
    expect(log.watermarks()).toEqual([4, 6]);
    writers[0]!.finish();
    drain();
    expect(ended).toEqual([1]);
    expect(log.watermarks()).toEqual([4, 6]); // input 2 is still at 6
    writers[1]!.finish();
    writers[2]!.finish();
    drain();
    expect(ended).toEqual([1, 2]);
    expect(log.watermarks()).toEqual([4, 6, MAX]);
    expect(log.lines.filter((l) => l.startsWith("r"))).toEqual(["r1:p0@10", "r2:p1@4", "r2:p2@6", "r2:p1@30"]);
  });

  test("an input whose channels are all idle does not hold back the other input", () => {
    const statuses: boolean[] = [];
    const { writers, log, drain } = rig([1, 2], true, statuses);
    const wm = (p: number, ts: number) => {
      writers[p]!.broadcastWatermark(ts);
      writers[p]!.flushAll();
      drain();
    };
    wm(0, 10);
    wm(1, 5);
    expect(log.watermarks()).toEqual([5]);
    writers[1]!.broadcastStatus(true);
    writers[1]!.flushAll();
    drain();
    expect(log.watermarks()).toEqual([5, 10]); // input 2 idle: input 1 alone counts
    wm(0, 20);
    expect(log.watermarks()).toEqual([5, 10, 20]);
    expect(statuses).toEqual([]); // input 1 is active: the head as a whole is not idle
    writers[1]!.emit(["late", 0], 12); // input 2 is active again, behind: it holds nothing back until it catches up
    writers[1]!.flushAll();
    wm(0, 30);
    expect(log.watermarks()).toEqual([5, 10, 20]);
    wm(1, 40);
    expect(log.watermarks()).toEqual([5, 10, 20, 30]);
  });

  test("an input's watermark does not go back when a channel regresses", () => {
    const { writers, log, drain } = rig([1, 2], true);
    for (const [p, wm] of [[0, 10], [0, 5], [1, 20]] as const) {
      writers[p]!.broadcastWatermark(wm);
      writers[p]!.flushAll();
      drain();
    }
    expect(log.watermarks()).toEqual([10]);
  });
});
