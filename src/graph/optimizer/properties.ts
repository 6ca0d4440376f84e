/**
 * Physical properties of data sets as the optimizer tracks them: how the records are spread over
 * the parallel subtasks (hash-partitioned on a key, range-partitioned, or not known) and how each
 * subtask's records are ordered. Operators keep their input's properties only when they are known
 * to keep the fields involved (Flink's rule): filters, combiners and the grouped operators whose
 * output keeps the grouping key; maps and other user functions only with declared forwarded fields.
 */
import type { Transformation } from "../transformation.ts";
import { forwardedFields, keyIdOf, rangePartitionKey, sortedOutput } from "./plan-info.ts";

export interface DataProperties {
  /** Key id the data is hash-partitioned on, at `parallelism` subtasks. */
  hashKey?: string;
  /** Key id the data is range-partitioned on. */
  rangeKey?: string;
  /** Key id and order each subtask's records are sorted on. */
  sortedOn?: string;
  parallelism: number;
}

/** Operators that emit their input records (or records whose key fields are unchanged), in the same subtask. */
const KEEPS_PARTITIONING = new Set([
  "filter",
  "sort-partition",
  "range-strip",
  "grouped-reduce",
  "aggregate",
  "grouped-minby",
  "grouped-maxby",
  "grouped-first",
  "sorted-first",
  "distinct",
  "reduce",
  "minby",
  "maxby",
  "first",
]);
/** Of those, the ones that also keep each subtask's order. */
const KEEPS_ORDER = new Set(["filter", "range-strip"]);

export class PropertyTracker {
  private readonly memo = new Map<number, DataProperties>();

  constructor(private readonly parallelismOf: (t: Transformation) => number) {}

  /** The properties of what a physical transformation emits. */
  output(t: Transformation): DataProperties {
    let p = this.memo.get(t.id);
    if (!p) this.memo.set(t.id, (p = this.compute(t)));
    return p;
  }

  /**
   * The properties records have when they reach a consumer at `parallelism` through `node`
   * (the consumer's input: a physical transformation or a chain of partitions and unions).
   */
  shipped(node: Transformation, parallelism: number): DataProperties {
    if (node.isPhysical) {
      // no partitioner: forward at the same parallelism, rebalance otherwise
      return this.parallelismOf(node) === parallelism ? this.output(node) : { parallelism };
    }
    if (node.kind === "partition") {
      const kind = node.props.partitioner;
      if (kind === undefined) return this.shipped(node.inputs[0]!, parallelism);
      if (kind === "hash" && node.props.partitionKeySelector) return { hashKey: keyIdOf(node.props.partitionKeySelector), parallelism };
      const range = rangePartitionKey(node);
      if (range !== undefined) return { rangeKey: range, parallelism };
      return { parallelism };
    }
    if (node.kind === "side-output") return { parallelism };
    // union: kept only when every branch arrives with the same partitioning
    const parts = node.inputs.map((i) => this.shipped(i, parallelism));
    const first = parts[0]!;
    const same = parts.every((p) => p.hashKey === first.hashKey && p.rangeKey === first.rangeKey);
    return same ? { hashKey: first.hashKey, rangeKey: first.rangeKey, parallelism } : { parallelism };
  }

  private compute(t: Transformation): DataProperties {
    const parallelism = this.parallelismOf(t);
    if (t.kind === "source" || t.inputs.length === 0) return { parallelism };
    const input = this.shipped(t.inputs[0]!, parallelism);
    const kind = t.operatorKind;
    if (kind === "sort-partition") return { ...input, sortedOn: sortedOutput(t) };
    if (KEEPS_PARTITIONING.has(kind) || kind.endsWith("-combine")) return KEEPS_ORDER.has(kind) ? input : { ...input, sortedOn: undefined };
    const fields = forwardedFields(t);
    if (fields) return { hashKey: mapKey(input.hashKey, fields), rangeKey: mapKey(input.rangeKey, fields), sortedOn: undefined, parallelism };
    return { parallelism };
  }
}

/** A field key carried through declared forwarded fields, or undefined when one of its fields is not kept. */
function mapKey(id: string | undefined, fields: Map<string, string>): string | undefined {
  if (id === undefined || !id.startsWith("[")) return undefined;
  const parts = JSON.parse(id) as (number | string)[];
  const mapped: string[] = [];
  for (const p of parts) {
    const to = fields.get(JSON.stringify(p));
    if (to === undefined) return undefined;
    mapped.push(to);
  }
  return `[${mapped.join(",")}]`;
}

/** True when records reaching a consumer at `parallelism` are already partitioned so equal keys `keyId` meet. */
export function partitionedOn(p: DataProperties, keyId: string, parallelism: number): boolean {
  return p.parallelism === parallelism && (parallelism === 1 || p.hashKey === keyId);
}
