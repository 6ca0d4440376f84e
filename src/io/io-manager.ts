/** The IOManager: spill folders under io.tmp.dirs, the files operators spill to, and their removal. */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkState } from "../core/errors.ts";

/** Every folder this process spills to is named `flinkts-io-<pid>-<n>`; the pid lets a later start find stale ones. */
const FOLDER_PREFIX = "flinkts-io-";

/** A file an operator spills to: a path and the bytes written to it. */
export interface FileChannel {
  readonly path: string;
  bytes: number;
}

/**
 * Owns the spill folders of one job in one slot: one folder per configured temp dir (spread
 * round-robin, as Flink's io.tmp.dirs), created lazily on the first spill.
 *
 * Threading: one slot thread. Lifecycle: create when a job's task starts; `createChannel` per
 * spill file; `deleteChannel` when a run is merged; `close()` removes the folders when the job
 * ends or fails. `cleanStale` at process start removes folders of processes that are gone.
 * Counts every byte written to a channel in `spilledBytes`.
 */
export class IOManager {
  private readonly folders: string[];
  private created = false;
  private next = 0;
  private counter = 0;
  private closed = false;
  spilledBytes = 0;
  private static seq = 0;

  constructor(tmpDirs: readonly string[] = [tmpdir()]) {
    const tag = `${FOLDER_PREFIX}${process.pid}-${Date.now().toString(36)}${(IOManager.seq++).toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
    this.folders = (tmpDirs.length > 0 ? tmpDirs : [tmpdir()]).map((d) => join(d, tag));
  }

  /** Parses `io.tmp.dirs`: paths separated by ',' or the platform's path separator. */
  static parseDirs(value: string | undefined): string[] {
    if (!value) return [tmpdir()];
    const dirs = value.split(/[,:;]/).map((s) => s.trim()).filter((s) => s.length > 0);
    return dirs.length > 0 ? dirs : [tmpdir()];
  }

  /** Removes spill folders left behind by processes that no longer run. Returns how many it removed. */
  static cleanStale(tmpDirs: readonly string[]): number {
    let removed = 0;
    for (const dir of tmpDirs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.startsWith(FOLDER_PREFIX)) continue;
        const pid = Number(name.slice(FOLDER_PREFIX.length).split("-")[0]);
        if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
        try {
          rmSync(join(dir, name), { recursive: true, force: true });
          removed++;
        } catch {
          // another process may be removing it too
        }
      }
    }
    return removed;
  }

  /** A new, empty spill file (created on disk, so a reader of an empty run finds it). */
  createChannel(prefix = "spill"): FileChannel {
    checkState(!this.closed, "the IOManager is closed");
    if (!this.created) {
      for (const f of this.folders) mkdirSync(f, { recursive: true });
      this.created = true;
    }
    const folder = this.folders[this.next++ % this.folders.length]!;
    const path = join(folder, `${prefix}-${(this.counter++).toString().padStart(6, "0")}.channel`);
    closeSync(openSync(path, "w"));
    return { path, bytes: 0 };
  }

  /** Removes a spill file that is no longer needed. */
  deleteChannel(channel: FileChannel): void {
    rmSync(channel.path, { force: true });
  }

  /** The folders this manager spills to (whether or not they exist yet). */
  spillFolders(): readonly string[] {
    return this.folders;
  }

  /** Bytes currently on disk in this manager's folders. */
  bytesOnDisk(): number {
    let total = 0;
    for (const f of this.folders) {
      if (!existsSync(f)) continue;
      for (const name of readdirSync(f)) total += statSync(join(f, name)).size;
    }
    return total;
  }

  /** Removes every spill file and folder; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.folders) rmSync(f, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}
