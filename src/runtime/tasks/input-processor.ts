/**
 * Reads a task's input buffers: deserializes each element and hands records, watermarks and
 * end-of-input to the chain's head. Keeps the per-channel watermarks (Flink's StatusWatermarkValve):
 * an input's watermark is the minimum over its live channels; finished and idle channels do not
 * hold it back. A channel that comes back from idle counts again once its watermark catches up.
 * When the last active channel of an input goes idle, the input's watermark is flushed to the
 * largest of its channels (Flink's FLINK-7728). A two-input head gets the minimum over the inputs
 * that are not wholly idle (FLINK-18934). When every unfinished channel is idle, the head is told
 * so (processWatermarkStatus), and told again when one becomes active: by an Active element or by
 * a record arriving on it.
 */
import { ElementTag, type Buffer } from "../network/buffer.ts";
import type { InputChannel, InputGate } from "../network/input-gate.ts";
import { DataInputView } from "../../types/data-input-view.ts";
import { MAX_WATERMARK, MIN_WATERMARK, NO_TIMESTAMP } from "../../core/stream-element.ts";
import type { AnyOperator, StreamOperator, TwoInputStreamOperator } from "../operators/stream-operator.ts";
import { isTwoInput } from "../operators/stream-operator.ts";

export class InputProcessor {
  private readonly input = new DataInputView();
  private readonly inputWatermark = [MIN_WATERMARK, MIN_WATERMARK, MIN_WATERMARK];
  private readonly openChannels = [0, 0, 0];
  private emittedWatermark = MIN_WATERMARK;
  /** The status last reported to the head: true while every unfinished channel is idle. */
  private idle = false;
  private readonly twoInput: boolean;
  recordsIn = 0;

  constructor(
    private readonly gate: InputGate,
    private readonly head: AnyOperator,
    /**
     * For a keyed head: makes the record's key current before the operator sees the record;
     * `keyGroup` is the one the upstream partitioner computed, or -1 when it sent none.
     */
    private readonly setKey1?: (value: unknown, keyGroup: number) => void,
    private readonly setKey2?: (value: unknown, keyGroup: number) => void,
  ) {
    this.twoInput = isTwoInput(head);
    for (const c of gate.channels) this.openChannels[c.input]!++;
  }

  /** Processes one buffer. Returns the input that ended with it (1 or 2), or 0. */
  process(channel: InputChannel, buffer: Buffer): 0 | 1 | 2 {
    const inp = this.input;
    inp.setBuffer(new Uint8Array(buffer.data, 0, buffer.length), 0, buffer.length);
    const bytes = inp.buf;
    const ser = channel.deserializer;
    let ended: 0 | 1 | 2 = 0;
    let n = 0;
    const first = channel.input === 1;
    const setKey = first ? this.setKey1 : this.setKey2;
    const one = this.twoInput ? undefined : (this.head as StreamOperator);
    const two = this.head as TwoInputStreamOperator;
    while (inp.pos < inp.end) {
      const tag = bytes[inp.pos++]!;
      if (tag <= ElementTag.RecordWithTimestamp || tag === ElementTag.KeyedRecord || tag === ElementTag.KeyedRecordWithTimestamp) {
        n++;
        if (channel.idle) this.activate(channel);
        let keyGroup = -1;
        if (tag >= ElementTag.KeyedRecord) {
          keyGroup = bytes[inp.pos]! | (bytes[inp.pos + 1]! << 8);
          inp.pos += 2;
        }
        const ts = tag === ElementTag.Record || tag === ElementTag.KeyedRecord ? NO_TIMESTAMP : inp.readFloat64();
        const v = ser.deserialize(inp);
        if (setKey !== undefined) setKey(v, keyGroup);
        if (one !== undefined) one.processElement(v, ts);
        else if (first) two.processElement1(v, ts);
        else two.processElement2(v, ts);
      } else ended = this.event(tag, channel) || ended;
    }
    this.recordsIn += n;
    channel.recycle(buffer);
    return ended;
  }

