/**
 * The DataSet optimizer: before a program is translated, picks for every join, coGroup and cross
 * how each input is shipped (forward, hash, broadcast) and the local strategy (hybrid hash with
 * either build side, sort-merge, a block nested loop), from size estimates, the partitioning
 * inputs already have, and the user's hints; and records, per operator, what it chose and
 * estimated for getExecutionPlan() and `flinkts info`.
 *
 * Greedy, input before consumer: each binary operator takes the cheapest candidate given its
 * inputs' properties (Costs), which is what Flink's enumeration finds for the tree-shaped plans
 * DataSet programs mostly are.
 *
 * Pipeline breakers: where one source feeds both inputs of a join (or any operator that dams one
 * input until the other has ended), a pipelined plan could deadlock if the operator stopped
 * reading one input. It never does for long here: the binary operators (hash and sort-merge
 * joins, coGroup, cross, broadcast inputs) buffer what they cannot use yet in managed memory and
 * spill it. A hash join reads its build side first only when no operator feeds both of its
 * inputs (JoinOperatorOptions.readBuildFirst), and a task that waits that way reads both inputs
 * after INPUT_SELECTION_PATIENCE_MS without build records. So no edge needs to be made blocking;
 * a blocking edge could not help either, as a region reading a blocking result of its own
 * producer never starts.
 */
import type { Transformation } from "../transformation.ts";
import { blockNestedLoopCost, broadcastCost, Costs, hashPartitionCost, hybridHashCost, sortCost } from "./costs.ts";
import { bytesOf, Estimator, type SizeEstimate } from "./estimates.ts";
import { binaryInfo, rangePartitionKey, type BinaryChoice, type BinaryInfo, type ShipStrategy } from "./plan-info.ts";
import { partitionedOn, PropertyTracker } from "./properties.ts";
import { candidatesFor } from "./candidates.ts";
import { removeRedundantShuffles, restoreShuffles } from "./redundant-shuffles.ts";

/** What the optimizer shows for one operator. */
export interface OperatorPlanInfo {
  /** How each input reaches it. */
  ship: string[];
  /** Its local strategy, for operators that have a choice. */
  local?: string;
  /** Estimated output; absent where unknown. */
  rows?: number;
  bytes?: number;
}

export interface OptimizerContext {
  /** The parallelism a physical transformation will run at. */
  parallelismOf(t: Transformation): number;
  /** Managed memory of one slot, in bytes: the hash tables and sort buffers of one subtask share it. */
  managedMemoryBytes: number;
}

/** Picks strategies for every binary operator reachable from `sinks` (setting their ship partitions) and describes every operator. */
export function optimizePlan(sinks: Transformation[], ctx: OptimizerContext): Map<number, OperatorPlanInfo> {
  return new PlanOptimizer(ctx).run(sinks);
}

class PlanOptimizer {
  private readonly estimator = new Estimator();
  private readonly properties: PropertyTracker;
  private readonly plans = new Map<number, OperatorPlanInfo>();

  constructor(private readonly ctx: OptimizerContext) {
    this.properties = new PropertyTracker((t) => ctx.parallelismOf(t));
  }

  run(sinks: Transformation[]): Map<number, OperatorPlanInfo> {
    const all = reachable(sinks);
    restoreShuffles(all);
    for (const t of all) if (t.kind === "two-input") this.decide(t);
    removeRedundantShuffles(all, this.properties, (t) => this.ctx.parallelismOf(t));
    const hashed = new Set<number>();
    for (const t of all) if (t.kind === "partition" && t.props.partitioner === "hash") for (const i of t.inputs) hashed.add(i.id);
    for (const t of all) {
      if (!t.isPhysical) continue;
      const p = this.ctx.parallelismOf(t);
      const e = this.estimator.estimate(t);
      const info = binaryInfo(t);
      const plan: OperatorPlanInfo = { ship: t.inputs.map((i) => shipLabel(i, p, this.ctx)) };
      if (info) plan.local = localLabel(info.choice);
      else if (t.operatorKind.endsWith("-combine") && hashed.has(t.id)) plan.local = this.combineStrategy(t);
      if (e.rows !== undefined) plan.rows = Math.round(e.rows);
      const bytes = bytesOf(e);
      if (bytes !== undefined) plan.bytes = bytes;
      this.plans.set(t.id, plan);
    }
    return this.plans;
  }

  /** Chooses the strategy of a binary operator (after those of its inputs) and sets its ship partitions. */
  private decide(t: Transformation): void {
    const info = binaryInfo(t);
    if (!info) return;
    const p = this.ctx.parallelismOf(t);
    const inputs = info.ships.map((s) => s.inputs[0]!) as [Transformation, Transformation];
    const sizes = inputs.map((i) => this.estimator.estimate(i)) as [SizeEstimate, SizeEstimate];
    const props = inputs.map((i) => this.properties.shipped(i, p));
    const reuse = info.keys ? info.keys.map((k, i) => partitionedOn(props[i]!, k.id, p)) : [false, false];
    const sorted = info.keys ? info.keys.map((k, i) => props[i]!.sortedOn?.startsWith(`${k.id}:`) === true) : [false, false];
    let best: { c: BinaryChoice; cost: Costs } | undefined;
    for (const c of candidatesFor(info)) {
      const cost = this.cost(c, sizes, reuse, sorted, inputs, p);
      if (!best || cost.compareTo(best.cost) < 0) best = { c, cost };
    }
    const chosen = best!.c;
    info.choice = { ship: chosen.ship, local: chosen.local };
    info.ships.forEach((ship, i) => applyShip(ship, chosen.ship[i]!, reuse[i]!, info));
  }

