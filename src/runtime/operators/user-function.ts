/**
 * How operators drive the lifecycle of user functions they wrap: rich functions get their
 * RuntimeContext and open()/close() calls; plain functions get nothing.
 */
import { StreamingRuntimeContext } from "../tasks/runtime-context.ts";
import type { OperatorContext } from "./operator-context.ts";

export interface FunctionLifecycle {
  setRuntimeContext?(context: StreamingRuntimeContext): void;
  open?(context: StreamingRuntimeContext): void | Promise<void>;
  close?(): void | Promise<void>;
}

export function openFunction(fn: FunctionLifecycle | undefined, context: OperatorContext): void | Promise<void> {
  if (!fn) return;
  const rc = new StreamingRuntimeContext(context, context.broadcastVariables);
  if (typeof fn.setRuntimeContext === "function") fn.setRuntimeContext(rc);
  if (typeof fn.open === "function") return fn.open(rc);
}

export function closeFunction(fn: FunctionLifecycle | undefined): void | Promise<void> {
  if (fn && typeof fn.close === "function") return fn.close();
}

/** The collector handed to flatMap-style functions; one per operator, reused for every record. */
export class TimestampedCollector<T> {
  timestamp = 0;
  constructor(private readonly output: { collect(value: T, timestamp: number): void }) {}
  collect(value: T): void {
    this.output.collect(value, this.timestamp);
  }
}
