/**
 * Makes `import ... from "flinkts"` (and "flinkts/testing") resolve to this engine in any folder, with or without
 * node_modules, under bun and inside the compiled binary. Must run in every thread that loads
 * job code (Bun plugins are per thread).
 */
import * as flinkts from "../index.ts";

let registered = false;

export function registerFlinktsModule(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "flinkts",
    setup(build) {
      build.module("flinkts", () => ({ exports: flinkts as Record<string, unknown>, loader: "object" }));
      // Loaded on first import only: most jobs do not use it. A static specifier, so the compiled binary bundles it.
      build.module("flinkts/testing", async () => ({ exports: (await import("../libs/testing/index.ts")) as Record<string, unknown>, loader: "object" }));
    },
  });
}

registerFlinktsModule();
