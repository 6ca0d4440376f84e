/**
 * The local data path of one slot: RecordWriter -> ResultSubpartition -> NetworkEnvironment ->
 * InputChannel -> InputGate -> InputProcessor -> head operator, with credit-based flow control.
 */
import { describe, expect, test } from "bun:test";
import { NetworkEnvironment, channelKey } from "./network-environment.ts";
import { ResultSubpartition, MAX_BACKLOG } from "./result-subpartition.ts";
import { RecordWriter } from "./record-writer.ts";
import { InputChannel, InputGate, INITIAL_CREDITS } from "./input-gate.ts";
import { createChannelSelector } from "./channel-selector.ts";
import { BUFFER_SIZE } from "./buffer.ts";
import { IOManager } from "../../io/io-manager.ts";
import { InputProcessor } from "../tasks/input-processor.ts";
import type { StreamOperator } from "../operators/stream-operator.ts";
import type { PartitionerKind } from "../jobgraph/job-graph.ts";
import type { TypeSerializer } from "../../types/type-serializer.ts";
import { Types } from "../../types/types.ts";
import { DataOutputView } from "../../types/data-output-view.ts";
import { DataInputView } from "../../types/data-input-view.ts";
import { MAX_WATERMARK, NO_TIMESTAMP } from "../../core/stream-element.ts";

type Rec = [string, number];
const TUPLE = Types.TUPLE(Types.STRING, Types.INT).createSerializer() as TypeSerializer<unknown>;
const GENERIC = Types.GENERIC.createSerializer();

/** A head that logs everything it is handed. */
class Collector implements StreamOperator {
  readonly records: { value: unknown; ts: number }[] = [];
  readonly watermarks: number[] = [];
  setup(): void {}
  open(): void {}
  processElement(value: unknown, ts: number): void {
    this.records.push({ value, ts });
  }
  processWatermark(ts: number): void {
    this.watermarks.push(ts);
  }
  endInput(): void {}
  close(): void {}
  describe(): string {
    return "collector";
  }
}

/** P producers all-to-all to C consumers in slot 0, edge 0 of job "j". */
function topology(producers: number, consumers: number, kind: PartitionerKind, ser: TypeSerializer<unknown>, open = true) {
  const net = new NetworkEnvironment(0);
  const available: number[] = [];
  const subs = Array.from({ length: producers }, (_, p) =>
    Array.from({ length: consumers }, (_, c) => new ResultSubpartition(net, channelKey("j", 0, p, c), 0, false, () => available.push(p))),
  );
  const writers = subs.map((s, p) => {
    const selector = createChannelSelector({ kind, keySelector: (v) => (v as Rec)[0], maxParallelism: 128 }, consumers, p);
    return new RecordWriter(net, s, selector, ser);
  });
  const tasks = Array.from({ length: consumers }, (_, c) => {
    const gate = new InputGate(() => {});
    for (let p = 0; p < producers; p++) gate.add(new InputChannel(net, gate, channelKey("j", 0, p, c), 0, 1, ser));
    const head = new Collector();
    const processor = new InputProcessor(gate, head);
    if (open) for (const ch of gate.channels) ch.open();
    return { gate, head, processor };
  });
  /** Processes every buffer that has arrived, as a task's input loop does; returns how many. */
  const drain = () => {
    let n = 0;
    for (const t of tasks)
      for (let next = t.gate.poll(); next; next = t.gate.poll()) {
        t.processor.process(next.channel, next.buffer);
        n++;
      }
    return n;
  };
  return { net, subs, writers, tasks, drain, available };
}

