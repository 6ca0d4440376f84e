/** The JobGraph as text for `flinkts info`: vertices with their chains, and the edges between them. */
import type { JobGraph, OptimizerAnnotation } from "../runtime/jobgraph/job-graph.ts";
import { formatBytes } from "../memory/memory-manager.ts";

export function formatJobGraph(g: JobGraph): string {
  const lines = [`Job '${g.name}' (${g.runtimeMode}, max parallelism ${g.maxParallelism}, buffer timeout ${g.bufferTimeoutMs} ms)`, ""];
  for (const v of g.vertices) {
    lines.push(`Vertex ${v.id}: ${v.name}  [parallelism ${v.parallelism}${v.isSource ? ", source" : ""}]`);
    v.operators.forEach((o, i) => {
      const side = o.chainedOutputs.some((c) => c.tag) || o.networkOutputs.some((n) => n.tag) ? " (with side outputs)" : "";
      lines.push(`  ${i === 0 ? "head " : "chain"} #${o.id} ${o.name} <${o.kind}> -> ${o.outputType}${side}`);
      if (o.optimizer) lines.push(`        ${optimizerText(o.optimizer)}`);
    });
    for (const id of v.inputEdges) {
      const e = g.edges[id]!;
      lines.push(`  input ${e.targetInput} <- vertex ${e.source}: ${e.partitioner.toUpperCase()}, ${e.resultType}, ${e.typeName}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** `ship: hash, broadcast; local: hybrid-hash (build second); est. 1000 rows, 16.0 KiB` */
function optimizerText(a: OptimizerAnnotation): string {
  const parts: string[] = [];
  if (a.ship.length > 0) parts.push(`ship: ${a.ship.join(", ")}`);
  if (a.local) parts.push(`local: ${a.local}`);
  const rows = a.rows === undefined ? "? rows" : `${a.rows} rows`;
  const bytes = a.bytes === undefined ? "? bytes" : formatBytes(a.bytes);
  parts.push(`est. ${rows}, ${bytes}`);
  return parts.join("; ");
}
