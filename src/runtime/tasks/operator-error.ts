/** Remembers which operator of a chain a user error came from, so the failure can name it. */
import { UserCodeError } from "../../core/errors.ts";

const OPERATOR = Symbol("flinkts.operator");

/** Marks `error` with the innermost operator it passed through (the first to tag it wins). */
export function tagOperator(error: unknown, operatorName: string): unknown {
  const e = error instanceof Error ? error : new UserCodeError(String(error));
  if ((e as any)[OPERATOR] === undefined) (e as any)[OPERATOR] = operatorName;
  return e;
}

export function taggedOperator(error: unknown): string | undefined {
  return error instanceof Error ? (error as any)[OPERATOR] : undefined;
}
