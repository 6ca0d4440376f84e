/** Key groups: keys hash into maxParallelism groups, and each parallel subtask owns a contiguous range of them. */
import { InvalidProgramError } from "../core/errors.ts";
import { hashInt32, hashKey } from "./key-hashing.ts";
import { murmurHashInt } from "./murmur3.ts";

export const DEFAULT_MAX_PARALLELISM = 128;

/** Flink's upper bound for maxParallelism (2^15): key groups are stored as 16-bit values. */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/** The key group of a key: murmur-finalized hashKey modulo maxParallelism (Flink's assignToKeyGroup); int32 keys take the straight-line int32KeyGroup. */
export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  if (typeof key === "number" && (key | 0) === key) return int32KeyGroup(key, maxParallelism);
  return keyGroupForHash(hashKey(key), maxParallelism);
}

/** The key group of a key whose hashKey is already known. */
export function keyGroupForHash(hash: number, maxParallelism: number): number {
  return murmurHashInt(hash) % maxParallelism;
}

/**
 * assignToKeyGroup of an int32 key as one straight-line function (hashInt32, then
 * murmurHashInt's steps written out), with a mask for a power-of-two maxParallelism.
 */
export function int32KeyGroup(key: number, maxParallelism: number): number {
  let k = Math.imul(hashInt32(key), 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  let h = (Math.imul((k << 13) | (k >>> 19), 5) + 0xe6546b64) | 0;
  h ^= 4;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // made non-negative as murmurHashInt
  h = h >= 0 ? h : h !== -2147483648 ? -h : 0;
  return (maxParallelism & (maxParallelism - 1)) === 0 ? h & (maxParallelism - 1) : h % maxParallelism;
}

/** The subtask that owns a key group: floor(keyGroup * parallelism / maxParallelism) (both factors below 2^15: an int32 floor). */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return ((keyGroup * parallelism) / maxParallelism) | 0;
}

/**
 * Throws an InvalidProgramError unless 0 < parallelism <= maxParallelism <= 32768: a subtask
 * without a key group could hold no keyed state.
 */
export function checkParallelism(parallelism: number, maxParallelism: number, operatorName?: string): void {
  const of = operatorName ? ` of '${operatorName}'` : "";
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new InvalidProgramError(`max parallelism${of} must be an integer in 1..${UPPER_BOUND_MAX_PARALLELISM}, got ${maxParallelism}`);
  }
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new InvalidProgramError(`parallelism${of} must be a positive integer, got ${parallelism}`);
  }
  if (parallelism > maxParallelism) {
    throw new InvalidProgramError(
      `parallelism ${parallelism}${of} exceeds its max parallelism ${maxParallelism}; lower the parallelism or raise pipeline.max-parallelism`,
    );
  }
}

/** An inclusive range [start, end] of key groups; empty when end < start. */
export class KeyGroupRange {
  static readonly EMPTY = new KeyGroupRange(0, -1);

  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  /** The key groups subtask `index` owns (Flink's computeKeyGroupRangeForOperatorIndex). */
  static forOperator(maxParallelism: number, parallelism: number, index: number): KeyGroupRange {
    checkParallelism(parallelism, maxParallelism);
    if (!Number.isInteger(index) || index < 0 || index >= parallelism) {
      throw new InvalidProgramError(`subtask index ${index} is outside 0..${parallelism - 1}`);
    }
    const start = Math.floor((index * maxParallelism + parallelism - 1) / parallelism);
    const end = Math.floor(((index + 1) * maxParallelism - 1) / parallelism);
    return new KeyGroupRange(start, end);
  }

  contains(keyGroup: number): boolean {
    return keyGroup >= this.start && keyGroup <= this.end;
  }

  get size(): number {
    return Math.max(0, this.end - this.start + 1);
  }

  /** The key groups in both ranges (used when restoring state at another parallelism). */
  intersect(other: KeyGroupRange): KeyGroupRange {
    const start = Math.max(this.start, other.start);
    const end = Math.min(this.end, other.end);
    return end >= start ? new KeyGroupRange(start, end) : KeyGroupRange.EMPTY;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let kg = this.start; kg <= this.end; kg++) yield kg;
  }

  toString(): string {
    return `KeyGroupRange[${this.start}, ${this.end}]`;
  }
}
