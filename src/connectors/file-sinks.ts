/** Flink's writeAsText / writeAsCsv: one line per record into a file, or a directory of files 1..p. */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import type { SinkWriter } from "../runtime/operators/sink.ts";

/** Flink's FileSystem.WriteMode. */
export type WriteMode = "NO_OVERWRITE" | "OVERWRITE";

/** Turns a record into its text; `lineDelimiter` (default "\n") is written after it. */
export interface LineFormat<T> {
  (value: T): string;
  lineDelimiter?: string;
}

const FLUSH_CHARS = 64 * 1024;

/**
 * Output layout as Flink's FileOutputFormat: at parallelism 1 the file `path`; at parallelism p > 1
 * the directory `path` holding files "1".."p", one per subtask.
 *
 * NO_OVERWRITE fails at open with a UserError if the target exists: the file at p = 1; at p > 1
 * a non-directory at `path`, this subtask's own file, or (checked by subtask 1, as no sibling
 * creates them) anything in the directory but files 1..p. OVERWRITE removes those instead.
 *
 * Memory: lines are gathered into one string and written with fs.writeSync once it passes
 * 64 K characters, and at finish.
 */
export class TextFileSink<T = unknown> implements SinkWriter<T> {
  private fd = -1;
  private pending = "";
  private readonly lineDelimiter: string;
  private target = "";

  constructor(
    readonly path: string,
    private readonly format: LineFormat<T> = String,
    readonly writeMode: WriteMode = "NO_OVERWRITE",
  ) {
    this.lineDelimiter = format.lineDelimiter ?? "\n";
  }

  open(subtaskIndex: number, parallelism: number): void {
    if (parallelism === 1) {
      if (existsSync(this.path)) this.clear(this.path, `output path ${this.path} already exists`);
      this.target = this.path;
    } else {
      if (existsSync(this.path) && !statSync(this.path).isDirectory()) {
        this.clear(this.path, `output path ${this.path} exists and is not a directory; at parallelism ${parallelism} it must be one`);
      }
      mkdirSync(this.path, { recursive: true });
      this.target = join(this.path, String(subtaskIndex + 1));
      if (existsSync(this.target)) this.clear(this.target, `output file ${this.target} already exists`);
      if (subtaskIndex === 0) {
        const ours = new Set(Array.from({ length: parallelism }, (_, i) => String(i + 1)));
        for (const name of readdirSync(this.path)) {
          if (!ours.has(name)) this.clear(join(this.path, name), `output directory ${this.path} already holds ${name}`);
        }
      }
    }
    this.fd = openSync(this.target, "w");
  }

  /** NO_OVERWRITE: fail; OVERWRITE: remove what is in the way. */
  private clear(path: string, problem: string): void {
    if (this.writeMode === "NO_OVERWRITE") {
      throw new UserError(`${problem}; remove it or write with OVERWRITE mode`);
    }
    rmSync(path, { recursive: true, force: true });
  }

  write(value: T, _timestamp: number): void {
    this.pending += this.format(value) + this.lineDelimiter;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending);
    this.pending = "";
  }

  finish(): void {
    this.flush();
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
    this.pending = "";
  }

  describe(): string {
    return `TextFileSink ${this.path}`;
  }
}

/**
 * Flink's CsvOutputFormat line format for writeAsCsv: a tuple (array) or a row (object, values in
 * key order) as fields joined by `fieldDelim`; a field holding the delimiter, a quote or a line
 * break is quoted with inner quotes doubled; null and undefined are empty fields.
 */
export function csvFormatter(rowDelim = "\n", fieldDelim = ","): LineFormat<unknown> {
  const needsQuotes = (s: string) => s.includes(fieldDelim) || s.includes('"') || s.includes("\n") || s.includes("\r") || s.includes(rowDelim);
  const field = (v: unknown): string => {
    if (v === null || v === undefined) return "";
    const s = typeof v === "string" ? v : v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
    return needsQuotes(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const format: LineFormat<unknown> = (record: unknown) => {
    if (Array.isArray(record)) return record.map(field).join(fieldDelim);
    if (record !== null && typeof record === "object" && !(record instanceof Date)) return Object.values(record).map(field).join(fieldDelim);
    return field(record);
  };
  format.lineDelimiter = rowDelim;
  return format;
}
