/** Configuration: Flink's keys with their defaults, from flinkts.yaml and -D key=value. */
import { ConfigurationError } from "./errors.ts";

export const ConfigKeys = {
  parallelismDefault: "parallelism.default",
  numberOfTaskSlots: "taskmanager.numberOfTaskSlots",
  managedMemorySize: "taskmanager.memory.managed.size",
  ioTmpDirs: "io.tmp.dirs",
  bufferTimeout: "execution.buffer-timeout",
  checkpointsDir: "state.checkpoints.dir",
  restPort: "rest.port",
  restAddress: "rest.address",
  maxParallelism: "pipeline.max-parallelism",
  runtimeMode: "execution.runtime-mode",
} as const;

/** A flat map of string keys to string values, read with typed getters. */
export class Configuration {
  private readonly values = new Map<string, string>();

  constructor(entries?: Iterable<[string, string]> | Record<string, string>) {
    if (entries) {
      const it = Symbol.iterator in (entries as object) ? (entries as Iterable<[string, string]>) : Object.entries(entries);
      for (const [k, v] of it) this.values.set(k, String(v));
    }
  }

  set(key: string, value: string | number | boolean): this {
    this.values.set(key, String(value));
    return this;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  getString(key: string, fallback: string): string;
  getString(key: string): string | undefined;
  getString(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? fallback;
  }

  getInt(key: string, fallback: number): number {
    const v = this.values.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === "" || !Number.isInteger(n)) throw new ConfigurationError(`configuration ${key}: '${v}' is not an integer`);
    return n;
  }

  /** A duration in ms: "100", "100 ms", "2s", "1 min". */
  getDurationMs(key: string, fallback: number): number {
    const v = this.values.get(key);
    return v === undefined ? fallback : parseDuration(v, key);
  }

  /** A byte size: "64mb", "1 gb", "32768". */
  getBytes(key: string, fallback: number): number {
    const v = this.values.get(key);
    return v === undefined ? fallback : parseMemorySize(v, key);
  }

  entries(): [string, string][] {
    return [...this.values];
  }

  merge(other: Configuration): Configuration {
    const merged = new Configuration(this.values);
    for (const [k, v] of other.values) merged.values.set(k, v);
    return merged;
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20, g: 1 << 30, gb: 1 << 30, gib: 1 << 30, t: 2 ** 40, tb: 2 ** 40 };

export function parseMemorySize(text: string, what = "memory size"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ConfigurationError(`${what}: '${text}' is not a memory size (e.g. 64mb, 1gb)`);
  return Math.floor(Number(m[1]) * unit);
}

const TIME_UNITS: Record<string, number> = { "": 1, ms: 1, s: 1000, sec: 1000, min: 60_000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string, what = "duration"): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? TIME_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ConfigurationError(`${what}: '${text}' is not a duration (e.g. 100ms, 2s)`);
  return Number(m[1]) * unit;
}

/** Parses the small YAML subset Flink's config file uses: `key: value` lines and comments. */
export function parseFlatYaml(text: string, file: string): Configuration {
  const conf = new Configuration();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ConfigurationError(`${file}:${i + 1}: expected 'key: value', got '${raw.trim()}'`);
    // a quoted value may hold " #", which is not a comment there
    const quoted = /^(['"])(.*?)\1(\s+#.*)?$/.exec(raw.slice(raw.indexOf(":") + 1).trim());
    const value = quoted ? quoted[2]! : line.slice(colon + 1).trim();
    conf.set(line.slice(0, colon).trim(), value);
  });
  return conf;
}
