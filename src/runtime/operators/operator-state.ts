/**
 * The operator snapshot seam: the plain-data state of one operator subtask (keyed state, timers,
 * operator state), taken from a running operator and used to initialize a fresh one — at the same
 * or another parallelism. Checkpoints and the test harnesses both go through here.
 */
import { engineNow } from "../../core/clock.ts";
import { KeyedStateBackend, type KeyedStateSnapshot, type KeyGroupRangeLike } from "../state/keyed-state-backend.ts";
import { assignToKeyGroup } from "../../types/key-group.ts";
import type { KeyedContext, OperatorContext } from "./operator-context.ts";
import type { ProcessingTimeScheduler } from "./timers/internal-timer-service.ts";
import { InternalTimeServiceManager, type TimeServicesSnapshot } from "./timers/internal-time-service-manager.ts";

/** Everything one operator subtask holds; plain data plus the user's own values (by reference). */
export interface OperatorStateSnapshot {
  /** The keyed state backend's snapshot (keyed operators). */
  keyedState?: KeyedStateSnapshot;
  /** The timer services' snapshot (keyed operators). */
  timers?: TimeServicesSnapshot;
  /** What the operator's own snapshotState() returned (operators that keep non-keyed state). */
  operatorState?: unknown;
}

/**
 * An operator with state outside the keyed backend. initializeState runs before open(), with the
 * operatorState of every old subtask being restored (one element per old subtask, none when
 * starting fresh); snapshotState returns this subtask's part.
 */
export interface OperatorWithState {
  snapshotState(): unknown;
  initializeState(states: unknown[]): void;
}

export function hasOperatorState(op: unknown): op is OperatorWithState {
  const o = op as Partial<OperatorWithState>;
  return typeof o?.snapshotState === "function" && typeof o.initializeState === "function";
}

export interface KeyedContextOptions {
  keySelector: (value: unknown) => unknown;
  keyGroupRange: KeyGroupRangeLike;
  maxParallelism: number;
  executeInMailbox: (action: () => void) => void;
  /** Processing time, for timers and state TTL; the wall clock unless a test drives it. */
  clock?: () => number;
  scheduler?: ProcessingTimeScheduler;
  /** Snapshots of the old subtasks to restore from; only the key groups in `keyGroupRange` are kept. */
  restoreFrom?: readonly OperatorStateSnapshot[];
}

/** The keyed context of one operator subtask: a keyed state backend and timer services, fresh or restored. */
export function createKeyedContext(o: KeyedContextOptions): KeyedContext {
  const clock = o.clock ?? engineNow;
  const maxP = o.maxParallelism;
  const restoreFrom = o.restoreFrom ?? [];
  const keyedSnapshots = restoreFrom.flatMap((s) => (s.keyedState ? [s.keyedState] : []));
  const backend = keyedSnapshots.length > 0 ? KeyedStateBackend.restore(keyedSnapshots, o.keyGroupRange, maxP, clock) : new KeyedStateBackend(o.keyGroupRange, maxP, clock);
  const setCurrentKeyInGroup = (key: unknown, keyGroup: number) => backend.setCurrentKey(key, keyGroup);
  const timeServiceManager = new InternalTimeServiceManager(
    {
      keyGroupRange: o.keyGroupRange,
      maxParallelism: maxP,
      keyContext: {
        getCurrentKey: () => backend.getCurrentKey(),
        getCurrentKeyGroup: () => backend.getCurrentKeyGroup(),
        setCurrentKeyInGroup,
      },
      executeInMailbox: o.executeInMailbox,
      clock,
      scheduler: o.scheduler,
    },
    restoreFrom.flatMap((s) => (s.timers ? [s.timers] : [])),
  );
  return {
    keySelector: o.keySelector,
    backend,
    timeServiceManager,
    setCurrentKey: (key) => backend.setCurrentKey(key, assignToKeyGroup(key, maxP)),
    setCurrentKeyInGroup,
    getCurrentKey: () => backend.getCurrentKey(),
  };
}

/** The state of a running (opened) operator subtask. Values are shared with the live state: copy or serialize before it changes. */
export function snapshotOperatorState(context: OperatorContext, operator: unknown): OperatorStateSnapshot {
  const snapshot: OperatorStateSnapshot = {};
  const keyed = context.keyed;
  if (keyed) {
    snapshot.keyedState = keyed.backend.snapshot();
    snapshot.timers = keyed.timeServiceManager.snapshot();
  }
  if (hasOperatorState(operator)) snapshot.operatorState = operator.snapshotState();
  return snapshot;
}

/** Hands the old subtasks' operator state to a fresh operator, before open(); keyed state and timers come through createKeyedContext. */
export function initializeOperatorState(operator: unknown, restoreFrom: readonly OperatorStateSnapshot[]): void {
  if (!hasOperatorState(operator)) return;
  operator.initializeState(restoreFrom.flatMap((s) => (s.operatorState === undefined ? [] : [s.operatorState])));
}
