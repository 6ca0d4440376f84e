/**
 * Serializes a task's output records into per-channel network buffers and hands full ones to
 * the channel's ResultSubpartition.
 *
 * Memory: one open buffer per channel, written in place; a buffer is flushed when it nears
 * BUFFER_SIZE, at the buffer timeout, and at end of input. A record that crosses the end of a
 * buffer moves whole to the next one (or alone into an oversized one), so records never span.
 */
import { BUFFER_SIZE, ElementTag } from "./buffer.ts";
import type { ChannelSelector } from "./channel-selector.ts";
import type { ResultSubpartition } from "./result-subpartition.ts";
import type { NetworkEnvironment } from "./network-environment.ts";
import { DataOutputView } from "../../types/data-output-view.ts";
import type { TypeSerializer } from "../../types/type-serializer.ts";
import { NO_TIMESTAMP } from "../../core/stream-element.ts";

/** Flush once a buffer holds more than this, so small records rarely overflow. */
const FLUSH_THRESHOLD = BUFFER_SIZE - 256;

export class RecordWriter<T = unknown> {
  private readonly views: DataOutputView[];
  private readonly current: ArrayBuffer[];
  recordsOut = 0;

  constructor(
    private readonly net: NetworkEnvironment,
    readonly subpartitions: ResultSubpartition[],
    private readonly selector: ChannelSelector,
    private readonly serializer: TypeSerializer<T>,
  ) {
    this.current = subpartitions.map(() => net.pool.take());
    this.views = this.current.map((b) => new DataOutputView(b));
  }

  emit(value: T, timestamp: number): void {
    this.recordsOut++;
    const ch = this.selector.select(value);
    if (ch >= 0) this.write(ch, value, timestamp);
    else for (let i = 0; i < this.views.length; i++) this.write(i, value, timestamp);
  }

  broadcastWatermark(timestamp: number): void {
    for (let i = 0; i < this.views.length; i++) {
      const out = this.views[i]!;
      out.writeByte(ElementTag.Watermark);
      out.writeFloat64(timestamp);
      // a run of watermarks with no records between flushes must not outgrow the buffer
      if (out.pos > FLUSH_THRESHOLD) this.flush(i);
    }
  }

  /** Sends Flink's WatermarkStatus on every channel: IDLE (true) or ACTIVE (false). */
  broadcastStatus(idle: boolean): void {
    for (let i = 0; i < this.views.length; i++) {
      const out = this.views[i]!;
      out.writeByte(idle ? ElementTag.Idle : ElementTag.Active);
      if (out.pos > FLUSH_THRESHOLD) this.flush(i);
    }
  }

  /** Sends end-of-partition on every channel and flushes. */
  finish(): void {
    for (const out of this.views) out.writeByte(ElementTag.EndOfPartition);
    this.flushAll();
  }

  flushAll(): void {
    for (let i = 0; i < this.views.length; i++) if (this.views[i]!.pos > 0) this.flush(i);
  }

  /** True when no channel's backlog is over its limit. */
  isAvailable(): boolean {
    for (const s of this.subpartitions) if (!s.isAvailable()) return false;
    return true;
  }

  private write(ch: number, value: T, timestamp: number): void {
    const out = this.views[ch]!;
    const start = out.pos;
    const keyGroup = this.selector.keyGroup;
    if (keyGroup !== undefined) {
      out.writeByte(timestamp === NO_TIMESTAMP ? ElementTag.KeyedRecord : ElementTag.KeyedRecordWithTimestamp);
      out.writeByte(keyGroup & 0xff);
      out.writeByte(keyGroup >>> 8);
      if (timestamp !== NO_TIMESTAMP) out.writeFloat64(timestamp);
    } else if (timestamp === NO_TIMESTAMP) out.writeByte(ElementTag.Record);
    else {
      out.writeByte(ElementTag.RecordWithTimestamp);
      out.writeFloat64(timestamp);
    }
    this.serializer.serialize(value, out);
    if (out.pos > FLUSH_THRESHOLD) {
      if (out.pos <= BUFFER_SIZE) this.flush(ch);
      else this.overflow(ch, start);
    }
  }

  private flush(ch: number): void {
    const out = this.views[ch]!;
    this.subpartitions[ch]!.add({ data: this.current[ch]!, length: out.pos });
    const next = this.net.pool.take();
    this.current[ch] = next;
    out.setBuffer(next, 0);
  }

  /** The record at [start, pos) did not fit: ship what came before, move the record on. */
  private overflow(ch: number, start: number): void {
    const out = this.views[ch]!;
    const grown = out.buf;
    const end = out.pos;
    const length = end - start;
    if (start > 0) this.subpartitions[ch]!.add({ data: this.current[ch]!, length: start });
    const next = start > 0 ? this.net.pool.take() : this.current[ch]!;
    if (length <= BUFFER_SIZE) {
      new Uint8Array(next).set(grown.subarray(start, end));
      this.current[ch] = next;
      out.setBuffer(next, length);
      if (length > FLUSH_THRESHOLD) this.flush(ch);
    } else {
      const alone = grown.slice(start, end).buffer;
      this.subpartitions[ch]!.add({ data: alone, length });
      this.current[ch] = next;
      out.setBuffer(next, 0);
    }
  }
}
