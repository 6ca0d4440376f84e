#!/usr/bin/env bun
/** The flinkts command line: parses arguments and calls into the cluster layer; no engine logic. */
import { main } from "./src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
