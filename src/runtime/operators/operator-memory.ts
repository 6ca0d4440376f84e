/** How an operator that sorts, hashes or caches gets its managed memory pages and spill files. */
import { ConfigKeys, parseMemorySize } from "../../core/config.ts";
import { IOManager } from "../../io/io-manager.ts";
import { MemoryManager } from "../../memory/memory-manager.ts";
import type { MemorySegment } from "../../memory/memory-segment.ts";
import type { OperatorContext, OperatorMemory } from "./operator-context.ts";

/** Managed memory of a local TaskManager when nothing is configured (Flink's MiniCluster default). */
export const DEFAULT_MANAGED_MEMORY = "128mb";

/** The managed memory of one slot: the TaskManager's budget divided by its slots. */
export function slotManagedMemoryBytes(config: { getString(key: string): string | undefined }, numSlots: number): number {
  const total = parseMemorySize(config.getString(ConfigKeys.managedMemorySize) ?? DEFAULT_MANAGED_MEMORY, ConfigKeys.managedMemorySize);
  return Math.floor(total / Math.max(1, numSlots));
}

let standalone: { manager: MemoryManager; io: IOManager } | undefined;

/**
 * The operator's memory: the slot's when it runs in a cluster; otherwise (test harnesses, unit
 * tests) one default budget per thread, with the whole of it as the operator's share.
 */
export function memoryOf(context: OperatorContext): OperatorMemory {
  if (context.memory) return context.memory;
  standalone ??= { manager: new MemoryManager(parseMemorySize(DEFAULT_MANAGED_MEMORY)), io: new IOManager() };
  return { ...standalone, fraction: 1 };
}

/**
 * Allocates the operator's share of managed memory (at least `minPages`), owned by its
 * "name (i/p)"; release with `releaseOperatorMemory`. Throws MemoryAllocationError naming the
 * operator when the share is below `minPages` or the pages are taken.
 */
export function allocateOperatorMemory(context: OperatorContext, minPages = 1): MemorySegment[] {
  const mem = memoryOf(context);
  const share = mem.fraction > 0 ? mem.manager.pagesFor(mem.fraction) : 0;
  return mem.manager.allocatePages(context.taskNameWithSubtask, Math.max(share, minPages));
}

export function releaseOperatorMemory(context: OperatorContext): void {
  memoryOf(context).manager.releaseAll(context.taskNameWithSubtask);
}
