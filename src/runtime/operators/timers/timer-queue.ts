/** The timers of one time domain: a binary min-heap by timestamp, deduplicated per (key, namespace, timestamp), indexed by key group (Flink's HeapPriorityQueueSet). */
import { keyToMapKey } from "../../../types/key-hashing.ts";
import { namespaceToMapKey } from "../../state/key-context.ts";

type MapKey = ReturnType<typeof keyToMapKey>;
type ByTimestamp = Map<number, QueuedTimer>;

/** One registered timer (Flink's InternalTimer). `heapIndex` is its slot in the heap, -1 once removed. */
export interface InternalTimer {
  readonly key: unknown;
  /** What the timer is for, e.g. a window; null for timers registered without one. */
  readonly namespace: unknown;
  readonly keyGroup: number;
  readonly timestamp: number;
  /** Registration order: ties on timestamp fire first-registered first, so runs are deterministic. */
  readonly seq: number;
  heapIndex: number;
}

/** A timer as the queue holds it: with its map keys, so polling it needs no re-hashing. */
interface QueuedTimer extends InternalTimer {
  readonly mapKey: MapKey;
  /** keyToMapKey(namespace); null for the default namespace. */
  readonly nsKey: MapKey;
}

/**
 * A timer in a snapshot: the namespace (null for the default one) and the registration number,
 * which orders timers with equal timestamps again after a restore. Both may be missing.
 */
export type TimerEntry = [key: unknown, timestamp: number, namespace?: unknown, seq?: number];

/**
 * Invariants: every timer in the heap is in exactly one key group's index under (key, namespace,
 * timestamp) and vice versa; the heap root has the smallest (timestamp, seq). Timers of the
 * default namespace live in `byKeyGroup` (one lookup less, the common case), the others in
 * `byKeyGroupNs`.
 */
export class TimerQueue {
  private readonly heap: QueuedTimer[] = [];
  /** Per key group (offset from `start`): key -> timestamp -> timer, default namespace. */
  private readonly byKeyGroup: Map<MapKey, ByTimestamp>[];
  /** Per key group: key -> namespace -> timestamp -> timer; created on first use. */
  private readonly byKeyGroupNs: (Map<MapKey, Map<MapKey, ByTimestamp>> | undefined)[];
  private seq = 0;

  constructor(
    private readonly start: number,
    numKeyGroups: number,
  ) {
    this.byKeyGroup = Array.from({ length: numKeyGroups }, () => new Map());
    this.byKeyGroupNs = new Array(numKeyGroups).fill(undefined);
  }

  get size(): number {
    return this.heap.length;
  }

  peek(): InternalTimer | undefined {
    return this.heap[0];
  }

  /**
   * Adds a timer unless one with the same key, namespace and timestamp exists. Returns true if
   * added. `namespace` null or undefined is the default namespace (stored as null).
   */
  add(key: unknown, keyGroup: number, timestamp: number, namespace: unknown = null): boolean {
    const kg = keyGroup - this.start;
    const mapKey = keyToMapKey(key);
    let timers: ByTimestamp | undefined;
    let nsKey: MapKey = null;
    if (namespace === null || namespace === undefined) {
      const index = this.byKeyGroup[kg]!;
      timers = index.get(mapKey);
      if (timers === undefined) index.set(mapKey, (timers = new Map()));
    } else {
      nsKey = namespaceToMapKey(namespace);
      const index = (this.byKeyGroupNs[kg] ??= new Map());
      let perKey = index.get(mapKey);
      if (perKey === undefined) index.set(mapKey, (perKey = new Map()));
      timers = perKey.get(nsKey);
      if (timers === undefined) perKey.set(nsKey, (timers = new Map()));
    }
    if (timers.has(timestamp)) return false;
    const timer: QueuedTimer = { key, namespace: namespace ?? null, keyGroup, timestamp, seq: this.seq++, heapIndex: this.heap.length, mapKey, nsKey };
    timers.set(timestamp, timer);
    this.heap.push(timer);
    this.siftUp(timer.heapIndex);
    return true;
  }

  /** Removes the timer for (key, namespace, timestamp) if there is one. Returns true if removed. */
  delete(key: unknown, keyGroup: number, timestamp: number, namespace: unknown = null): boolean {
    const kg = keyGroup - this.start;
    const mapKey = keyToMapKey(key);
    const timer =
      namespace === null || namespace === undefined
        ? this.byKeyGroup[kg]!.get(mapKey)?.get(timestamp)
        : this.byKeyGroupNs[kg]?.get(mapKey)?.get(namespaceToMapKey(namespace))?.get(timestamp);
    if (timer === undefined) return false;
    this.unindex(timer);
    this.removeAt(timer.heapIndex);
    return true;
  }

  /** Removes and returns the earliest timer. */
  poll(): InternalTimer | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.unindex(top);
    this.removeAt(0);
    return top;
  }

  /** The timers of one key group in registration order, as [key, timestamp, namespace, seq]. */
  timersInKeyGroup(keyGroup: number): TimerEntry[] {
    const kg = keyGroup - this.start;
    const out: InternalTimer[] = [];
    for (const timers of this.byKeyGroup[kg]!.values()) for (const t of timers.values()) out.push(t);
    for (const perKey of this.byKeyGroupNs[kg]?.values() ?? []) for (const timers of perKey.values()) for (const t of timers.values()) out.push(t);
    out.sort((a, b) => a.seq - b.seq);
    return out.map((t) => [t.key, t.timestamp, t.namespace, t.seq]);
  }

  clear(): void {
    this.heap.length = 0;
    for (const index of this.byKeyGroup) index.clear();
    this.byKeyGroupNs.fill(undefined);
  }

  /** Takes the timer out of its key group's index, dropping maps that become empty. */
  private unindex(t: QueuedTimer): void {
    const kg = t.keyGroup - this.start;
    if (t.nsKey === null) {
      const index = this.byKeyGroup[kg]!;
      const timers = index.get(t.mapKey)!;
      timers.delete(t.timestamp);
      if (timers.size === 0) index.delete(t.mapKey);
      return;
    }
    const index = this.byKeyGroupNs[kg]!;
    const perKey = index.get(t.mapKey)!;
    const timers = perKey.get(t.nsKey)!;
    timers.delete(t.timestamp);
    if (timers.size > 0) return;
    perKey.delete(t.nsKey);
    if (perKey.size === 0) index.delete(t.mapKey);
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const removed = heap[i]!;
    removed.heapIndex = -1;
    const last = heap.pop()!;
    if (i === heap.length) return;
    heap[i] = last;
    last.heapIndex = i;
    this.siftDown(i);
    this.siftUp(last.heapIndex);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const t = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(t, p)) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const t = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1]!, heap[child]!)) child++;
      const c = heap[child]!;
      if (!before(c, t)) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = t;
    t.heapIndex = i;
  }
}

function before(a: InternalTimer, b: InternalTimer): boolean {
  return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
}
