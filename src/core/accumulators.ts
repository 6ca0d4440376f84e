/**
 * Accumulators: values user functions add to on every subtask, merged by the JobManager and
 * returned in the JobExecutionResult. Local values cross threads as plain data.
 */

export interface Accumulator<V, R> {
  add(value: V): void;
  getLocalValue(): R;
  resetLocal(): void;
  /** Folds another accumulator of the same kind into this one. */
  merge(other: Accumulator<V, R>): void;
  clone(): Accumulator<V, R>;
}

abstract class SumAccumulator implements Accumulator<number, number> {
  protected value = 0;
  add(v: number): void {
    this.value += v;
  }
  getLocalValue(): number {
    return this.value;
  }
  resetLocal(): void {
    this.value = 0;
  }
  merge(other: Accumulator<number, number>): void {
    this.value += other.getLocalValue();
  }
  abstract clone(): Accumulator<number, number>;
}

export class IntCounter extends SumAccumulator {
  constructor(initial = 0) {
    super();
    this.value = initial;
  }
  override add(v: number): void {
    this.value = (this.value + v) | 0;
  }
  clone(): IntCounter {
    return new IntCounter(this.value);
  }
}

export class LongCounter extends SumAccumulator {
  constructor(initial = 0) {
    super();
    this.value = initial;
  }
  clone(): LongCounter {
    return new LongCounter(this.value);
  }
}

export class DoubleCounter extends SumAccumulator {
  constructor(initial = 0) {
    super();
    this.value = initial;
  }
  clone(): DoubleCounter {
    return new DoubleCounter(this.value);
  }
}

export class AverageAccumulator implements Accumulator<number, number> {
  private sum = 0;
  private count = 0;
  add(v: number): void {
    this.sum += v;
    this.count++;
  }
  getLocalValue(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
  resetLocal(): void {
    this.sum = 0;
    this.count = 0;
  }
  merge(other: Accumulator<number, number>): void {
    const o = other as AverageAccumulator;
    this.sum += o.sum;
    this.count += o.count;
  }
  clone(): AverageAccumulator {
    const c = new AverageAccumulator();
    c.sum = this.sum;
    c.count = this.count;
    return c;
  }
}

abstract class ExtremumAccumulator implements Accumulator<number, number> {
  protected value: number;
  constructor(private readonly isMax: boolean, private readonly identity: number, initial?: number) {
    this.value = initial ?? identity;
  }
  add(v: number): void {
    this.value = this.isMax ? Math.max(this.value, v) : Math.min(this.value, v);
  }
  getLocalValue(): number {
    return this.value;
  }
  resetLocal(): void {
    this.value = this.identity;
  }
  merge(other: Accumulator<number, number>): void {
    this.add(other.getLocalValue());
  }
  abstract clone(): Accumulator<number, number>;
}

export class IntMaximum extends ExtremumAccumulator {
  constructor(initial?: number) {
    super(true, -(2 ** 31), initial);
  }
  clone(): IntMaximum {
    return new IntMaximum(this.value);
  }
}
export class IntMinimum extends ExtremumAccumulator {
  constructor(initial?: number) {
    super(false, 2 ** 31 - 1, initial);
  }
  clone(): IntMinimum {
    return new IntMinimum(this.value);
  }
}
export class DoubleMaximum extends ExtremumAccumulator {
  constructor(initial?: number) {
    super(true, -Infinity, initial);
  }
  clone(): DoubleMaximum {
    return new DoubleMaximum(this.value);
  }
}
export class DoubleMinimum extends ExtremumAccumulator {
  constructor(initial?: number) {
    super(false, Infinity, initial);
  }
  clone(): DoubleMinimum {
    return new DoubleMinimum(this.value);
  }
}

/** Counts how often each integer value was added. */
export class Histogram implements Accumulator<number, Map<number, number>> {
  private counts = new Map<number, number>();
  add(v: number): void {
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }
  getLocalValue(): Map<number, number> {
    return this.counts;
  }
  resetLocal(): void {
    this.counts = new Map();
  }
  merge(other: Accumulator<number, Map<number, number>>): void {
    for (const [k, n] of other.getLocalValue()) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }
  clone(): Histogram {
    const c = new Histogram();
    c.counts = new Map(this.counts);
    return c;
  }
}

export class ListAccumulator<T> implements Accumulator<T, T[]> {
  private items: T[] = [];
  add(v: T): void {
    this.items.push(v);
  }
  getLocalValue(): T[] {
    return this.items;
  }
  resetLocal(): void {
    this.items = [];
  }
  merge(other: Accumulator<T, T[]>): void {
    for (const x of other.getLocalValue()) this.items.push(x);
  }
  clone(): ListAccumulator<T> {
    const c = new ListAccumulator<T>();
    c.items = [...this.items];
    return c;
  }
}

const KINDS: Record<string, () => Accumulator<any, any>> = {
  IntCounter: () => new IntCounter(),
  LongCounter: () => new LongCounter(),
  DoubleCounter: () => new DoubleCounter(),
  AverageAccumulator: () => new AverageAccumulator(),
  IntMaximum: () => new IntMaximum(),
  IntMinimum: () => new IntMinimum(),
  DoubleMaximum: () => new DoubleMaximum(),
  DoubleMinimum: () => new DoubleMinimum(),
  Histogram: () => new Histogram(),
  ListAccumulator: () => new ListAccumulator(),
};

/** An accumulator's local value as plain data, tagged with its kind so another thread can merge it. */
export interface AccumulatorSnapshot {
  kind: string;
  state: unknown;
}

export function snapshotAccumulator(acc: Accumulator<unknown, unknown>): AccumulatorSnapshot {
  const kind = acc.constructor.name;
  if (!(kind in KINDS)) return { kind: "Opaque", state: acc.getLocalValue() };
  return { kind, state: structuredClone(acc) };
}

/** Rebuilds an accumulator from its snapshot; unknown kinds come back as a value holder. */
export function restoreAccumulator(s: AccumulatorSnapshot): Accumulator<unknown, unknown> {
  const make = KINDS[s.kind];
  if (!make) {
    const holder = new ListAccumulator<unknown>();
    holder.add(s.state);
    return holder;
  }
  // a copy: merging into the restored accumulator must not change the snapshot
  return Object.assign(make(), structuredClone(s.state) as object);
}

/** Merges per-subtask snapshots into final values by name. */
export function mergeAccumulators(snapshots: Record<string, AccumulatorSnapshot>[]): Map<string, unknown> {
  const merged = new Map<string, Accumulator<unknown, unknown>>();
  for (const snap of snapshots)
    for (const [name, s] of Object.entries(snap)) {
      const acc = restoreAccumulator(s);
      const into = merged.get(name);
      if (into) into.merge(acc);
      else merged.set(name, acc);
    }
  const out = new Map<string, unknown>();
  for (const [name, acc] of merged) out.set(name, acc.getLocalValue());
  return out;
}
