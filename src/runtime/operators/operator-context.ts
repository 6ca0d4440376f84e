/** What a task gives each operator of its chain: identity, keyed state, accumulators, the mailbox. */
import type { Configuration } from "../../core/config.ts";
import type { Accumulator } from "../../core/accumulators.ts";
import type { KeyedStateBackend } from "../state/keyed-state-backend.ts";
import type { InternalTimeServiceManager } from "./timers/internal-time-service-manager.ts";
import type { MemoryManager } from "../../memory/memory-manager.ts";
import type { IOManager } from "../../io/io-manager.ts";
import type { ProcessingTimeScheduler } from "./timers/internal-timer-service.ts";

export interface OperatorContext {
  readonly operatorId: number;
  readonly operatorName: string;
  /** "name (i/p)", as Flink names subtasks in logs and errors. */
  readonly taskNameWithSubtask: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly config: Configuration;
  /** Present for operators on a keyed stream: key selector and the state of this subtask's key groups. */
  readonly keyed?: KeyedContext;
  addAccumulator(name: string, accumulator: Accumulator<unknown, unknown>): void;
  getAccumulator(name: string): Accumulator<unknown, unknown> | undefined;
  /** Runs `action` on the task's mailbox thread between input batches. */
  executeInMailbox(action: () => void | Promise<void>): void;
  /**
   * Processing time for operators that act on it without keyed timers (periodic watermarks): the
   * clock and a scheduler whose callbacks should only post mail. Tasks pass the wall clock;
   * test harnesses pass the test's clock. Absent: use the wall clock.
   */
  readonly processingTime?: ProcessingTimeContext;
  /** Sends data to the client that submitted the job (collect and print sinks). */
  sendToClient(channel: string, payload: unknown): void;
  /**
   * Flink's InputSplitProvider: claims the next index of the vertex's shared split sequence (0, 1,
   * 2, ... over all of its subtasks), so the subtasks that read faster read more of the input.
   * The source knows what split i is; an index past its last split means none is left. Absent
   * (test harnesses): a source divides its input among its subtasks statically.
   */
  readonly nextInputSplit?: () => Promise<number>;
  /**
   * For operators that emit a whole result in one call (a sort's output, a broadcast input's
   * replay): call it every few hundred records and await the promise when there is one. The slot
   * thread is shared, so a long synchronous loop stalls the other tasks on it and the credits for
   * this task's own outputs, which arrive on the event loop it blocks; the promise resolves once
   * others had a turn and the outputs take records again. Absent (test harnesses): never pause.
   */
  readonly yieldIfDue?: () => Promise<void> | undefined;
  /** Managed memory and spill files; absent outside a cluster (see memoryOf in operator-memory.ts). */
  readonly memory?: OperatorMemory;
  /** The broadcast sets (withBroadcastSet) of a DataSet operator by name, read completely before it opens. */
  readonly broadcastVariables?: Map<string, unknown[]>;
}

export interface ProcessingTimeContext {
  readonly clock: () => number;
  readonly scheduler: ProcessingTimeScheduler;
}

/** The slot's managed memory and spill files, and this operator's share of the memory. */
export interface OperatorMemory {
  readonly manager: MemoryManager;
  readonly io: IOManager;
  /** The share of the manager's pages this operator may allocate; 0 when it declared no need. */
  readonly fraction: number;
}

export interface KeyedContext {
  readonly keySelector: (value: unknown) => unknown;
  readonly backend: KeyedStateBackend;
  /** The operator's named timer services (Flink's InternalTimeServiceManager); snapshotted with the backend. */
  readonly timeServiceManager: InternalTimeServiceManager;
  /** Makes `key` the current key for state access; computes its key group. */
  setCurrentKey(key: unknown): void;
  /** The same, when the key group is already known (sent along by the partitioner upstream). */
  setCurrentKeyInGroup(key: unknown, keyGroup: number): void;
  getCurrentKey(): unknown;
}
