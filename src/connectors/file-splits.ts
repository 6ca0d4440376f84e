/** Splits the input files of a file source into byte ranges, one share per subtask. */
import { readdirSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";

/** One input file and its size in bytes. */
export interface InputFile {
  readonly path: string;
  readonly size: number;
}

/**
 * A byte range [start, end) of one file. A line belongs to the segment where it starts, so a
 * reader skips the partial line at `start` and reads past `end` to finish its last line.
 */
export interface FileSegment {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly fileSize: number;
}

/**
 * The files behind `path`: the file itself, or every regular file of the directory in name
 * order (hidden files and files starting with "_" skipped, as Flink's FileInputFormat does).
 */
export function listInputFiles(path: string): InputFile[] {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    throw new UserError(`input path ${path} does not exist or cannot be read`, { cause: e });
  }
  if (!stats.isDirectory()) return [{ path, size: stats.size }];
  const names = readdirSync(path)
    .filter((name) => !name.startsWith(".") && !name.startsWith("_"))
    .sort();
  const files: InputFile[] = [];
  for (const name of names) {
    const child = join(path, name);
    const s = statSync(child);
    if (s.isFile()) files.push({ path: child, size: s.size });
  }
  return files;
}

/**
 * The segments of subtask `subtaskIndex` of `parallelism`: the files are laid end to end and the
 * total byte range is cut into `parallelism` nearly equal parts, so a big file feeds every
 * subtask and many small files spread over them.
 */
export function assignFileSegments(files: readonly InputFile[], subtaskIndex: number, parallelism: number): FileSegment[] {
  let total = 0;
  for (const f of files) total += f.size;
  const from = Math.floor((total * subtaskIndex) / parallelism);
  const to = Math.floor((total * (subtaskIndex + 1)) / parallelism);
  const segments: FileSegment[] = [];
  let fileStart = 0;
  for (const f of files) {
    const fileEnd = fileStart + f.size;
    const start = Math.max(from, fileStart);
    const end = Math.min(to, fileEnd);
    if (start < end) segments.push({ path: f.path, start: start - fileStart, end: end - fileStart, fileSize: f.size });
    fileStart = fileEnd;
  }
  return segments;
}