describe("records reach every consumer once, in order per channel", () => {
  const kinds: [PartitionerKind, number][] = [
    ["forward", 1],
    ["rebalance", 2],
    ["rebalance", 3],
    ["hash", 3],
    ["broadcast", 2],
  ];
  const sers: [string, TypeSerializer<unknown>][] = [
    ["tuple", TUPLE],
    ["generic", GENERIC],
  ];
  for (const [kind, consumers] of kinds)
    for (const [serName, ser] of sers)
      for (const producers of [1, 2])
        for (const timestamps of [true, false])
          test(`${kind}, ${producers}x${consumers}, ${serName}, ${timestamps ? "with" : "no"} timestamps`, () => {
            const { writers, tasks, drain } = topology(producers, consumers, kind, ser);
            const N = 3000; // several buffers per channel
            const tsOf = (p: number, i: number) => (timestamps ? p * 1_000_000 + i * 3 : NO_TIMESTAMP);
            for (let i = 0; i < N; i++) for (let p = 0; p < producers; p++) writers[p]!.emit([`p${p}-k${i % 17}`, i], tsOf(p, i));
            for (const w of writers) w.finish();
            drain();
            const copies = kind === "broadcast" ? consumers : 1;
            const seen = new Map<string, number>();
            const owner = createChannelSelector({ kind: "hash", keySelector: (v) => v, maxParallelism: 128 }, consumers, 0);
            tasks.forEach(({ gate, head }, c) => {
              expect(gate.allFinished()).toBe(true);
              expect(head.watermarks).toEqual([MAX_WATERMARK]);
              const lastSeq = new Map<number, number>();
              for (const { value, ts } of head.records) {
                const [key, i] = value as Rec;
                const p = Number(key.slice(1, key.indexOf("-")));
                expect(ts).toBe(tsOf(p, i));
                expect(i).toBeGreaterThan(lastSeq.get(p) ?? -1); // per producer, in emit order
                lastSeq.set(p, i);
                const id = `${p}/${i}`;
                seen.set(id, (seen.get(id) ?? 0) + 1);
                if (kind === "hash") expect(owner.select(key)).toBe(c);
              }
            });
            expect(seen.size).toBe(N * producers);
            expect([...new Set(seen.values())]).toEqual([copies]);
            if (kind !== "broadcast" && consumers > 1) for (const t of tasks) expect(t.head.records.length).toBeGreaterThan(0);
          });
});

describe("records larger than a buffer", () => {
  const sizes = [0, 10, BUFFER_SIZE - 300, BUFFER_SIZE - 20, BUFFER_SIZE, BUFFER_SIZE + 1, 40_000, 100_000, 250_000];
  for (const [serName, ser] of [
    ["tuple", TUPLE],
    ["generic", GENERIC],
  ] as const)
    test(`${serName}: strings of ${sizes.join(", ")} chars arrive intact and in order between small records`, () => {
      const { writers, tasks, drain } = topology(1, 1, "forward", ser);
      const expected: { value: Rec; ts: number }[] = [];
      sizes.forEach((n, i) => {
        for (const rec of [{ value: [`small-${i}`, i] as Rec, ts: i }, { value: [String.fromCharCode(97 + i).repeat(n), n] as Rec, ts: NO_TIMESTAMP }]) {
          writers[0]!.emit(rec.value, rec.ts);
          expected.push(rec);
        }
      });
      writers[0]!.finish();
      drain();
      expect(tasks[0]!.head.records).toEqual(expected);
    });

  test("a record of exactly BUFFER_SIZE bytes after a small one, then end of partition", () => {
    const framed = (n: number) => {
      const out = new DataOutputView();
      out.writeByte(0); // the element tag
      TUPLE.serialize(["x".repeat(n), 1], out);
      return out.pos;
    };
    const n = BUFFER_SIZE - 20 + (BUFFER_SIZE - framed(BUFFER_SIZE - 20));
    expect(framed(n)).toBe(BUFFER_SIZE);
    const { writers, tasks, drain } = topology(1, 1, "forward", TUPLE);
    const expected = [{ value: ["a", 0], ts: NO_TIMESTAMP }, { value: ["x".repeat(n), 1], ts: NO_TIMESTAMP }];
    for (const r of expected) writers[0]!.emit(r.value, r.ts);
    writers[0]!.finish();
    drain();
    expect(tasks[0]!.head.records).toEqual(expected);
    expect(tasks[0]!.gate.allFinished()).toBe(true);
  });
});

