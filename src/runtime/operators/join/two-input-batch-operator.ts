/** The base of the binary DataSet drivers (join, coGroup, cross): managed memory, the user function's lifecycle, untimed output. */
import { GenericSerializer } from "../../../types/generic-serializer.ts";
import type { TypeInformation } from "../../../types/type-information.ts";
import type { TypeSerializer } from "../../../types/type-serializer.ts";
import type { Collector } from "../batch/collector.ts";
import { OutputCollector } from "../batch/collector.ts";
import type { OperatorContext } from "../operator-context.ts";
import { memoryOf, releaseOperatorMemory } from "../operator-memory.ts";
import type { SorterMemory } from "../sort/external-sorter.ts";
import { verifyExternal } from "../sort/sorter-memory.ts";
import type { Output, TwoInputStreamOperator } from "../stream-operator.ts";
import { closeFunction, type FunctionLifecycle, openFunction } from "../user-function.ts";
import { PagePool } from "./page-pool.ts";

/** The serializer records of `type` are buffered with; GENERIC when the type is unknown. */
export function serializerFor<T = unknown>(type: TypeInformation | undefined): TypeSerializer<T> {
  return (type ? type.createSerializer() : new GenericSerializer()) as TypeSerializer<T>;
}

/**
 * Keeps the output, a collector for the user function and the operator's pages.
 *
 * Lifecycle: setup -> open (creates the algorithm, which takes the operator's share of managed
 * memory, at least `minPages`, then opens the rich function) -> processElement1/2 in any interleaving ->
 * endInput(1), endInput(2) in any order (results flow while and after the inputs end) ->
 * close (closes the rich function, frees spill files and gives every page back, also after a
 * failure). Watermarks pass through; results carry NO_TIMESTAMP.
 */
export abstract class TwoInputBatchOperator<OUT> implements TwoInputStreamOperator<unknown, unknown, OUT> {
  readonly twoInput = true as const;
  protected output!: Output<OUT>;
  protected context!: OperatorContext;
  protected out!: Collector<OUT>;
  private started = false;

  constructor(
    protected readonly name: string,
    private readonly minPages: number,
    private readonly lifecycle: FunctionLifecycle | undefined,
  ) {}

  setup(context: OperatorContext, output: Output<OUT>): void {
    this.context = context;
    this.output = output;
    this.out = new OutputCollector(output);
  }

  open(): void | Promise<void> {
    this.started = true;
    this.start();
    return openFunction(this.lifecycle, this.context);
  }

  /** Creates the algorithm; it takes its memory with `allocatePool` and `sorterMemory`. */
  protected abstract start(): void;

  /**
   * The operator's share of managed memory, in pages (at least its minimum); just the minimum
   * under `taskmanager.memory.verify-external`, so hash tables, sorters and cross blocks spill.
   */
  protected sharePages(): number {
    if (verifyExternal(this.context)) return this.minPages;
    const mem = memoryOf(this.context);
    return Math.max(this.minPages, mem.fraction > 0 ? mem.manager.pagesFor(mem.fraction) : 0);
  }

  /**
   * A pool of `pages` pages, allocated as the algorithm takes them (a share of a large budget
   * costs only what is used); throws MemoryAllocationError naming the operator when they are not
   * all free now.
   */
  protected allocatePool(pages: number): PagePool {
    const mem = memoryOf(this.context);
    const owner = this.context.taskNameWithSubtask;
    if (pages > mem.manager.availablePages()) mem.manager.allocatePages(owner, pages); // throws, naming what is free
    return PagePool.lazy(mem.manager, mem.io, owner, pages);
  }

  /** A budget of `pages` pages for an ExternalSorter, allocated by the sorter as it fills. */
  protected sorterMemory(pages: number): SorterMemory {
    const mem = memoryOf(this.context);
    return { manager: mem.manager, io: mem.io, owner: this.context.taskNameWithSubtask, pages };
  }

  abstract processElement1(value: unknown, timestamp: number): void;
  abstract processElement2(value: unknown, timestamp: number): void;
  abstract endInput(input: 1 | 2): void;
  /** Frees the algorithm's spill files (pages go back with the operator's memory). */
  protected abstract stop(): void;

  processWatermark(timestamp: number): void {
    this.output.emitWatermark(timestamp);
  }

  close(): void | Promise<void> {
    try {
      if (this.started) this.stop();
    } finally {
      this.started = false;
      releaseOperatorMemory(this.context);
    }
    return closeFunction(this.lifecycle);
  }

  abstract describe(): string;
}
