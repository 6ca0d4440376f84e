/** State time-to-live (Flink's StateTtlConfig at run time): expiry checks and timestamped values. */
import { UserError } from "../../core/errors.ts";
import type { KeyContext } from "./key-context.ts";
import type { StateTtlConfigLike } from "./state-descriptor.ts";
import { REMOVE, type StateTable } from "./state-table.ts";

/** Returned by the TTL read helpers when a value is not visible. */
export const ABSENT: unique symbol = Symbol("absent");

/**
 * A value with its last-access time (Flink's TtlValue): how value, reducing and aggregating
 * states store under TTL, and each list element, since list elements expire one by one.
 */
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

/** Reads a single value (value, reducing, aggregating state) under TTL; ABSENT when not visible. */
export function readWithTtl(policy: TtlPolicy, table: StateTable, ctx: KeyContext, stored: TtlValue): unknown {
  const now = policy.clock();
  if (policy.isExpired(stored.ts, now)) {
    table.remove(ctx);
    return policy.returnExpired ? stored.value : ABSENT;
  }
  if (policy.updateOnRead) stored.ts = now;
  return stored.value;
}

/** The single value a write may build on: never an expired one, whatever the visibility. */
export function liveValue(policy: TtlPolicy | null, stored: unknown, now: number): unknown {
  if (stored === undefined) return ABSENT;
  if (policy === null) return stored;
  return policy.isExpired((stored as TtlValue).ts, now) ? ABSENT : (stored as TtlValue).value;
}

/**
 * What remains of a stored value in TTL format once the expired parts (the whole value, list
 * elements, map pairs) are dropped; REMOVE when nothing does.
 */
export function purgeExpired(policy: TtlPolicy, kind: string, stored: any, now: number): unknown {
  if (kind === "list") {
    const live = (stored as TtlValue[]).filter((e) => !policy.isExpired(e.ts, now));
    return live.length === 0 ? REMOVE : live.length === stored.length ? stored : live;
  }
  if (kind === "map") {
    const map = stored as Map<unknown, unknown[]>;
    for (const [mk, pair] of map) if (policy.isExpired(pair[2] as number, now)) map.delete(mk);
    return map.size === 0 ? REMOVE : map;
  }
  return policy.isExpired((stored as TtlValue).ts, now) ? REMOVE : stored;
}

/** Converts a stored value between the plain and the TTL format (after a restore with a changed TTL). */
export function convertTtlFormat(kind: string, stored: any, toTtl: boolean, now: number): unknown {
  if (kind === "list") return toTtl ? (stored as unknown[]).map((v) => new TtlValue(v, now)) : (stored as TtlValue[]).map((e) => e.value);
  if (kind === "map") {
    for (const pair of (stored as Map<unknown, unknown[]>).values()) {
      pair.length = 2;
      if (toTtl) pair.push(now);
    }
    return stored;
  }
  return toTtl ? new TtlValue(stored, now) : (stored as TtlValue).value;
}
