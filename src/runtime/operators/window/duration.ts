/** Window sizes, slides, gaps and offsets as users give them: milliseconds, or a Time (anything with toMilliseconds()). */
import { checkArgument } from "../../../core/errors.ts";

export type Duration = number | { toMilliseconds(): number };

/** The duration in whole milliseconds; `what` names the argument in the error. */
export function toMillis(d: Duration, what: string): number {
  const ms = typeof d === "number" ? d : d !== null && typeof d === "object" && typeof d.toMilliseconds === "function" ? d.toMilliseconds() : NaN;
  checkArgument(Number.isSafeInteger(ms), `${what} must be a whole number of milliseconds or a Time, got ${typeof d === "number" ? d : typeof d}`);
  return ms;
}
