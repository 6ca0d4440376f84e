/**
 * Flink's WindowOperator: assigns each element to windows, keeps each window's contents in keyed
 * state under the window's namespace, and asks the trigger when to fire and purge.
 */
import { InternalError, UserError } from "../../../core/errors.ts";
import { MAX_WATERMARK } from "../../../core/stream-element.ts";
import type { KeyedStateBackend } from "../../state/keyed-state-backend.ts";
import type { InternalMergingState, ListState } from "../../state/state-types.ts";
import type { KeyedContext } from "../operator-context.ts";
import { AbstractStreamOperator } from "../stream-operator.ts";
import type { InternalTimer, InternalTimerService, Triggerable } from "../timers/internal-timer-service.ts";
import { closeFunction, openFunction, TimestampedCollector } from "../user-function.ts";
import type { Evictor } from "./evictors.ts";
import { MergingWindowSet, type MergeFunction } from "./merging-window-set.ts";
import type { Trigger } from "./trigger.ts";
import { EventTimeTrigger, ProcessingTimeTrigger } from "./triggers.ts";
import type { WindowAssigner, WindowAssignerContext } from "./window-assigner.ts";
import { WindowProcessContext, WindowTriggerContext } from "./window-contexts.ts";
import { contentsDescriptor, type InternalWindowFunction, type WindowContents } from "./window-function.ts";
import { asWindow, type Window } from "./windows.ts";

export interface WindowOperatorOptions {
  assigner: WindowAssigner;
  trigger: Trigger;
  /** Milliseconds an event-time window stays after its end for late elements (re-firing it). */
  allowedLateness: number;
  /** The side output id for elements dropped as late; undefined drops them silently. */
  lateDataTag?: string;
  contents: WindowContents;
  fn: InternalWindowFunction;
  /** With an evictor the operator keeps every element and folds them when the window fires. */
  evictor?: Evictor;
}

/** The merging window set of a key: list state in the default namespace. */
const MERGING_WINDOW_SET = { name: "merging-window-set", kind: "list" as const };
const TIMER_SERVICE = "window-timers";

/**
 * State: window contents under namespace = (state) window; trigger state under namespace =
 * window; for merging assigners the key's window -> state-window mapping in list state; timers
 * (trigger's and cleanup) in the "window-timers" service with the window as namespace. Nothing
 * else outlives a call, so a snapshot of the backend and timers is the whole operator.
 *
 * Cleanup: an event-time window is dropped at maxTimestamp + allowedLateness (no timer when that
 * passes MAX_WATERMARK); a processing-time window at maxTimestamp; GlobalWindow never.
 *
 * Lifecycle: open() gets the timer service and state, opens the user function; processWatermark
 * fires due timers and then forwards the watermark; close() disposes the timers.
 */
export class WindowOperator extends AbstractStreamOperator<unknown, unknown> implements Triggerable {
  protected readonly assigner: WindowAssigner;
  protected readonly trigger: Trigger;
  protected readonly allowedLateness: number;
  private readonly eventTime: boolean;
  private readonly merging: boolean;
  /** The default triggers already set a timer at the cleanup time on every element: registering it again is wasted work. */
  private readonly triggerSetsCleanupTimer: boolean;
  /**
   * EventTimeTrigger on windows that never merge: an element of a window that already had contents
   * for its key, while the window's end is still ahead of the watermark, would only register the
   * timers that the window's first element registered (see onElementInWindow).
   */
  private readonly skipKnownTimers: boolean;
  /** Set during an add by the contents' functions (contentsDescriptor) when the window had contents. */
  private contentsExisted = false;
  protected backend!: KeyedStateBackend;
  private keyed!: KeyedContext;
  protected timers!: InternalTimerService;
  protected contentsState!: { get(): any; add(v: unknown): void; clear(): void } & Partial<InternalMergingState>;
  protected triggerCtx!: WindowTriggerContext;
  protected processCtx!: WindowProcessContext;
  protected collector!: TimestampedCollector<unknown>;
  private mergingSetState!: ListState<[Window, Window]>;
  private assignerCtx!: WindowAssignerContext;
  private mergeFunction!: MergeFunction<Window>;