describe("credit-based flow control", () => {
  /** Emits one small record per buffer, as a buffer timeout of 0 does. */
  const emitFlushed = (w: RecordWriter, from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      w.emit(["r", i], NO_TIMESTAMP);
      w.flushAll();
    }
  };

  test("without credit the backlog grows and the writer turns unavailable past MAX_BACKLOG", () => {
    const { subs, writers, tasks, drain, available } = topology(1, 1, "forward", TUPLE, false);
    const [sub, w] = [subs[0]![0]!, writers[0]!];
    for (let b = 1; b <= MAX_BACKLOG + 3; b++) {
      emitFlushed(w, b, 1);
      expect(sub.backlog).toBe(b);
      expect(w.isAvailable()).toBe(b <= MAX_BACKLOG);
    }
    expect(drain()).toBe(0); // nothing was sent
    expect(tasks[0]!.gate.channels[0]!.queue.length).toBe(0);

    tasks[0]!.gate.channels[0]!.open(); // grants INITIAL_CREDITS
    expect(sub.backlog).toBe(MAX_BACKLOG + 3 - INITIAL_CREDITS);
    expect(tasks[0]!.gate.channels[0]!.queue.length).toBe(INITIAL_CREDITS);
    expect(w.isAvailable()).toBe(true);
    expect(available).toEqual([0]); // told once that the producer may write again

    expect(drain()).toBe(MAX_BACKLOG + 3); // each processed buffer returns a credit
    expect(sub.backlog).toBe(0);
    expect(tasks[0]!.head.records.map((r) => (r.value as Rec)[1])).toEqual([1, 2, 3, 4, 5]);
  });

  test("at most INITIAL_CREDITS buffers are in flight while the consumer does not process", () => {
    const { subs, writers, tasks, drain } = topology(1, 1, "forward", TUPLE);
    emitFlushed(writers[0]!, 0, 10);
    expect(tasks[0]!.gate.channels[0]!.queue.length).toBe(INITIAL_CREDITS);
    expect(subs[0]![0]!.backlog).toBe(10 - INITIAL_CREDITS);
    expect(writers[0]!.isAvailable()).toBe(false);
    expect(drain()).toBe(10);
    expect(writers[0]!.isAvailable()).toBe(true);
    emitFlushed(writers[0]!, 10, 3); // credits returned by processing are spent at once
    expect(subs[0]![0]!.backlog).toBe(0);
    expect(drain()).toBe(3);
    expect(tasks[0]!.head.records.map((r) => (r.value as Rec)[1])).toEqual(Array.from({ length: 13 }, (_, i) => i));
  });

  test("credit granted before the subpartition registers is parked and used when it does", () => {
    const net = new NetworkEnvironment(0);
    const gate = new InputGate(() => {});
    const key = channelKey("j", 3, 0, 0);
    gate.add(new InputChannel(net, gate, key, 0, 1, TUPLE));
    const head = new Collector();
    const processor = new InputProcessor(gate, head);
    gate.channels[0]!.open();
    const sub = new ResultSubpartition(net, key, 0, false, () => {});
    const w = new RecordWriter(net, [sub], createChannelSelector({ kind: "forward", maxParallelism: 128 }, 1, 0), TUPLE);
    emitFlushed(w, 0, INITIAL_CREDITS);
    expect(sub.backlog).toBe(0);
    w.finish();
    for (let next = gate.poll(); next; next = gate.poll()) processor.process(next.channel, next.buffer);
    expect(head.records.length).toBe(INITIAL_CREDITS);
    expect(gate.allFinished()).toBe(true);
  });

  test("a blocking subpartition keeps its whole backlog and stays available", () => {
    const net = new NetworkEnvironment(0);
    const sub = new ResultSubpartition(net, channelKey("j", 0, 0, 0), 0, true, () => {});
    const w = new RecordWriter(net, [sub], createChannelSelector({ kind: "forward", maxParallelism: 128 }, 1, 0), TUPLE);
    emitFlushed(w, 0, 20);
    expect(sub.backlog).toBe(20);
    expect(w.isAvailable()).toBe(true);
  });

  test("a blocking subpartition over its memory budget spills, then delivers everything in order and removes the file", () => {
    const net = new NetworkEnvironment(0);
    const io = new IOManager();
    const spill = { io, budget: { bytes: 3 * BUFFER_SIZE } };
    const key = channelKey("j", 4, 0, 0);
    const sub = new ResultSubpartition(net, key, 0, true, () => {}, spill);
    const w = new RecordWriter(net, [sub], createChannelSelector({ kind: "forward", maxParallelism: 128 }, 1, 0), TUPLE);
    emitFlushed(w, 0, 20);
    w.finish();
    expect(sub.backlog).toBe(21);
    expect(sub.spilledBytes).toBeGreaterThan(0);
    expect(io.bytesOnDisk()).toBe(sub.spilledBytes);
    // the consumer is deployed later and reads it all
    const gate = new InputGate(() => {});
    gate.add(new InputChannel(net, gate, key, 0, 1, TUPLE));
    const head = new Collector();
    const processor = new InputProcessor(gate, head);
    gate.channels[0]!.open();
    for (let next = gate.poll(); next; next = gate.poll()) processor.process(next.channel, next.buffer);
    expect(head.records.map((r) => (r.value as Rec)[1])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(gate.allFinished()).toBe(true);
    expect(io.bytesOnDisk()).toBe(0);
    expect(spill.budget.bytes).toBe(3 * BUFFER_SIZE);
    io.close();
  });
});

