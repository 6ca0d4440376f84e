/** The timers of one time domain: a binary min-heap by timestamp, deduplicated per (key, timestamp), indexed by key group (Flink's HeapPriorityQueueSet). */
import { keyToMapKey } from "../../../types/key-hashing.ts";

type MapKey = ReturnType<typeof keyToMapKey>;

/** One registered timer. `heapIndex` is its slot in the heap, -1 once removed. */
export interface InternalTimer {
  readonly key: unknown;
  readonly keyGroup: number;
  readonly timestamp: number;
  /** Registration order: ties on timestamp fire first-registered first, so runs are deterministic. */
  readonly seq: number;
  heapIndex: number;
}

/**
 * Invariants: every timer in the heap is in exactly one key group's index under (key, timestamp)
 * and vice versa; the heap root has the smallest (timestamp, seq).
 */
export class TimerQueue {
  private readonly heap: InternalTimer[] = [];
  /** Per key group (offset from `start`): key -> timestamp -> timer. */
  private readonly byKeyGroup: Map<MapKey, Map<number, InternalTimer>>[];
  private seq = 0;

  constructor(
    private readonly start: number,
    numKeyGroups: number,
  ) {
    this.byKeyGroup = Array.from({ length: numKeyGroups }, () => new Map());
  }

  get size(): number {
    return this.heap.length;
  }

  peek(): InternalTimer | undefined {
    return this.heap[0];
  }

  /** Adds a timer unless one with the same key and timestamp exists. Returns true if added. */
  add(key: unknown, keyGroup: number, timestamp: number): boolean {
    const index = this.byKeyGroup[keyGroup - this.start]!;
    const mapKey = keyToMapKey(key);
    let perKey = index.get(mapKey);
    if (perKey === undefined) index.set(mapKey, (perKey = new Map()));
    else if (perKey.has(timestamp)) return false;
    const timer: InternalTimer = { key, keyGroup, timestamp, seq: this.seq++, heapIndex: this.heap.length };
    perKey.set(timestamp, timer);
    this.heap.push(timer);
    this.siftUp(timer.heapIndex);
    return true;
  }

  /** Removes the timer for (key, timestamp) if there is one. Returns true if removed. */
  delete(key: unknown, keyGroup: number, timestamp: number): boolean {
    const index = this.byKeyGroup[keyGroup - this.start]!;
    const mapKey = keyToMapKey(key);
    const perKey = index.get(mapKey);
    const timer = perKey?.get(timestamp);
    if (timer === undefined) return false;
    this.unindex(index, perKey!, mapKey, timestamp);
    this.removeAt(timer.heapIndex);
    return true;
  }

  /** Removes and returns the earliest timer. */
  poll(): InternalTimer | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const index = this.byKeyGroup[top.keyGroup - this.start]!;
    const mapKey = keyToMapKey(top.key);
    this.unindex(index, index.get(mapKey)!, mapKey, top.timestamp);
    this.removeAt(0);
    return top;
  }

  /** The (key, timestamp) pairs of one key group, in registration order. */
  timersInKeyGroup(keyGroup: number): [unknown, number][] {
    const out: InternalTimer[] = [];
    for (const perKey of this.byKeyGroup[keyGroup - this.start]!.values()) for (const t of perKey.values()) out.push(t);
    out.sort((a, b) => a.seq - b.seq);
    return out.map((t) => [t.key, t.timestamp]);
  }

  clear(): void {
    this.heap.length = 0;
    for (const index of this.byKeyGroup) index.clear();
  }

  private unindex(index: Map<MapKey, Map<number, InternalTimer>>, perKey: Map<number, InternalTimer>, mapKey: MapKey, timestamp: number): void {
    perKey.delete(timestamp);
    if (perKey.size === 0) index.delete(mapKey);
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