  constructor(protected readonly options: WindowOperatorOptions) {
    super();
    this.assigner = options.assigner;
    this.trigger = options.trigger;
    this.allowedLateness = options.allowedLateness;
    this.eventTime = this.assigner.isEventTime();
    this.merging = this.assigner.isMerging();
    this.triggerSetsCleanupTimer = this.eventTime ? this.trigger === EventTimeTrigger.create() && this.allowedLateness === 0 : this.trigger === ProcessingTimeTrigger.create();
    this.skipKnownTimers = this.eventTime && !this.merging && this.trigger === EventTimeTrigger.create() && options.evictor === undefined;
    if (this.merging && !(typeof this.trigger.canMerge === "function" && this.trigger.canMerge())) {
      throw new UserError(`${String(this.trigger)} cannot be used with the merging window assigner ${String(this.assigner)}: the trigger does not support merging`);
    }
  }

  override open(): void | Promise<void> {
    const keyed = this.context.keyed;
    if (keyed === undefined) throw new InternalError(`${this.describe()} runs only on a keyed stream`);
    this.keyed = keyed;
    this.backend = keyed.backend;
    this.timers = keyed.timeServiceManager.getInternalTimerService(TIMER_SERVICE, this);
    this.contentsState = this.backend.getPartitionedState(this.contentsStateDescriptor());
    if (this.merging) this.mergingSetState = this.backend.getPartitionedState(MERGING_WINDOW_SET);
    this.triggerCtx = new WindowTriggerContext(this.trigger, this.backend, this.timers);
    this.processCtx = new WindowProcessContext(this.backend, this.timers, this.output, this.merging);
    this.collector = new TimestampedCollector(this.output);
    const timers = this.timers;
    this.assignerCtx = { getCurrentProcessingTime: () => timers.currentProcessingTime() };
    this.mergeFunction = (result, merged, stateResult, mergedState) => this.onWindowsMerged(result, merged, stateResult, mergedState);
    return this.openFunctions(0);
  }

  private openFunctions(from: number): void | Promise<void> {
    const lifecycles = this.options.fn.lifecycles;
    for (let i = from; i < lifecycles.length; i++) {
      const r = openFunction(lifecycles[i], this.context);
      if (r instanceof Promise) return r.then(() => this.openFunctions(i + 1));
    }
  }

  processElement(value: unknown, timestamp: number): void {
    const windows = this.assigner.assignWindows(value, timestamp, this.assignerCtx);
    const key = this.backend.getCurrentKey();
    const tc = this.triggerCtx;
    tc.key = key;
    let handled = false;
    if (this.merging) {
      this.backend.setCurrentNamespace(null);
      const mergingWindows = new MergingWindowSet(this.assigner as never, this.mergingSetState);
      for (let i = 0; i < windows.length; i++) {
        const actualWindow = mergingWindows.addWindow(windows[i]!, this.mergeFunction);
        if (this.isWindowLate(actualWindow)) {
          mergingWindows.retireWindow(actualWindow);
          continue;
        }
        handled = true;
        const stateWindow = mergingWindows.getStateWindow(actualWindow);
        if (stateWindow === undefined) throw new InternalError(`window ${String(actualWindow)} is not in the in-flight window set`);
        this.onElementInWindow(value, timestamp, actualWindow, stateWindow);
      }
      this.backend.setCurrentNamespace(null);
      mergingWindows.persist();
    } else {
      for (let i = 0; i < windows.length; i++) {
        const window = windows[i]!;
        if (this.isWindowLate(window)) continue;
        handled = true;
        this.onElementInWindow(value, timestamp, window, window);
      }
    }
    if (!handled && this.isElementLate(timestamp)) {
      const tag = this.options.lateDataTag;
      if (tag !== undefined) this.output.collectSide(tag, value, timestamp);
    }
  }

