/** Flink's readTextFile: the lines of a file, or of every file in a directory, read in parallel. */
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";
import { FileSplitQueue, listInputFiles } from "./file-splits.ts";
import { SplitLineReaders } from "./line-split-reader.ts";
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
  private readers: SplitLineReaders | null = null;
  private nextInputSplit: (() => Promise<number>) | undefined;
  private cancelled = false;

  constructor(readonly path: string) {}

  bind(_operator: unknown, context: OperatorContext): void {
    this.nextInputSplit = context.nextInputSplit;
  }

  open(subtaskIndex: number, parallelism: number): void {
    this.readers = new SplitLineReaders(new FileSplitQueue(listInputFiles(this.path), subtaskIndex, parallelism, this.nextInputSplit));
  }

  /** Reads the current split; once it is done, takes the next (waiting while one is claimed). */
  emitNext(output: SourceOutput<string>, budget: number): boolean | Promise<boolean> {
    if (this.cancelled || this.readers === null) return false;
    return this.readers.emitNext((reader) => {
      for (let i = 0; i < budget; i++) {
        const line = reader.nextLine();
        if (line === null) return false;
        output.collect(line);
      }
      return true;
    });
  }

  cancel(): void {
    this.cancelled = true;
  }

  close(): void {
    this.readers?.close();
    this.readers = null;
  }

  describe(): string {
    return `TextFile ${this.path}`;
  }
}
