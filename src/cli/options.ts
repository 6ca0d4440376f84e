/** Reads the configuration a command runs with: flinkts.yaml, then -D key=value, then shortcuts. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Configuration, ConfigKeys, parseFlatYaml, parseMemorySize } from "../core/config.ts";
import { ConfigurationError } from "../core/errors.ts";

export function loadConfiguration(options: Record<string, unknown>): Configuration {
  const dir = typeof options.config === "string" ? options.config : process.cwd();
  const file = join(dir, "flinkts.yaml");
  let conf = new Configuration();
  if (existsSync(file)) conf = parseFlatYaml(readFileSync(file, "utf8"), file);
  else if (typeof options.config === "string") throw new ConfigurationError(`--config ${dir}: no flinkts.yaml in that folder`);
  const ds = options.D === undefined ? [] : Array.isArray(options.D) ? options.D : [options.D];
  for (const d of ds) {
    const text = String(d);
    const eq = text.indexOf("=");
    if (eq <= 0) throw new ConfigurationError(`-D ${text}: expected key=value`);
    conf.set(text.slice(0, eq).trim(), text.slice(eq + 1).trim());
  }
  if (options.managedMemory !== undefined) {
    parseMemorySize(String(options.managedMemory), "--managed-memory");
    conf.set(ConfigKeys.managedMemorySize, String(options.managedMemory));
  }
  return conf;
}

export function parallelismOption(options: Record<string, unknown>, conf: Configuration): number | undefined {
  const p = options.parallelism ?? options.p;
  if (p === undefined) return conf.has(ConfigKeys.parallelismDefault) ? conf.getInt(ConfigKeys.parallelismDefault, 1) : undefined;
  const n = Number(p);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(`-p ${p}: parallelism must be a positive integer`);
  return n;
}
