/**
 * Flink's MergingWindowSet: the in-flight windows of one key under a merging assigner
 * (sessions), each mapped to the "state window" its contents are stored under.
 */
import { InternalError } from "../../../core/errors.ts";
import type { ListState } from "../../state/state-types.ts";
import type { MergingWindowAssigner } from "./window-assigner.ts";
import { asWindow, windowKey, type Window } from "./windows.ts";

/**
 * Called when windows merge: `mergeResult` replaces `mergedWindows` (the new window not among
 * them); the contents of `mergedStateWindows` must be folded into `stateWindowResult`.
 */
export type MergeFunction<W> = (mergeResult: W, mergedWindows: W[], stateWindowResult: W, mergedStateWindows: W[]) => void;

/**
 * When windows merge, their contents are not moved: the merged window keeps the state window
 * of one of them and the others' state is merged into it. So a window's state lives under its
 * state window, which may be a window that no longer exists by itself.
 *
 * Lifecycle: built per element or timer from the key's list state of [window, stateWindow]
 * pairs (the current key must be set and the namespace the default one); persist() writes it
 * back if it changed. Nothing is kept between records, so snapshots see all of it.
 */
export class MergingWindowSet<W extends Window> {
  /** window key -> [window, state window] */
  private readonly mapping = new Map<unknown, [W, W]>();
  private changed = false;

  constructor(
    private readonly assigner: MergingWindowAssigner<unknown, W>,
    private readonly state: ListState<[W, W]>,
  ) {
    for (const [window, stateWindow] of state.get()) {
      const w = asWindow(window) as W;
      this.mapping.set(windowKey(w), [w, asWindow(stateWindow) as W]);
    }
  }

  /** Writes the mapping to the key's state if it changed (an empty mapping clears the state). */
  persist(): void {
    if (!this.changed) return;
    this.state.update([...this.mapping.values()].map(([w, s]) => [w, s] as [W, W]));
    this.changed = false;
  }

  /** The window whose namespace holds `window`'s contents; undefined when `window` is not in flight. */
  getStateWindow(window: W): W | undefined {
    return this.mapping.get(windowKey(window))?.[1];
  }

  /** Drops a window that was fired and cleaned up (or is late). */
  retireWindow(window: W): void {
    if (!this.mapping.delete(windowKey(window))) throw new InternalError(`window ${String(window)} is not in the in-flight window set`);
    this.changed = true;
  }

  /** The windows in flight, for tests and describe. */
  windows(): W[] {
    return [...this.mapping.values()].map(([w]) => w);
  }

  /**
   * Adds `newWindow`, merging it with the windows it overlaps or touches; `merge` is called for
   * each merge that involved a window with state. Returns the window `newWindow` ended up in.
   */
  addWindow(newWindow: W, merge: MergeFunction<W>): W {
    const all: W[] = [...this.mapping.values()].map(([w]) => w);
    all.push(newWindow);
    const results: [W, W[]][] = [];
    this.assigner.mergeWindows(all, (toBeMerged, mergeResult) => results.push([mergeResult, toBeMerged]));

    const newKey = windowKey(newWindow);
    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, toBeMerged] of results) {
      const mergedWindows = toBeMerged.filter((w) => windowKey(w) !== newKey);
      if (mergedWindows.length !== toBeMerged.length) {
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      if (mergedWindows.length === 0) continue;
      // The result keeps the state window of one of the windows it merges.
      const targetStateWindow = this.mapping.get(windowKey(mergedWindows[0]!))![1];
      const targetKey = windowKey(targetStateWindow);
      const mergedStateWindows: W[] = [];
      for (const w of mergedWindows) {
        const key = windowKey(w);
        const entry = this.mapping.get(key);
        if (entry === undefined) continue;
        this.mapping.delete(key);
        if (windowKey(entry[1]) !== targetKey) mergedStateWindows.push(entry[1]);
      }
      this.mapping.set(windowKey(mergeResult), [mergeResult, targetStateWindow]);
      // A new window that falls inside one existing window merges nothing: no state moves.
      const onlyItself = mergedWindows.length === 1 && windowKey(mergedWindows[0]!) === windowKey(mergeResult);
      if (onlyItself) continue;
      this.changed = true;
      merge(mergeResult, mergedWindows, targetStateWindow, mergedStateWindows);
    }
    // A window that merged with nothing is its own state window, unless it is already in flight.
    if (!mergedNewWindow && !this.mapping.has(newKey)) {
      this.mapping.set(newKey, [newWindow, newWindow]);
      this.changed = true;
    }
    return resultWindow;
  }

  toString(): string {
    return `MergingWindowSet{${[...this.mapping.values()].map(([w, s]) => `${String(w)} -> ${String(s)}`).join(", ")}}`;
  }
}
