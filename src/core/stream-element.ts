/** Time values that flow through streams beside records: timestamps and watermarks. */

/** A record without a timestamp carries this value (Flink: hasTimestamp() == false). */
export const NO_TIMESTAMP = Number.MIN_SAFE_INTEGER;

/** Flink's Long.MAX_VALUE: the final watermark of a bounded input. */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;

/** Flink's Long.MIN_VALUE watermark: nothing is known yet. */
export const MIN_WATERMARK = Number.MIN_SAFE_INTEGER;

/** A watermark: no element with a timestamp <= this one is expected any more. */
export class Watermark {
  static readonly MAX = new Watermark(MAX_WATERMARK);
  constructor(readonly timestamp: number) {}
  getTimestamp(): number {
    return this.timestamp;
  }
  toString(): string {
    return `Watermark @ ${this.timestamp}`;
  }
}
