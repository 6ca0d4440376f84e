/** One line on stderr for a failure the user can act on; the stack only where it helps (user code). */
import { JobExecutionError, UserError } from "../core/errors.ts";

export function reportError(e: unknown): number {
  const color = process.stderr.isTTY && !process.env.NO_COLOR;
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[39m` : s);
  if (e instanceof JobExecutionError) {
    process.stderr.write(red(`error: ${e.message}`) + "\n");
    const stack = userStack(e.stack);
    if (stack) process.stderr.write(stack + "\n");
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(red(`error: ${message}`) + "\n");
  if (!(e instanceof UserError) && e instanceof Error && process.env.FLINKTS_DEBUG) process.stderr.write((e.stack ?? "") + "\n");
  return 1;
}

/** The "at ..." lines of a user failure's stack, without the engine's frames. */
function userStack(stack: string | undefined): string {
  if (!stack) return "";
  return stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !/(^|[\s(/])src\/(runtime|cluster|graph|api|core|types|connectors)\//.test(l) && !l.includes("$bunfs"))
    .join("\n");
}
