/**
 * The Outputs that connect operators: direct calls inside a chain, serialization at its edge,
 * fan-out to several, and the split between main and side outputs.
 */
import type { Output, StreamOperator } from "../operators/stream-operator.ts";
import type { RecordWriter } from "../network/record-writer.ts";
import { tagOperator } from "./operator-error.ts";

/** Calls the next operator of the chain directly with the JS value; nothing is serialized. */
export class ChainingOutput implements Output {
  constructor(private readonly next: StreamOperator, private readonly name: string) {}
  collect(value: unknown, timestamp: number): void {
    try {
      this.next.processElement(value, timestamp);
    } catch (e) {
      throw tagOperator(e, this.name);
    }
  }
  collectSide(): void {}
  emitWatermark(timestamp: number): void {
    try {
      this.next.processWatermark(timestamp);
    } catch (e) {
      throw tagOperator(e, this.name);
    }
  }
  emitWatermarkStatus(idle: boolean): void {
    try {
      this.next.processWatermarkStatus?.(idle);
    } catch (e) {
      throw tagOperator(e, this.name);
    }
  }
}

/** Leaves the chain: records are serialized into the edge's network buffers. */
export class RecordWriterOutput implements Output {
  constructor(private readonly writer: RecordWriter, private readonly flushAlways: boolean) {}
  collect(value: unknown, timestamp: number): void {
    this.writer.emit(value, timestamp);
    if (this.flushAlways) this.writer.flushAll();
  }
  collectSide(): void {}
  emitWatermark(timestamp: number): void {
    this.writer.broadcastWatermark(timestamp);
    if (this.flushAlways) this.writer.flushAll();
  }
  emitWatermarkStatus(idle: boolean): void {
    this.writer.broadcastStatus(idle);
    // a status is rare and matters at once: an idle source may emit nothing that would flush it
    this.writer.flushAll();
  }
}

/** Sends every record to several outputs. */
export class BroadcastingOutput implements Output {
  constructor(private readonly outputs: Output[]) {}
  collect(value: unknown, timestamp: number): void {
    for (const o of this.outputs) o.collect(value, timestamp);
  }
  collectSide(): void {}
  emitWatermark(timestamp: number): void {
    for (const o of this.outputs) o.emitWatermark(timestamp);
  }
  emitWatermarkStatus(idle: boolean): void {
    for (const o of this.outputs) o.emitWatermarkStatus?.(idle);
  }
}

/** Drops records: an operator whose output nobody reads. */
export const discardingOutput: Output = { collect() {}, collectSide() {}, emitWatermark() {} };

/** Routes main records to the main outputs and tagged records to the outputs of their tag. */
export class SideOutputRouter implements Output {
  constructor(private readonly main: Output, private readonly sides: Map<string, Output>, private readonly all: Output[]) {}
  collect(value: unknown, timestamp: number): void {
    this.main.collect(value, timestamp);
  }
  collectSide(tag: string, value: unknown, timestamp: number): void {
    this.sides.get(tag)?.collect(value, timestamp);
  }
  emitWatermark(timestamp: number): void {
    for (const o of this.all) o.emitWatermark(timestamp);
  }
  emitWatermarkStatus(idle: boolean): void {
    for (const o of this.all) o.emitWatermarkStatus?.(idle);
  }
}

export function combineOutputs(outputs: Output[]): Output {
  if (outputs.length === 0) return discardingOutput;
  return outputs.length === 1 ? outputs[0]! : new BroadcastingOutput(outputs);
}
