/**
 * Flink's EvictingWindowOperator: a window operator that keeps every element with its timestamp,
 * so an evictor can remove some before and/or after the window function runs.
 */
import { InternalError } from "../../../core/errors.ts";
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import type { ListState } from "../../state/state-types.ts";
import { TimestampedValue, type Evictor, type EvictorContext } from "./evictors.ts";
import { foldContents } from "./window-function.ts";
import { WindowOperator, type WindowOperatorOptions } from "./window-operator.ts";
import type { Window } from "./windows.ts";

/** An element as the window's list state holds it: plain data, so snapshots keep timestamps. */
type StoredElement = [value: unknown, timestamp: number];

const EVICTING_CONTENTS: StateDescriptorLike = { name: "window-contents", kind: "list" };

/**
 * Firing: the stored elements become TimestampedValues; evictBefore; the remaining values are
 * folded (reduce, aggregate) or passed as a list to the function; evictAfter; and the window's
 * state is rewritten with what is left, as Flink does.
 */
export class EvictingWindowOperator extends WindowOperator {
  private readonly evictor: Evictor;
  private readonly evictorCtx: EvictorContext;

  constructor(options: WindowOperatorOptions) {
    super(options);
    if (options.evictor === undefined) throw new InternalError("EvictingWindowOperator needs an evictor");
    this.evictor = options.evictor;
    this.evictorCtx = {
      getCurrentProcessingTime: () => this.timers.currentProcessingTime(),
      getCurrentWatermark: () => this.timers.currentWatermark(),
    };
  }

  protected override contentsStateDescriptor(): StateDescriptorLike {
    return EVICTING_CONTENTS;
  }

  protected override addToContents(value: unknown, timestamp: number): boolean {
    this.contentsState.add([value, timestamp] as StoredElement);
    return false; // not used: the operator skips no timers with an evictor
  }

  protected override emitContents(window: Window, stateWindow: Window): void {
    this.backend.setCurrentNamespace(stateWindow);
    const stored = this.contentsState.get() as StoredElement[];
    if (stored.length === 0) return;
    const elements = stored.map(([v, ts]) => new TimestampedValue(v, ts));
    this.evictor.evictBefore(elements, elements.length, window, this.evictorCtx);
    const values = elements.map((e) => e.value);
    const folded = foldContents(this.options.contents, values);
    if (!folded.empty) this.callFunction(window, folded.value);
    this.evictor.evictAfter(elements, elements.length, window, this.evictorCtx);
    this.backend.setCurrentNamespace(stateWindow);
    (this.contentsState as unknown as ListState<StoredElement>).update(elements.map((e) => [e.value, e.timestamp] as StoredElement));
  }
}
