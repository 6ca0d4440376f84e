/**
 * Size estimates of DataSet sources for the optimizer, as Flink's input formats report them:
 * files by their size on disk (rows from the average line length of the first bytes), collections
 * and sequences by their element count. Files are looked at when the program is translated, so a
 * file an earlier execution wrote is seen.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { listInputFiles } from "../../connectors/file-splits.ts";
import type { Estimate } from "../../graph/optimizer/plan-info.ts";

/** Bytes read from the first file to measure the average line length. */
const SAMPLE_BYTES = 64 * 1024;
/** Elements of a collection whose JSON length stands for the average width. */
const SAMPLE_ELEMENTS = 100;

export function fileEstimate(path: string): () => Estimate {
  return () => {
    let files;
    try {
      files = listInputFiles(path);
    } catch {
      return {}; // a missing file is reported when the job runs
    }
    let bytes = 0;
    for (const f of files) bytes += f.size;
    const first = files.find((f) => f.size > 0);
    const width = first ? averageLineWidth(first.path) : undefined;
    return { bytes, rows: width ? Math.max(1, Math.round(bytes / width)) : undefined };
  };
}

function averageLineWidth(path: string): number | undefined {
  const buf = new Uint8Array(SAMPLE_BYTES);
  let n: number;
  try {
    const fd = openSync(path, "r");
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  let lines = 0;
  let lastEnd = 0;
  for (let i = 0; i < n; i++)
    if (buf[i] === 10) {
      lines++;
      lastEnd = i + 1;
    }
  if (lines === 0) return n;
  return lastEnd / lines;
}

export function collectionEstimate(items: readonly unknown[]): () => Estimate {
  return () => {
    const rows = items.length;
    if (rows === 0) return { rows: 0, bytes: 0 };
    const step = Math.max(1, Math.floor(rows / SAMPLE_ELEMENTS));
    let sampled = 0;
    let chars = 0;
    for (let i = 0; i < rows; i += step) {
      chars += jsonLength(items[i]);
      sampled++;
    }
    return { rows, bytes: Math.round((chars / sampled) * rows) };
  };
}

function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))?.length ?? 1;
  } catch {
    return 16;
  }
}

export function sequenceEstimate(from: number, to: number): () => Estimate {
  return () => ({ rows: to - from + 1, bytes: (to - from + 1) * 8 });
}