describe("input selection (a two-input head reads one input first)", () => {
  test("poll(1) passes over input 2's channels, which keep their buffers and grant no credit; poll(0) returns them in order", () => {
    const net = new NetworkEnvironment(0);
    const gate = new InputGate(() => {});
    const subs = [1, 2].map((input) => {
      const key = channelKey("j", input, 0, 0);
      gate.add(new InputChannel(net, gate, key, 0, input as 1 | 2, TUPLE));
      return new ResultSubpartition(net, key, 0, false, () => {});
    });
    const writers = subs.map((s) => new RecordWriter(net, [s], createChannelSelector({ kind: "forward", maxParallelism: 128 }, 1, 0), TUPLE));
    for (const ch of gate.channels) ch.open();
    // interleaved: one buffer per record on each input, more than the credits of input 2
    for (let i = 0; i < 8; i++)
      for (const w of writers) {
        w.emit([`i${writers.indexOf(w) + 1}`, i], NO_TIMESTAMP);
        w.flushAll();
      }
    const seen: string[] = [];
    for (let next = gate.poll(1); next; next = gate.poll(1)) {
      expect(next.channel.input).toBe(1);
      seen.push("1");
      next.channel.recycle(next.buffer); // a credit back: input 1's producer sends on
    }
    expect(seen.length).toBe(8);
    expect(gate.hasParked()).toBe(true);
    expect(subs[1]!.backlog).toBe(8 - INITIAL_CREDITS); // input 2's producer is held back
    const second: number[] = [];
    for (let next = gate.poll(0); next; next = gate.poll(0)) {
      const input = new DataInputView();
      input.setBuffer(new Uint8Array(next.buffer.data, 0, next.buffer.length), 0, next.buffer.length);
      input.pos++; // the record tag
      second.push((TUPLE.deserialize(input) as Rec)[1]);
      next.channel.recycle(next.buffer);
    }
    expect(second).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gate.hasParked()).toBe(false);
  });
});
