/**
 * The contexts a window operator hands out: to triggers (timers and state of the current window),
 * to window functions (Flink's ProcessWindowFunction.Context), and per-window state stores.
 */
import { UserError } from "../../../core/errors.ts";
import type { KeyedStateBackend } from "../../state/keyed-state-backend.ts";
import type { StateDescriptorLike } from "../../state/state-descriptor.ts";
import type { InternalMergingState } from "../../state/state-types.ts";
import type { Output } from "../stream-operator.ts";
import type { InternalTimerService } from "../timers/internal-timer-service.ts";
import type { OnMergeContext, Trigger, TriggerResult } from "./trigger.ts";
import type { Window } from "./windows.ts";

/**
 * Flink's WindowOperator.Context: the trigger's view of the current key and window. One
 * instance per operator; the operator sets `key` and `window` before each call, and every call
 * runs with the backend's namespace set to `window`, where trigger state lives.
 */
export class WindowTriggerContext implements OnMergeContext {
  key: unknown = undefined;
  window!: Window;
  /** During onMerge: the windows merged into `window`. */
  mergedWindows: readonly Window[] = [];

  constructor(
    private readonly trigger: Trigger,
    private readonly backend: KeyedStateBackend,
    private readonly timers: InternalTimerService,
  ) {}

  getCurrentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  getCurrentWatermark(): number {
    return this.timers.currentWatermark();
  }
  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(time, this.window);
  }
  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(time, this.window);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(time, this.window);
  }
  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(time, this.window);
  }

  getPartitionedState<S = any>(descriptor: StateDescriptorLike): S {
    this.backend.setCurrentNamespace(this.window);
    return this.backend.getPartitionedState<S>(descriptor);
  }

  mergePartitionedState(descriptor: StateDescriptorLike): void {
    if (this.mergedWindows.length === 0) return;
    const state = this.backend.getPartitionedState<Partial<InternalMergingState>>(descriptor);
    if (typeof state.mergeNamespaces !== "function") {
      throw new UserError(`trigger state "${descriptor.name}" is ${descriptor.kind} state, which cannot merge; use list, reducing or aggregating state in a trigger of merging windows`);
    }
    state.mergeNamespaces(this.window, this.mergedWindows);
  }

  onElement(element: unknown, timestamp: number): TriggerResult {
    this.backend.setCurrentNamespace(this.window);
    return this.trigger.onElement(element, timestamp, this.window, this);
  }

  onEventTime(time: number): TriggerResult {
    this.backend.setCurrentNamespace(this.window);
    return this.trigger.onEventTime(time, this.window, this);
  }

  onProcessingTime(time: number): TriggerResult {
    this.backend.setCurrentNamespace(this.window);
    return this.trigger.onProcessingTime(time, this.window, this);
  }

  onMerge(mergedWindows: readonly Window[]): void {
    this.backend.setCurrentNamespace(this.window);
    this.mergedWindows = mergedWindows;
    try {
      this.trigger.onMerge(this.window, this);
    } finally {
      this.mergedWindows = [];
    }
  }

  clear(): void {
    this.backend.setCurrentNamespace(this.window);
    this.trigger.clear?.(this.window, this);
  }
}

/** Keyed state under one namespace, as Flink's KeyedStateStore (windowState() / globalState()). */
export interface KeyedStateStore {
  getState<S = any>(descriptor: StateDescriptorLike): S;
  getListState<S = any>(descriptor: StateDescriptorLike): S;
  getMapState<S = any>(descriptor: StateDescriptorLike): S;
  getReducingState<S = any>(descriptor: StateDescriptorLike): S;
  getAggregatingState<S = any>(descriptor: StateDescriptorLike): S;
}

/**
 * A store whose states act on one namespace whatever the backend's current one is: each state
 * method first selects the namespace. The backend has one current namespace for all states, so
 * without this a user mixing windowState() and globalState() would read the wrong one.
 */
class NamespacedStateStore implements KeyedStateStore {
  private readonly states = new Map<string, unknown>();
  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly namespace: () => unknown,
  ) {}

  getState<S>(d: StateDescriptorLike): S {
    return this.get(d, "value");
  }
  getListState<S>(d: StateDescriptorLike): S {
    return this.get(d, "list");
  }
  getMapState<S>(d: StateDescriptorLike): S {
    return this.get(d, "map");
  }
  getReducingState<S>(d: StateDescriptorLike): S {
    return this.get(d, "reducing");
  }
  getAggregatingState<S>(d: StateDescriptorLike): S {
    return this.get(d, "aggregating");
  }

  private get<S>(d: StateDescriptorLike, kind: StateDescriptorLike["kind"]): S {
    if (d.kind !== kind) throw new UserError(`state "${d.name}" is a ${d.kind} state descriptor, not ${kind}`);
    let wrapped = this.states.get(d.name);
    if (wrapped === undefined) {
      const state = this.backend.getPartitionedState<Record<string, unknown>>(d);
      const { backend, namespace } = this;
      wrapped = new Proxy(state, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target);
          if (typeof v !== "function") return v;
          return (...args: unknown[]) => {
            backend.setCurrentNamespace(namespace());
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      this.states.set(d.name, wrapped);
    }
    return wrapped as S;
  }
}

/**
 * Flink's ProcessWindowFunction.Context (and ProcessAllWindowFunction's): the window being
 * processed, time, per-window and global keyed state, side outputs. One per operator, reused.
 */
export class WindowProcessContext {
  currentWindow!: Window;
  private windowStore: KeyedStateStore | undefined;
  private globalStore: KeyedStateStore | undefined;

  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly timers: InternalTimerService,
    private readonly out: Output,
    private readonly mergingWindows: boolean,
  ) {}

  window(): Window {
    return this.currentWindow;
  }
  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  currentWatermark(): number {
    return this.timers.currentWatermark();
  }
  /** State of the current key scoped to this window; clear it in ProcessWindowFunction.clear. */
  windowState(): KeyedStateStore {
    if (this.mergingWindows) throw new UserError("per-window state is not supported with merging windows (sessions); use globalState()");
    return (this.windowStore ??= new NamespacedStateStore(this.backend, () => this.currentWindow));
  }
  /** State of the current key shared by all its windows. */
  globalState(): KeyedStateStore {
    return (this.globalStore ??= new NamespacedStateStore(this.backend, () => null));
  }
  /** Emits to a side output, timestamped with the window's maxTimestamp(). */
  output(tag: string | { id: string }, value: unknown): void {
    this.out.collectSide(typeof tag === "string" ? tag : tag.id, value, this.currentWindow.maxTimestamp());
  }
}
