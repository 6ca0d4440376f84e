/**
 * Costs of candidate plans, as Flink's DefaultCostEstimator weighs them: network bytes, then
 * disk bytes, then CPU, each compared on the estimates when both plans have them and on fixed
 * heuristic amounts otherwise, so that plans differ in cost even when nothing is known.
 */

/** The data volume assumed where no estimate is known: large, which favours robust strategies. */
const HEURISTIC_BASE = 1e9;
const HASHING_CPU = 4;
const SORTING_CPU = 9;
const MATERIALIZATION_CPU = 1;

export class Costs {
  /** NaN where unknown. */
  network = 0;
  disk = 0;
  cpu = 0;
  heuristicNetwork = 0;
  heuristicDisk = 0;
  heuristicCpu = 0;

  add(o: Costs): this {
    this.network += o.network;
    this.disk += o.disk;
    this.cpu += o.cpu;
    this.heuristicNetwork += o.heuristicNetwork;
    this.heuristicDisk += o.heuristicDisk;
    this.heuristicCpu += o.heuristicCpu;
    return this;
  }

  /** Negative if this plan is cheaper: network first, then disk, then CPU. */
  compareTo(o: Costs): number {
    return (
      compareDimension(this.network, o.network, this.heuristicNetwork, o.heuristicNetwork) ||
      compareDimension(this.disk, o.disk, this.heuristicDisk, o.heuristicDisk) ||
      compareDimension(this.cpu, o.cpu, this.heuristicCpu, o.heuristicCpu)
    );
  }
}

function compareDimension(a: number, b: number, ha: number, hb: number): number {
  if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  return Math.sign(ha - hb);
}

/** NaN for an unknown size, so sums with it stay unknown. */
function known(bytes: number | undefined): number {
  return bytes === undefined || bytes < 0 ? NaN : bytes;
}

/** Shipping all of `bytes` through a hash (or random) repartitioning. */
export function hashPartitionCost(bytes: number | undefined): Costs {
  const c = new Costs();
  c.network = known(bytes);
  c.heuristicNetwork = HEURISTIC_BASE;
  return c;
}

/** Sampling a tenth and shipping everything to its range. */
export function rangePartitionCost(bytes: number | undefined): Costs {
  const c = new Costs();
  c.network = known(bytes) * 1.1;
  c.heuristicNetwork = HEURISTIC_BASE * 1.1;
  c.heuristicDisk = HEURISTIC_BASE * 0.2;
  return c;
}

/** Sending all of `bytes` to each of `replication` consumers. */
export function broadcastCost(bytes: number | undefined, replication: number): Costs {
  const c = new Costs();
  c.network = known(bytes) * replication;
  c.heuristicNetwork = HEURISTIC_BASE * 10 * replication;
  return c;
}

/** A two-phase external sort: each block written and read once. */
export function sortCost(bytes: number | undefined): Costs {
  const c = new Costs();
  const s = known(bytes);
  c.disk = 2 * s;
  c.cpu = s * SORTING_CPU;
  c.heuristicDisk = 2 * HEURISTIC_BASE;
  c.heuristicCpu = HEURISTIC_BASE * SORTING_CPU;
  return c;
}

/** A hybrid hash join: the build side may be written and read once, the probe side once. */
export function hybridHashCost(buildBytes: number | undefined, probeBytes: number | undefined, weight = 1): Costs {
  const c = new Costs();
  const overall = 2 * known(buildBytes) + known(probeBytes);
  c.disk = overall * weight;
  c.cpu = overall * HASHING_CPU * weight;
  c.heuristicDisk = 2 * HEURISTIC_BASE * weight;
  c.heuristicCpu = 2 * HEURISTIC_BASE * HASHING_CPU * weight;
  return c;
}

/** A block nested loop: the inner side read once per block of the outer side. */
export function blockNestedLoopCost(outerBytes: number | undefined, innerBytes: number | undefined, blockBytes: number): Costs {
  const c = new Costs();
  const loops = Math.max(known(outerBytes) / blockBytes, 1);
  c.disk = loops * known(innerBytes);
  c.cpu = loops * known(innerBytes) * MATERIALIZATION_CPU;
  c.heuristicDisk = HEURISTIC_BASE * 1000;
  c.heuristicCpu = HEURISTIC_BASE * 1000 * MATERIALIZATION_CPU;
  return c;
}
