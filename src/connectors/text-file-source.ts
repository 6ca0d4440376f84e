/** Flink's readTextFile: the lines of a file, or of every file in a directory, read in parallel. */
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";
import { type FileSegment, FileSplitQueue, listInputFiles } from "./file-splits.ts";
import { LineSplitReader } from "./line-split-reader.ts";
import type { OperatorContext } from "../runtime/operators/operator-context.ts";

/**
 * The subtasks read byte ranges of the input (splits the JobMaster assigns on demand, or each its
 * static share outside a cluster; see FileSplitQueue) and emit the lines that start in them,
 * without their "\n" or "\r\n".
 *
 * Lifecycle: open lists the files (a missing path is a UserError there), emitNext reads and
 * emits up to `budget` lines per call, close releases the file handle.
 */
export class TextFileSource implements SplitSource<string> {
  readonly bounded = true;
  private reader: LineSplitReader | null = null;
  private splits: FileSplitQueue | null = null;
  private nextInputSplit: (() => Promise<number>) | undefined;
  private cancelled = false;

  constructor(readonly path: string) {}

  bind(_operator: unknown, context: OperatorContext): void {
    this.nextInputSplit = context.nextInputSplit;
  }

  open(subtaskIndex: number, parallelism: number): void {
    this.splits = new FileSplitQueue(listInputFiles(this.path), subtaskIndex, parallelism, this.nextInputSplit);
  }

  /** Reads the current split; once it is done, takes the next (waiting while one is claimed). */
  emitNext(output: SourceOutput<string>, budget: number): boolean | Promise<boolean> {
    for (;;) {
      if (this.cancelled) return false;
      const reader = this.reader;
      if (reader !== null) {
        let i = 0;
        for (; i < budget; i++) {
          const line = reader.nextLine();
          if (line === null) break;
          output.collect(line);
        }
        if (i === budget) return true;
        reader.close();
        this.reader = null;
      }
      const next = this.splits?.next() ?? null;
      if (next instanceof Promise) return next.then((segments) => this.startReading(segments));
      if (!this.startReading(next)) return false;
    }
  }

  private startReading(segments: FileSegment[] | null): boolean {
    if (segments === null || this.cancelled) return false;
    this.reader = new LineSplitReader(segments);
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
