/** What an operator under test emitted: records with timestamps, watermarks and watermark statuses in order, and side outputs by tag. */
import { NO_TIMESTAMP } from "../../core/stream-element.ts";
import type { Output } from "../../runtime/operators/stream-operator.ts";

/** A record; `timestamp` is absent when the record has none. */
export interface StreamRecord<T = unknown> {
  value: T;
  timestamp?: number;
}

export interface WatermarkElement {
  watermark: number;
}

export interface WatermarkStatusElement {
  watermarkStatus: "IDLE" | "ACTIVE";
}

export type OutputElement<T = unknown> = StreamRecord<T> | WatermarkElement | WatermarkStatusElement;

/** An OutputTag or its id. */
export type TagRef = string | { id: string };

export function tagId(tag: TagRef): string {
  return typeof tag === "string" ? tag : tag.id;
}

export function isRecord<T>(e: OutputElement<T>): e is StreamRecord<T> {
  return "value" in e;
}

/** Collects everything in arrival order; values are kept by reference, as the operator emitted them. */
export class TestOutput implements Output {
  readonly elements: OutputElement[] = [];
  readonly sides = new Map<string, StreamRecord[]>();

  collect(value: unknown, timestamp: number): void {
    this.elements.push(record(value, timestamp));
  }

  collectSide(tag: string, value: unknown, timestamp: number): void {
    let list = this.sides.get(tag);
    if (list === undefined) this.sides.set(tag, (list = []));
    list.push(record(value, timestamp));
  }

  emitWatermark(timestamp: number): void {
    this.elements.push({ watermark: timestamp });
  }

  emitWatermarkStatus(idle: boolean): void {
    this.elements.push({ watermarkStatus: idle ? "IDLE" : "ACTIVE" });
  }
}

function record(value: unknown, timestamp: number): StreamRecord {
  return timestamp === NO_TIMESTAMP ? { value } : { value, timestamp };
}