  private cost(c: BinaryChoice, sizes: [SizeEstimate, SizeEstimate], reuse: boolean[], sorted: boolean[], inputs: Transformation[], p: number): Costs {
    const bytes = sizes.map(bytesOf);
    const total = new Costs();
    c.ship.forEach((s, i) => {
      if (s === "hash" && !reuse[i]) total.add(hashPartitionCost(bytes[i]));
      else if (s === "broadcast") total.add(broadcastCost(bytes[i], p));
      else if (s === "forward" && this.ctx.parallelismOf(physicalOf(inputs[i]!) ?? inputs[i]!) !== p) total.add(hashPartitionCost(bytes[i]));
    });
    const replicated = (i: number) => (c.ship[i] === "broadcast" ? scaleBytes(bytes[i], p) : bytes[i]);
    // an input keeps its order only when its records stay where they are
    const stillSorted = (i: number) => sorted[i] && (c.ship[i] === "forward" || (c.ship[i] === "hash" && reuse[i]));
    if (c.local === "sort-merge") {
      if (!stillSorted(0)) total.add(sortCost(replicated(0)));
      if (!stillSorted(1)) total.add(sortCost(replicated(1)));
    } else if (c.local === "hash-build-first") total.add(hybridHashCost(replicated(0), bytes[1]));
    else if (c.local === "hash-build-second") total.add(hybridHashCost(replicated(1), bytes[0]));
    else {
      const block = c.local === "nested-loop-block-first" ? 0 : 1;
      total.add(blockNestedLoopCost(replicated(block), bytes[1 - block], Math.max(1, this.ctx.managedMemoryBytes / 2)));
    }
    return total;
  }

  /**
   * How a grouped combiner (one before a hash shuffle) combines. Reduce and aggregate combiners
   * always use a hash table in managed memory and hand on what they hold when it is full; the
   * others hash when their input likely fits in memory, else sort and combine runs of equal keys
   * (the operators decide at run time, so this is the optimizer's expectation).
   */
  private combineStrategy(t: Transformation): string {
    if (t.operatorKind === "aggregate-combine" || t.operatorKind === "grouped-reduce-combine") return "hash-combine";
    const bytes = bytesOf(this.estimator.estimate(t.inputs[0]!));
    return bytes !== undefined && bytes <= this.ctx.managedMemoryBytes / 2 ? "hash-combine" : "sort-combine";
  }
}

/** Sets a ship partition's partitioner for the chosen strategy; forward and reused partitioning leave the input's own. */
function applyShip(ship: Transformation, strategy: ShipStrategy, reused: boolean, info: BinaryInfo): void {
  const index = info.ships.indexOf(ship);
  if (strategy === "forward" || (strategy === "hash" && reused)) {
    ship.props.partitioner = undefined;
    ship.props.partitionKeySelector = undefined;
  } else if (strategy === "hash") {
    ship.props.partitioner = "hash";
    ship.props.partitionKeySelector = info.keys![index]!.selector;
  } else {
    ship.props.partitioner = "broadcast";
    ship.props.partitionKeySelector = undefined;
  }
}

function scaleBytes(bytes: number | undefined, factor: number): number | undefined {
  return bytes === undefined ? undefined : bytes * factor;
}

/** The physical transformation below a chain of partitions, if there is exactly one. */
function physicalOf(t: Transformation): Transformation | undefined {
  if (t.isPhysical) return t;
  if (t.kind === "partition" || t.kind === "side-output") return physicalOf(t.inputs[0]!);
  return undefined;
}

/** How records reach a consumer at `parallelism` through `node`, as the stream graph will connect them. */
function shipLabel(node: Transformation, parallelism: number, ctx: OptimizerContext): string {
  if (node.isPhysical) return ctx.parallelismOf(node) === parallelism ? "forward" : "rebalance";
  if (node.kind === "partition") {
    if (node.props.partitioner === undefined) return shipLabel(node.inputs[0]!, parallelism, ctx);
    if (rangePartitionKey(node) !== undefined) return "range";
    return node.props.partitioner;
  }
  if (node.kind === "side-output") return shipLabel(node.inputs[0]!, parallelism, ctx);
  const labels = [...new Set(node.inputs.map((i) => shipLabel(i, parallelism, ctx)))];
  return labels.join("+");
}

function localLabel(choice: BinaryChoice): string {
  switch (choice.local) {
    case "hash-build-first":
      return "hybrid-hash (build first)";
    case "hash-build-second":
      return "hybrid-hash (build second)";
    case "sort-merge":
      return "sort-merge";
    case "nested-loop-block-first":
      return "nested-loop (block first)";
    case "nested-loop-block-second":
      return "nested-loop (block second)";
  }
}

/** Every transformation reachable from `roots`, inputs before consumers. */
function reachable(roots: Transformation[]): Transformation[] {
  const seen = new Set<number>();
  const out: Transformation[] = [];
  const visit = (t: Transformation) => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    for (const i of t.inputs) visit(i);
    out.push(t);
  };
  roots.forEach(visit);
  return out;
}
