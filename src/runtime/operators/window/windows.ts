/** The windows elements are grouped into: TimeWindow [start, end) and the single GlobalWindow. */
import { MAX_WATERMARK } from "../../../core/stream-element.ts";
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { NAMESPACE_KEY } from "../../state/key-context.ts";

/** What every window offers: the largest timestamp that still belongs to it. */
export interface Window {
  maxTimestamp(): number;
}

/** Where a TimeWindow caches its map key: a symbol-keyed field, invisible to Object.keys, copies and snapshots. */
const CACHED_KEY: unique symbol = Symbol("cachedMapKey");

/**
 * A window of time [start, end): `end` is exclusive, so maxTimestamp() is end − 1 and the
 * window fires when the watermark reaches it. Windows are equal when start and end are.
 *
 * A TimeWindow is also the namespace its state and timers live under: its own enumerable fields
 * are exactly `start` and `end`, so a snapshot holds it as `{ start, end }`, and its map key is
 * cached under NAMESPACE_KEY (equal to keyToMapKey of that plain form).
 */
export class TimeWindow implements Window {
  private [CACHED_KEY]: string | undefined = undefined;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  getStart(): number {
    return this.start;
  }

  getEnd(): number {
    return this.end;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** Overlapping or touching windows intersect: sessions merge then. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window that covers both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: unknown): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  get [NAMESPACE_KEY](): string {
    return (this[CACHED_KEY] ??= keyToMapKey({ start: this.start, end: this.end }) as string);
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /**
   * The start of the window of `size` that `timestamp` falls into, windows being aligned to
   * `offset`: timestamp − ((timestamp − offset) mod size), with a modulo that is never negative,
   * so negative timestamps land in the right window too.
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const remainder = (timestamp - offset) % size;
    return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
  }
}

/**
 * The one window of GlobalWindows: it holds every element of a key and never ends. Its results
 * carry MAX_WATERMARK (Flink's Long.MAX_VALUE) as timestamp.
 */
export class GlobalWindow implements Window {
  private static readonly INSTANCE = new GlobalWindow();
  private constructor() {}

  static get(): GlobalWindow {
    return GlobalWindow.INSTANCE;
  }

  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  equals(other: unknown): boolean {
    return other instanceof GlobalWindow;
  }

  get [NAMESPACE_KEY](): string {
    return GLOBAL_WINDOW_KEY;
  }

  toString(): string {
    return "GlobalWindow";
  }
}

const GLOBAL_WINDOW_KEY = keyToMapKey({}) as string;

/** The map key of a window, for Maps and Sets of windows (equal windows, equal keys). */
export function windowKey(window: Window): unknown {
  return (window as unknown as { [NAMESPACE_KEY]: unknown })[NAMESPACE_KEY] ?? keyToMapKey(window);
}

/**
 * Turns a namespace read back from state or a timer into a window: a restored snapshot may hold
 * a window as its plain data (`{ start, end }`, or `{}` for the global window).
 */
export function asWindow(namespace: unknown): Window {
  if (namespace instanceof TimeWindow) return namespace;
  if (namespace instanceof GlobalWindow) return GlobalWindow.get();
  const n = namespace as { start?: unknown; end?: unknown } | null;
  if (n !== null && typeof n === "object" && typeof n.start === "number" && typeof n.end === "number") return new TimeWindow(n.start, n.end);
  if (n !== null && typeof n === "object" && Object.keys(n).length === 0) return GlobalWindow.get();
  return namespace as Window;
}

/**
 * Flink's TimeWindow.mergeWindows: sorts by start and folds windows that intersect (overlap or
 * touch); calls `merge(toBeMerged, result)` for every group of more than one window.
 */
export function mergeTimeWindows(windows: readonly TimeWindow[], merge: (toBeMerged: TimeWindow[], result: TimeWindow) => void): void {
  const sorted = windows.slice().sort((a, b) => a.start - b.start);
  let current: TimeWindow | undefined;
  let group: TimeWindow[] = [];
  const flush = () => {
    if (current !== undefined && distinct(group).length > 1) merge(distinct(group), current);
  };
  for (const candidate of sorted) {
    if (current !== undefined && current.intersects(candidate)) {
      current = current.cover(candidate);
      group.push(candidate);
    } else {
      flush();
      current = candidate;
      group = [candidate];
    }
  }
  flush();
}

/** Equal windows count once, as in the HashSet Flink collects them in. */
function distinct(windows: TimeWindow[]): TimeWindow[] {
  const seen = new Set<string>();
  const out: TimeWindow[] = [];
  for (const w of windows) {
    const k = w[NAMESPACE_KEY];
    if (!seen.has(k)) {
      seen.add(k);
      out.push(w);
    }
  }
  return out;
}
