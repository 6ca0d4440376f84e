/** sortPartition: sorts each subtask's records by one or more fields in managed memory, spilling when they do not fit, and emits them in order. */
import { NO_TIMESTAMP } from "../../../core/stream-element.ts";
import { checkArgument } from "../../../core/errors.ts";
import { ExternalSorter } from "../sort/external-sorter.ts";
import { sorterMemory } from "../sort/sorter-memory.ts";
import { type BatchDriverRole, BatchOperator } from "./batch-operator.ts";
import { recordSerializer, type SortField, type SortSettings } from "./sort-group.ts";

/** Records emitted between two checks whether to pause (see OperatorContext.yieldIfDue). */
const YIELD_EVERY = 256;

/**
 * Records are serialized into an ExternalSorter keyed by the fields (lexicographically, each
 * ascending or descending, ties in arrival order) and emitted at endInput. A STRING data set
 * sorted by itself (`keyIsRecord`) is stored once, as its key.
 *
 * Memory: the operator's share of managed memory; sorted runs spill to disk and are merged.
 */
export class SortPartitionOperator<T> extends BatchOperator<T, T> {
  readonly role: BatchDriverRole = "finalize";
  private sorter: ExternalSorter<T> | undefined;

  constructor(
    private readonly fields: readonly SortField<T>[],
    private readonly settings: SortSettings & { keyIsRecord?: boolean } = {},
  ) {
    super();
    checkArgument(fields.length > 0, "sortPartition needs at least one field");
  }

  override open(): void | Promise<void> {
    const keyIsRecord = this.settings.keyIsRecord === true && this.fields.length === 1 && this.fields[0]!.type?.kind === "STRING";
    const spec = { fields: this.fields, groupFields: this.fields.length, serializer: recordSerializer<T>(this.settings.inputType), keyIsRecord };
    this.sorter = new ExternalSorter<T>(spec, sorterMemory(this.context));
    return super.open();
  }

  processElement(value: T): void {
    this.sorter!.add(value);
  }

  /** Emits in order, pausing every YIELD_EVERY records when others on the slot thread are due (OperatorContext.yieldIfDue). */
  override async endInput(): Promise<void> {
    const sorter = this.sorter!;
    const cursor = sorter.finish();
    const records = sorter.records;
    const output = this.output;
    const yieldIfDue = this.context.yieldIfDue;
    let n = 0;
    while (cursor.next()) {
      output.collect(records.read(cursor), NO_TIMESTAMP);
      if (++n === YIELD_EVERY && yieldIfDue) {
        n = 0;
        const pause = yieldIfDue();
        if (pause) await pause;
      }
    }
    sorter.close();
  }

  override close(): void | Promise<void> {
    this.sorter?.close();
    return super.close();
  }

  describe(): string {
    return `SortPartition (${this.fields.map((f) => (f.order === "ASCENDING" ? "asc" : "desc")).join(", ")})`;
  }
}
