/** The JobGraph as text for `flinkts info`: vertices with their chains, and the edges between them. */
import type { JobGraph } from "../runtime/jobgraph/job-graph.ts";

export function formatJobGraph(g: JobGraph): string {
  const lines = [`Job '${g.name}' (${g.runtimeMode}, max parallelism ${g.maxParallelism}, buffer timeout ${g.bufferTimeoutMs} ms)`, ""];
  for (const v of g.vertices) {
    lines.push(`Vertex ${v.id}: ${v.name}  [parallelism ${v.parallelism}${v.isSource ? ", source" : ""}]`);
    v.operators.forEach((o, i) => {
      const side = o.chainedOutputs.some((c) => c.tag) || o.networkOutputs.some((n) => n.tag) ? " (with side outputs)" : "";
      lines.push(`  ${i === 0 ? "head " : "chain"} #${o.id} ${o.name} <${o.kind}> -> ${o.outputType}${side}`);
    });
    for (const id of v.inputEdges) {
      const e = g.edges[id]!;
      lines.push(`  input ${e.targetInput} <- vertex ${e.source}: ${e.partitioner.toUpperCase()}, ${e.resultType}, ${e.typeName}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
