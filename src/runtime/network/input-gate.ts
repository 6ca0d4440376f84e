/**
 * The consumer side: one InputChannel per producer subtask of an input, gathered in an InputGate
 * that hands out buffers from channels that have data, round robin.
 *
 * Credits: a channel grants INITIAL_CREDITS when it registers and one more (returning the
 * buffer for reuse) each time the task has processed a buffer, so at most INITIAL_CREDITS
 * buffers per channel are ever in flight or queued.
 */
import type { Buffer } from "./buffer.ts";
import type { BufferReceiver, NetworkEnvironment } from "./network-environment.ts";
import type { TypeSerializer } from "../../types/type-serializer.ts";
import { MIN_WATERMARK } from "../../core/stream-element.ts";

export const INITIAL_CREDITS = 4;

export class InputChannel implements BufferReceiver {
  readonly queue: Buffer[] = [];
  /** Last watermark seen on this channel. */
  watermark = MIN_WATERMARK;
  finished = false;
  idle = false;
  /**
   * Whether the channel counts towards the input's watermark (Flink's StatusWatermarkValve): a
   * channel that was idle counts again only once its watermark catches up with the input's.
   */
  aligned = true;
  queued = false;

  constructor(
    private readonly net: NetworkEnvironment,
    private readonly gate: InputGate,
    readonly key: string,
    private readonly producerSlot: number,
    /** 1 or 2: which input of a two-input head this channel feeds. */
    readonly input: 1 | 2,
    readonly deserializer: TypeSerializer<unknown>,
  ) {}

  open(): void {
    this.net.registerInputChannel(this.key, this);
    this.net.sendCredit(this.producerSlot, this.key, INITIAL_CREDITS);
  }

  onBuffer(buffer: Buffer): void {
    this.queue.push(buffer);
    this.gate.notifyData(this);
  }

  /** The task is done with a buffer: give its memory and one credit back to the producer. */
  recycle(buffer: Buffer): void {
    if (this.finished) {
      this.net.pool.recycle(buffer.data);
      return;
    }
    this.net.sendCredit(this.producerSlot, this.key, 1, buffer.data);
  }

  close(): void {
    this.net.unregister(this.key);
  }
}

export class InputGate {
  readonly channels: InputChannel[] = [];
  private readonly withData: InputChannel[] = [];
  private head = 0;
  private finishedChannels = 0;
  /** Channels with data that poll passed over because their input was not selected. */
  private parked: InputChannel[] = [];

  constructor(private readonly onData: () => void) {}

  add(channel: InputChannel): void {
    this.channels.push(channel);
  }

  notifyData(channel: InputChannel): void {
    if (!channel.queued) {
      channel.queued = true;
      this.withData.push(channel);
    }
    this.onData();
  }

  /**
   * The next buffer from some channel with data, or undefined when none has any right now.
   * `input` 1 or 2 takes only that input's channels; the others keep their data (and so grant no
   * credits: their producers are backpressured) until a poll selects them again.
   */
  poll(input: 0 | 1 | 2 = 0): { channel: InputChannel; buffer: Buffer } | undefined {
    if (this.parked.length > 0 && (input === 0 || this.parked.some((c) => c.input === input))) this.unpark(input);
    while (this.head < this.withData.length) {
      const channel = this.withData[this.head]!;
      if (input !== 0 && channel.input !== input) {
        this.head++;
        this.parked.push(channel);
        continue;
      }
      const buffer = channel.queue.shift();
      if (channel.queue.length === 0) {
        channel.queued = false;
        this.head++;
        if (this.head > 64 && this.head * 2 > this.withData.length) {
          this.withData.splice(0, this.head);
          this.head = 0;
        }
      } else {
        // round robin: move the channel to the back
        this.head++;
        this.withData.push(channel);
      }
      if (buffer) return { channel, buffer };
    }
    this.withData.length = 0;
    this.head = 0;
    return undefined;
  }

  /** True when channels of the input not selected hold data. */
  hasParked(): boolean {
    return this.parked.length > 0;
  }

  /** Puts the parked channels of `input` (0: all) back in turn. */
  private unpark(input: 0 | 1 | 2): void {
    const keep: InputChannel[] = [];
    for (const c of this.parked) {
      if (input === 0 || c.input === input) this.withData.push(c);
      else keep.push(c);
    }
    this.parked = keep;
  }

  markFinished(channel: InputChannel): void {
    if (!channel.finished) {
      channel.finished = true;
      this.finishedChannels++;
    }
  }

  allFinished(): boolean {
    return this.finishedChannels === this.channels.length;
  }

  close(): void {
    for (const c of this.channels) c.close();
  }
}
