/**
 * The memory check of hash-based grouped operators (reduce, aggregate): their table of JS values
 * per key is measured against the operator's share of managed memory, and past it they switch
 * to a combining external sorter (Flink chooses hash or sort combining; here hashing falls back).
 */
import { DataOutputView } from "../../../types/data-output-view.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import { PAGE_SIZE } from "../../../memory/memory-segment.ts";
import type { OperatorContext } from "../operator-context.ts";
import { sorterMemory } from "../sort/sorter-memory.ts";

/** What a JS Map entry costs beyond its value's serialized bytes: the entry, the key, object headers. */
const ENTRY_OVERHEAD = 96;
/** JS objects take about this many times their serialized bytes. */
const OBJECT_EXPANSION = 2;
const SAMPLE_EVERY = 1024;

/**
 * Estimates a table's bytes as entries x (sampled serialized size x OBJECT_EXPANSION +
 * ENTRY_OVERHEAD): the first 16 values and every 1024th are serialized to learn the size.
 */
export class HashTableBudget<T> {
  private readonly out = new DataOutputView(256);
  private samples = 0;
  private sampledBytes = 0;

  constructor(
    private readonly serializer: TypeSerializer<T>,
    readonly budgetBytes: number,
  ) {}

  /** The budget of an operator's table: its share of managed memory. */
  static bytesFor(context: OperatorContext): number {
    return sorterMemory(context).pages * PAGE_SIZE;
  }

  /** Call when the table gains its `entries`-th entry, `value`; true once the table is over budget. */
  exceeded(entries: number, value: T): boolean {
    if (entries <= 16 || entries % SAMPLE_EVERY === 0) {
      this.out.reset();
      this.serializer.serialize(value, this.out);
      this.sampledBytes += this.out.pos;
      this.samples++;
    }
    const perEntry = (this.sampledBytes / this.samples) * OBJECT_EXPANSION + ENTRY_OVERHEAD;
    return entries * perEntry > this.budgetBytes;
  }
}
