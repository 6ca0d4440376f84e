/**
 * NexmarkSource: the Nexmark event stream (NEXMARK.md) as a parallel source for
 * `env.fromSource(source, strategy, name)` or `env.addSource(source)`. Records carry their
 * dateTime as timestamp; each subtask emits the watermark dateTime − 4 s as it goes, and a
 * bounded source ends with the maximum watermark.
 */
import { checkArgument } from "../../core/errors.ts";
import type { SourceOutput, SplitSource } from "../../runtime/operators/source.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { NexmarkModel, NEXMARK_EVENT_TYPE, type NexmarkEvent } from "./model.ts";
import { NexmarkGenerator, type NexmarkConfig } from "./nexmark-generator.ts";

export interface NexmarkSourceOptions extends NexmarkConfig {
  /** How many events (event numbers 0 .. events − 1); Infinity for an unbounded stream. */
  events: number;
}

/** The public source object: options only; each subtask gets its own reader from toSplitSource(). */
export class NexmarkSource {
  readonly parallel = true;
  readonly bounded: boolean;
  readonly type: TypeInformation<NexmarkEvent> = NEXMARK_EVENT_TYPE;
  readonly options: Readonly<NexmarkSourceOptions>;

  constructor(options: NexmarkSourceOptions) {
    checkArgument(options !== null && typeof options === "object", "NexmarkSource needs options: new NexmarkSource({ events, seed?, eventsPerSecond?, baseTime? })");
    const { events } = options;
    checkArgument(events === Infinity || (Number.isSafeInteger(events) && events >= 0), `NexmarkSource events must be a non-negative integer or Infinity, got ${events}`);
    new NexmarkGenerator(options); // checks the other options now, at graph-building time
    this.options = { ...options };
    this.bounded = events !== Infinity;
  }

  toSplitSource(): SplitSource<NexmarkEvent> {
    return new NexmarkSplitSource(this.options);
  }
}

/**
 * One subtask's reader: subtask i of p makes events i, i + p, i + 2p, ..., so every subtask's
 * time advances at the same pace and the combined watermark downstream never waits long.
 * No event is ever behind the watermark: each subtask's timestamps only grow, and the watermark
 * trails them by 4 s.
 */
export class NexmarkSplitSource implements SplitSource<NexmarkEvent> {
  readonly bounded: boolean;
  private generator!: NexmarkGenerator;
  private next = 0;
  private stride = 1;
  private watermark = Number.MIN_SAFE_INTEGER;
  private cancelled = false;

  constructor(private readonly options: Readonly<NexmarkSourceOptions>) {
    this.bounded = options.events !== Infinity;
  }

  open(subtaskIndex: number, parallelism: number): void {
    this.generator = new NexmarkGenerator(this.options);
    this.next = subtaskIndex;
    this.stride = parallelism;
  }

  emitNext(output: SourceOutput<NexmarkEvent>, budget: number): boolean {
    const end = this.options.events;
    if (this.cancelled || this.next >= end) return false;
    const generator = this.generator;
    const stride = this.stride;
    let n = this.next;
    let timestamp = 0;
    for (let k = 0; k < budget && n < end; k++, n += stride) {
      timestamp = generator.timestamp(n);
      output.collectWithTimestamp(generator.event(n), timestamp);
    }
    this.next = n;
    const watermark = timestamp - NexmarkModel.WATERMARK_DELAY_MS;
    if (watermark > this.watermark) {
      this.watermark = watermark;
      output.emitWatermark(watermark);
    }
    return n < end;
  }

  cancel(): void {
    this.cancelled = true;
  }

  close(): void {}

  describe(): string {
    const o = this.options;
    return `Nexmark (${o.events === Infinity ? "unbounded" : o.events} events, seed ${o.seed ?? 0}, ${o.eventsPerSecond ?? NexmarkModel.DEFAULT_EVENTS_PER_SECOND}/s of event time)`;
  }
}
