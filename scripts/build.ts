/** Builds the single executable dist/flinkts: the CLI plus the slot-worker entry it starts threads from. */
import { $ } from "bun";
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
await $`bun build --compile --minify-syntax --sourcemap cli.ts src/cluster/slot-worker.ts --outfile dist/flinkts`.quiet();
console.log("built dist/flinkts");