  private event(tag: number, channel: InputChannel): 0 | 1 | 2 {
    switch (tag) {
      case ElementTag.Watermark: {
        const wm = this.input.readFloat64();
        if (channel.idle) this.activate(channel);
        channel.watermark = wm;
        if (!channel.aligned && wm >= this.inputWatermark[channel.input]!) channel.aligned = true;
        this.updateWatermark(channel.input);
        return 0;
      }
      case ElementTag.EndOfPartition:
        this.gate.markFinished(channel);
        channel.watermark = MAX_WATERMARK;
        channel.idle = false;
        channel.aligned = true;
        this.updateWatermark(channel.input);
        this.updateStatus();
        return --this.openChannels[channel.input]! === 0 ? channel.input : 0;
      case ElementTag.Idle:
        if (channel.idle) return 0;
        channel.idle = true;
        channel.aligned = false;
        this.flushIfInputIdle(channel);
        this.updateWatermark(channel.input);
        this.updateStatus();
        return 0;
      case ElementTag.Active:
        if (channel.idle) this.activate(channel);
        return 0;
      default:
        throw new Error(`corrupt input buffer: unknown element tag ${tag}`);
    }
  }

  /** An idle channel is active again; it counts for the watermark once it has caught up. */
  private activate(channel: InputChannel): void {
    channel.idle = false;
    channel.aligned = channel.watermark >= this.inputWatermark[channel.input]!;
    this.updateStatus();
  }

  /** Tells the head when the whole input turns idle, or active again. */
  private updateStatus(): void {
    let active = false;
    let idle = false;
    for (const c of this.gate.channels) {
      if (c.finished) continue;
      if (c.idle) idle = true;
      else active = true;
    }
    const now = idle && !active;
    if (now === this.idle) return;
    this.idle = now;
    this.head.processWatermarkStatus?.(now);
  }

  private updateWatermark(input: 1 | 2): void {
    let min = MAX_WATERMARK;
    let live = 0;
    for (const c of this.gate.channels) {
      if (c.input !== input || c.idle || !c.aligned) continue;
      live++;
      if (c.watermark < min) min = c.watermark;
    }
    if (live > 0 && min > this.inputWatermark[input]!) this.inputWatermark[input] = min;
    const combined = this.twoInput ? this.combinedOfInputs() : this.inputWatermark[1]!;
    if (combined > this.emittedWatermark) {
      this.emittedWatermark = combined;
      this.head.processWatermark(combined);
    }
  }

  /**
   * `channel` just went idle: if no channel of its input is active any more and the input's
   * watermark was held at this channel's, it advances to the largest channel watermark of the
   * input, since none of them will move until one is active again.
   */
  private flushIfInputIdle(channel: InputChannel): void {
    const input = channel.input;
    if (channel.watermark !== this.inputWatermark[input]) return;
    let max = this.inputWatermark[input]!;
    for (const c of this.gate.channels) {
      if (c.input !== input) continue;
      if (!c.idle) return;
      if (c.watermark > max) max = c.watermark;
    }
    this.inputWatermark[input] = max;
  }

  /** Two inputs: the minimum of both, or of the one that is not wholly idle; unchanged while both are idle. */
  private combinedOfInputs(): number {
    const idle1 = this.isInputIdle(1);
    const idle2 = this.isInputIdle(2);
    if (idle1 && idle2) return this.emittedWatermark;
    if (idle1) return this.inputWatermark[2]!;
    if (idle2) return this.inputWatermark[1]!;
    return Math.min(this.inputWatermark[1]!, this.inputWatermark[2]!);
  }

  /** Every channel of the input is idle (a finished channel is not). */
  private isInputIdle(input: 1 | 2): boolean {
    for (const c of this.gate.channels) if (c.input === input && !c.idle) return false;
    return true;
  }
}