  /** Adds the element to the window's contents and lets the trigger decide. */
  private onElementInWindow(value: unknown, timestamp: number, window: Window, stateWindow: Window): void {
    this.backend.setCurrentNamespace(stateWindow);
    const hadContents = this.addToContents(value, timestamp);
    // EventTimeTrigger would register the timer at the window's end again (and the operator its
    // cleanup timer): both exist since the window's first element, as the watermark has not
    // reached the window's end since then and nothing else deletes them without merging. Skipping
    // the lookups saves a fifth of q5's time (every bid is in five windows).
    if (hadContents && this.skipKnownTimers && window.maxTimestamp() > this.timers.currentWatermark()) return;
    const tc = this.triggerCtx;
    tc.window = window;
    const result = tc.onElement(value, timestamp);
    if (result.fire) this.emitContents(window, stateWindow);
    if (result.purge) this.clearContents(stateWindow);
    if (!this.triggerSetsCleanupTimer) this.registerCleanupTimer(window);
  }

  override processWatermark(timestamp: number): void {
    this.keyed.timeServiceManager.advanceWatermark(timestamp);
    this.output.emitWatermark(timestamp);
  }

  onEventTime(timer: InternalTimer): void {
    this.onTimer(timer, true);
  }

  onProcessingTime(timer: InternalTimer): void {
    this.onTimer(timer, false);
  }

  /** One path for both time domains; the timer's key is current. */
  private onTimer(timer: InternalTimer, eventTimeTimer: boolean): void {
    const window = asWindow(timer.namespace);
    const tc = this.triggerCtx;
    tc.key = timer.key;
    tc.window = window;
    let mergingWindows: MergingWindowSet<Window> | null = null;
    let stateWindow = window;
    if (this.merging) {
      this.backend.setCurrentNamespace(null);
      mergingWindows = new MergingWindowSet(this.assigner as never, this.mergingSetState);
      const found = mergingWindows.getStateWindow(window);
      // A timer of a window that merged away or was dropped, left by a trigger that did not delete it.
      if (found === undefined) return;
      stateWindow = found;
    }
    const result = eventTimeTimer ? tc.onEventTime(timer.timestamp) : tc.onProcessingTime(timer.timestamp);
    if (result.fire) this.emitContents(window, stateWindow);
    if (result.purge) this.clearContents(stateWindow);
    if (this.eventTime === eventTimeTimer && timer.timestamp === this.cleanupTime(window)) {
      // EventTimeTrigger.clear would delete its timer at the window's end: the one firing now, already gone
      const triggerTimerGone = this.skipKnownTimers && timer.timestamp === window.maxTimestamp();
      this.clearAllState(window, stateWindow, mergingWindows, triggerTimerGone);
    }
    if (mergingWindows !== null) {
      this.backend.setCurrentNamespace(null);
      mergingWindows.persist();
    }
  }

  /** Windows merged (sessions): trigger state and timers follow, contents fold into the result's state window. */
  private onWindowsMerged(mergeResult: Window, mergedWindows: Window[], stateWindowResult: Window, mergedStateWindows: Window[]): void {
    if (this.eventTime && mergeResult.maxTimestamp() + this.allowedLateness <= this.timers.currentWatermark()) {
      throw new InternalError(`merging made the event-time window ${String(mergeResult)} end before the watermark ${this.timers.currentWatermark()}`);
    }
    const tc = this.triggerCtx;
    tc.window = mergeResult;
    tc.onMerge(mergedWindows);
    for (const m of mergedWindows) {
      tc.window = m;
      tc.clear();
      this.deleteCleanupTimer(m);
    }
    this.contentsState.mergeNamespaces!(stateWindowResult, mergedStateWindows);
  }

