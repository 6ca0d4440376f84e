/** How an operator sizes its sorters: its share of the slot's managed memory, or the fewest pages when external sorting is forced. */
import type { OperatorContext } from "../operator-context.ts";
import { memoryOf } from "../operator-memory.ts";
import { MIN_SORTER_PAGES, type SorterMemory } from "./external-sorter.ts";

/**
 * `taskmanager.memory.verify-external: true` gives every sorter its minimum of pages, so every
 * sort spills and merges in several passes whatever the data size (DuckDB's verify_external):
 * tests run each job with it to exercise the external paths.
 */
export const VERIFY_EXTERNAL = "taskmanager.memory.verify-external";

/** True when the job runs with VERIFY_EXTERNAL set. */
export function verifyExternal(context: OperatorContext): boolean {
  return context.config.getString(VERIFY_EXTERNAL) === "true";
}

/**
 * The memory of one of `parts` sorters of the operator: an equal part of the operator's share
 * (at least MIN_SORTER_PAGES), allocated lazily by the sorter and owned by the operator's
 * "name (i/p)". An operator that declared no managed memory gets the minimum.
 */
export function sorterMemory(context: OperatorContext, parts = 1): SorterMemory {
  const mem = memoryOf(context);
  const share = mem.fraction > 0 ? mem.manager.pagesFor(mem.fraction) : MIN_SORTER_PAGES;
  const pages = verifyExternal(context) ? MIN_SORTER_PAGES : Math.max(MIN_SORTER_PAGES, Math.floor(share / parts));
  return { manager: mem.manager, io: mem.io, owner: context.taskNameWithSubtask, pages };
}
