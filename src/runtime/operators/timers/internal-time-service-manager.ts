/** Flink's InternalTimeServiceManager: the named timer services of one keyed operator, advanced, snapshotted and restored together. */
import { checkState, UserError } from "../../../core/errors.ts";
import type { KeyGroupRangeLike } from "../../state/key-group-range-assignment.ts";
import {
  InternalTimerService,
  type ProcessingTimeScheduler,
  type TimerKeyContext,
  type TimersSnapshot,
  type Triggerable,
} from "./internal-timer-service.ts";

/** Plain data: the timers of every named service, each per key group. */
export interface TimeServicesSnapshot {
  maxParallelism: number;
  services: { [name: string]: TimersSnapshot };
}

export interface TimeServiceManagerOptions {
  keyGroupRange: KeyGroupRangeLike;
  maxParallelism: number;
  keyContext: TimerKeyContext;
  /** Runs an action on the task's mailbox thread; processing-time timers fire only through it. */
  executeInMailbox: (action: () => void) => void;
  clock?: () => number;
  scheduler?: ProcessingTimeScheduler;
}

/**
 * Threading: mailbox thread only, like the services it holds.
 * Lifecycle: construct with the snapshots to restore from (none for a fresh operator); the
 * operator asks for its services in open(); advanceWatermark on every watermark; snapshot() at
 * checkpoints; dispose() at close.
 * Restore: the timers of a name stay as snapshot data until the operator asks for that name (it
 * brings the Triggerable), so none fires before the operator is ready; until then snapshot()
 * writes them out again unchanged, restricted to this subtask's key groups.
 */
export class InternalTimeServiceManager {
  private readonly services = new Map<string, { service: InternalTimerService; triggerable: Triggerable }>();
  /** Services in creation order, for the watermark loop. */
  private serviceList: InternalTimerService[] = [];
  private readonly pending = new Map<string, TimersSnapshot[]>();

  constructor(
    private readonly options: TimeServiceManagerOptions,
    restoreFrom: readonly TimeServicesSnapshot[] = [],
  ) {
    for (const s of restoreFrom) {
      if (s.maxParallelism !== options.maxParallelism) {
        throw new UserError(`timer snapshot was taken with max parallelism ${s.maxParallelism}, but the job now has ${options.maxParallelism}; keep the max parallelism when restoring`);
      }
      for (const [name, timers] of Object.entries(s.services)) {
        const list = this.pending.get(name);
        if (list === undefined) this.pending.set(name, [timers]);
        else list.push(timers);
      }
    }
  }

  get keyGroupRange(): KeyGroupRangeLike {
    return this.options.keyGroupRange;
  }

  /** The service named `name`, created (or restored) on first request; later requests must bring the same triggerable. */
  getInternalTimerService(name: string, triggerable: Triggerable): InternalTimerService {
    const existing = this.services.get(name);
    if (existing !== undefined) {
      checkState(existing.triggerable === triggerable, `timer service "${name}" was already started with a different triggerable`);
      return existing.service;
    }
    const options = { ...this.options, triggerable };
    const restored = this.pending.get(name);
    this.pending.delete(name);
    const service = restored === undefined ? InternalTimerService.create(options) : InternalTimerService.restore(restored, options);
    this.services.set(name, { service, triggerable });
    this.serviceList.push(service);
    return service;
  }

  /** Fires due event-time timers of every service, service by service in creation order. */
  advanceWatermark(watermark: number): void {
    const list = this.serviceList;
    for (let i = 0; i < list.length; i++) list[i]!.advanceWatermark(watermark);
  }

  numEventTimeTimers(): number {
    let n = 0;
    for (const s of this.serviceList) n += s.numEventTimeTimers();
    return n;
  }

  numProcessingTimeTimers(): number {
    let n = 0;
    for (const s of this.serviceList) n += s.numProcessingTimeTimers();
    return n;
  }

  snapshot(): TimeServicesSnapshot {
    const services: TimeServicesSnapshot["services"] = {};
    for (const [name, { service }] of this.services) services[name] = service.snapshot();
    const { start, end } = this.options.keyGroupRange;
    for (const [name, snapshots] of this.pending) {
      const keyGroups = snapshots.flatMap((s) => s.keyGroups.filter((g) => g.keyGroup >= start && g.keyGroup <= end));
      services[name] = { maxParallelism: this.options.maxParallelism, keyGroups };
    }
    return { maxParallelism: this.options.maxParallelism, services };
  }

  /** Cancels wall-clock callbacks and drops all timers; no timer fires afterwards. */
  dispose(): void {
    for (const s of this.serviceList) s.dispose();
    this.services.clear();
    this.serviceList = [];
    this.pending.clear();
  }
}