  /** Drops everything of a window: contents, trigger state and timers, per-window user state. */
  private clearAllState(window: Window, stateWindow: Window, mergingWindows: MergingWindowSet<Window> | null, triggerTimerGone = false): void {
    this.clearContents(stateWindow);
    const tc = this.triggerCtx;
    tc.window = window;
    if (!triggerTimerGone) tc.clear();
    this.processCtx.currentWindow = window;
    this.backend.setCurrentNamespace(null);
    this.options.fn.clear(window, this.processCtx);
    mergingWindows?.retireWindow(window);
  }

  // ---- contents: overridden by the evicting operator ----

  /** The contents' functions are wrapped to tell addToContents whether the window had contents. */
  protected contentsStateDescriptor() {
    return contentsDescriptor(this.options.contents, () => {
      this.contentsExisted = true;
    });
  }

  /**
   * Adds to the contents under the current namespace (the state window). Returns true if the
   * window already had contents for the current key; false when it had none, or when unknown.
   */
  protected addToContents(value: unknown, _timestamp: number): boolean {
    const state = this.contentsState;
    if (this.options.contents.kind === "list") {
      const had = (state.get() as unknown[]).length > 0;
      state.add(value);
      return had;
    }
    this.contentsExisted = false;
    state.add(value);
    return this.contentsExisted;
  }

  /** Emits the window's contents through the user function, if it has any. */
  protected emitContents(window: Window, stateWindow: Window): void {
    this.backend.setCurrentNamespace(stateWindow);
    const contents = this.contentsState.get();
    if (contents === null || (this.options.contents.kind === "list" && (contents as unknown[]).length === 0)) return;
    this.callFunction(window, contents);
  }

  /** The user function runs in the default namespace: its RuntimeContext state is per key, as in Flink. */
  protected callFunction(window: Window, input: unknown): void {
    this.backend.setCurrentNamespace(null);
    this.collector.timestamp = window.maxTimestamp();
    this.processCtx.currentWindow = window;
    this.options.fn.process(this.triggerCtx.key, window, this.processCtx, input, this.collector);
  }

  protected clearContents(stateWindow: Window): void {
    this.backend.setCurrentNamespace(stateWindow);
    this.contentsState.clear();
  }

  // ---- lateness and cleanup ----

  /** When the window's state is dropped; MAX_WATERMARK (never) when that passes the end of time. */
  protected cleanupTime(window: Window): number {
    const maxTimestamp = window.maxTimestamp();
    if (!this.eventTime) return maxTimestamp;
    const t = maxTimestamp + this.allowedLateness;
    return t >= maxTimestamp && t < MAX_WATERMARK ? t : MAX_WATERMARK;
  }

  private isWindowLate(window: Window): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.timers.currentWatermark();
  }

  private isElementLate(timestamp: number): boolean {
    return this.eventTime && timestamp + this.allowedLateness <= this.timers.currentWatermark();
  }

  private registerCleanupTimer(window: Window): void {
    const t = this.cleanupTime(window);
    if (t === MAX_WATERMARK) return;
    if (this.eventTime) this.timers.registerEventTimeTimer(t, window);
    else this.timers.registerProcessingTimeTimer(t, window);
  }

  private deleteCleanupTimer(window: Window): void {
    const t = this.cleanupTime(window);
    if (t === MAX_WATERMARK) return;
    if (this.eventTime) this.timers.deleteEventTimeTimer(t, window);
    else this.timers.deleteProcessingTimeTimer(t, window);
  }

  override close(): void | Promise<void> {
    this.keyed?.timeServiceManager.dispose();
    return this.closeFunctions(0);
  }

  private closeFunctions(from: number): void | Promise<void> {
    const lifecycles = this.options.fn.lifecycles;
    for (let i = from; i < lifecycles.length; i++) {
      const r = closeFunction(lifecycles[i]);
      if (r instanceof Promise) return r.then(() => this.closeFunctions(i + 1));
    }
  }

  describe(): string {
    const parts = [String(this.assigner), String(this.trigger)];
    if (this.options.evictor) parts.push(String(this.options.evictor));
    parts.push(this.options.fn.label);
    return `Window(${parts.join(", ")})`;
  }
}
