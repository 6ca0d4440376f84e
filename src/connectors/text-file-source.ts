/** Flink's readTextFile: the lines of a file, or of every file in a directory, read in parallel. */
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";
import { assignFileSegments, listInputFiles } from "./file-splits.ts";
import { LineSplitReader } from "./line-split-reader.ts";

/**
 * Each subtask reads its own byte range of the input (see assignFileSegments) and emits the
 * lines that start in it, without their "\n" or "\r\n".
 *
 * Lifecycle: open lists the files (a missing path is a UserError there), emitNext reads and
 * emits up to `budget` lines per call, close releases the file handle.
 */
export class TextFileSource implements SplitSource<string> {
  readonly bounded = true;
  private reader: LineSplitReader | null = null;
  private cancelled = false;

  constructor(readonly path: string) {}

  open(subtaskIndex: number, parallelism: number): void {
    const files = listInputFiles(this.path);
    this.reader = new LineSplitReader(assignFileSegments(files, subtaskIndex, parallelism));
  }

  emitNext(output: SourceOutput<string>, budget: number): boolean {
    const reader = this.reader;
    if (reader === null || this.cancelled) return false;
    for (let i = 0; i < budget; i++) {
      const line = reader.nextLine();
      if (line === null) return false;
      output.collect(line);
    }
    return true;
  }

  cancel(): void {
    this.cancelled = true;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }

  describe(): string {
    return `TextFile ${this.path}`;
  }
}
