/** State time-to-live (Flink's StateTtlConfig at run time): expiry checks and timestamped values. */
import { UserError } from "../../core/errors.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTtlConfigLike } from "./state-descriptor.ts";
import type { StateEntry, StateTable } from "./state-table.ts";

/** Returned by the TTL read helpers when a value is not visible. */
export const ABSENT: unique symbol = Symbol("absent");

/** A list element with its own last-access time: under TTL, list elements expire one by one. */
export class TtlValue {
  constructor(
    public value: unknown,
    public ts: number,
  ) {}
}

/**
 * How one state expires. A value written at `ts` is expired from `ts + ttlMs` on (Flink's
 * TtlUtils.expired). Writes always refresh the timestamp; reads only when `updateOnRead`.
 * Expired values are removed when read; `returnExpired` returns them that one last time.
 */
export class TtlPolicy {
  constructor(
    readonly ttlMs: number,
    readonly updateOnRead: boolean,
    readonly returnExpired: boolean,
    readonly clock: () => number,
  ) {}

  /** null when the state has no TTL or its update type is "Disabled". */
  static of(config: StateTtlConfigLike | undefined, stateName: string, clock: () => number): TtlPolicy | null {
    if (config === undefined || config === null) return null;
    const { ttlMs, updateType, stateVisibility } = config;
    if (updateType !== "OnCreateAndWrite" && updateType !== "OnReadAndWrite" && updateType !== "Disabled") {
      throw new UserError(`state "${stateName}": TTL updateType must be OnCreateAndWrite, OnReadAndWrite or Disabled, got ${String(updateType)}`);
    }
    if (stateVisibility !== "NeverReturnExpired" && stateVisibility !== "ReturnExpiredIfNotCleanedUp") {
      throw new UserError(`state "${stateName}": TTL stateVisibility must be NeverReturnExpired or ReturnExpiredIfNotCleanedUp, got ${String(stateVisibility)}`);
    }
    if (updateType === "Disabled") return null;
    if (typeof ttlMs !== "number" || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw new UserError(`state "${stateName}": TTL must be a positive number of milliseconds, got ${String(ttlMs)}`);
    }
    return new TtlPolicy(ttlMs, updateType === "OnReadAndWrite", stateVisibility === "ReturnExpiredIfNotCleanedUp", clock);
  }

  isExpired(ts: number, now: number): boolean {
    return ts + this.ttlMs <= now;
  }
}

/** Reads a single-value entry (value, reducing, aggregating) under TTL; ABSENT when not visible. */
export function readWithTtl(policy: TtlPolicy, table: StateTable, ctx: KeyContext, entry: StateEntry): unknown {
  const now = policy.clock();
  if (policy.isExpired(entry.ts, now)) {
    table.remove(ctx);
    return policy.returnExpired ? entry.value : ABSENT;
  }
  if (policy.updateOnRead) entry.ts = now;
  return entry.value;
}

/** The stored value that a write may build on: never an expired one, whatever the visibility. */
export function liveStoredValue(policy: TtlPolicy | null, entry: StateEntry | undefined, now: number): unknown {
  if (entry === undefined) return ABSENT;
  if (policy === null) return entry.value;
  return policy.isExpired(entry.ts, now) ? ABSENT : entry.value;
}

/**
 * Drops what has expired from an entry in TTL format (whole values, list elements, map pairs).
 * Returns true when nothing is left, so the caller removes the entry.
 */
export function purgeExpired(policy: TtlPolicy, entry: StateEntry, kind: string, now: number): boolean {
  if (kind === "list") {
    const live = (entry.value as TtlValue[]).filter((e) => !policy.isExpired(e.ts, now));
    entry.value = live;
    return live.length === 0;
  }
  if (kind === "map") {
    const map = entry.value as Map<unknown, unknown[]>;
    for (const [mk, pair] of map) if (policy.isExpired(pair[2] as number, now)) map.delete(mk);
    return map.size === 0;
  }
  return policy.isExpired(entry.ts, now);
}

/** Converts a stored value between the plain and the TTL format (after a restore with a changed TTL). */
export function convertTtlFormat(kind: string, value: any, toTtl: boolean, now: number): any {
  if (kind === "list") return toTtl ? (value as unknown[]).map((v) => new TtlValue(v, now)) : (value as TtlValue[]).map((e) => e.value);
  if (kind === "map") {
    for (const pair of (value as Map<unknown, unknown[]>).values()) pair.length = 2;
    if (toTtl) for (const pair of (value as Map<unknown, unknown[]>).values()) pair.push(now);
  }
  return value;
}
