/** The managed memory of a hash-grouping operator (grouped reduce, aggregate): its share, as a lazily allocated page pool. */
import type { OperatorContext } from "../operator-context.ts";
import { PagePool } from "../join/page-pool.ts";
import { sorterMemory } from "../sort/sorter-memory.ts";
import { GROUPING_MIN_PAGES } from "./grouping-hash-table.ts";

/**
 * The operator's share of the slot's managed memory (what its sorter would get: the fewest pages
 * under `taskmanager.memory.verify-external`, so the table spills), at least GROUPING_MIN_PAGES
 * of its role.
 * Pages are allocated as the table grows; `release()` the pool in close().
 */
export function groupingPool(context: OperatorContext, role: "combine" | "final"): PagePool {
  const { manager, io, owner, pages } = sorterMemory(context);
  return PagePool.lazy(manager, io, owner, Math.max(GROUPING_MIN_PAGES[role], pages));
}
