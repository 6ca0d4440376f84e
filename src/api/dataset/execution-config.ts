/** ExecutionConfig of a DataSet program: how data is exchanged between operators (pipelined or blocking). */
import { checkArgument } from "../../core/errors.ts";

/**
 * Flink's ExecutionMode. PIPELINED (the default) streams data between operators that run at the
 * same time; BATCH makes every shuffle a blocking result, complete before its consumers start.
 * The _FORCED variants are accepted and behave as their plain forms.
 */
export type ExecutionMode = "PIPELINED" | "PIPELINED_FORCED" | "BATCH" | "BATCH_FORCED";

const MODES: readonly ExecutionMode[] = ["PIPELINED", "PIPELINED_FORCED", "BATCH", "BATCH_FORCED"];

export class ExecutionConfig {
  private executionMode: ExecutionMode = "PIPELINED";
  private objectReuse = false;

  setExecutionMode(mode: ExecutionMode): this {
    checkArgument(MODES.includes(mode), `execution mode must be one of ${MODES.join(", ")}, got '${String(mode)}'`);
    this.executionMode = mode;
    return this;
  }

  getExecutionMode(): ExecutionMode {
    return this.executionMode;
  }

  /** True when shuffles are blocking results (BATCH, BATCH_FORCED). */
  isBlocking(): boolean {
    return this.executionMode === "BATCH" || this.executionMode === "BATCH_FORCED";
  }

  /** Accepted for compatibility: records are never reused across calls here. */
  enableObjectReuse(): this {
    this.objectReuse = true;
    return this;
  }

  disableObjectReuse(): this {
    this.objectReuse = false;
    return this;
  }

  isObjectReuseEnabled(): boolean {
    return this.objectReuse;
  }
}
