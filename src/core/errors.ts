/** Error classes shared by every layer: user errors a person can act on, and internal invariant failures. */

/** Base of every error flinkts throws on purpose. */
export class FlinkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user's program or input is wrong: bad API use, bad file, bad configuration. */
export class UserError extends FlinkError {}

/** A user-supplied function threw while a task ran it. */
export class UserCodeError extends FlinkError {}

/** Graph construction rejected the program (misuse caught before anything runs). */
export class InvalidProgramError extends UserError {}

/** A configuration value is missing or malformed. */
export class ConfigurationError extends UserError {}

/** A job failed while running; `cause` holds the first task failure. */
export class JobExecutionError extends FlinkError {}

/** Something the engine itself guarantees did not hold: a bug in flinkts, never the user's fault. */
export class InternalError extends FlinkError {}

/** Throws an InternalError when an engine invariant does not hold. */
export function checkState(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}

/** Throws an InvalidProgramError when an API argument is wrong. */
export function checkArgument(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvalidProgramError(message);
}

/** A plain-data form of an error, for crossing threads and processes. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: "Error", message: String(e) };
}

export function deserializeError(s: SerializedError): Error {
  const e = s.name === "UserCodeError" ? new UserCodeError(s.message) : s.name === "UserError" || s.name === "InvalidProgramError" ? new UserError(s.message) : new FlinkError(s.message);
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}
