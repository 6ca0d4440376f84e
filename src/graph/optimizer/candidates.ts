/**
 * The strategies each binary operator may run with, as Flink's optimizer offers them: every
 * hint narrows the list; outer joins never broadcast their outer side (a broadcast copy could
 * not tell whether a record matched in another subtask), so some hints are refused.
 */
import { InvalidProgramError } from "../../core/errors.ts";
import { CrossHint, JoinHint, type BinaryChoice, type BinaryInfo, type OuterJoinType } from "./plan-info.ts";

const REPARTITION_HASH_FIRST: BinaryChoice = { ship: ["hash", "hash"], local: "hash-build-first" };
const REPARTITION_HASH_SECOND: BinaryChoice = { ship: ["hash", "hash"], local: "hash-build-second" };
const REPARTITION_SORT_MERGE: BinaryChoice = { ship: ["hash", "hash"], local: "sort-merge" };
const BROADCAST_HASH_FIRST: BinaryChoice = { ship: ["broadcast", "forward"], local: "hash-build-first" };
const BROADCAST_HASH_SECOND: BinaryChoice = { ship: ["forward", "broadcast"], local: "hash-build-second" };
const BROADCAST_SORT_MERGE_FIRST: BinaryChoice = { ship: ["broadcast", "forward"], local: "sort-merge" };
const BROADCAST_SORT_MERGE_SECOND: BinaryChoice = { ship: ["forward", "broadcast"], local: "sort-merge" };

/** The hints each outer join accepts (Flink's OuterJoinNode). */
const OUTER_HINTS: Record<OuterJoinType, readonly JoinHint[]> = {
  left: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND, JoinHint.BROADCAST_HASH_SECOND],
  right: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND, JoinHint.BROADCAST_HASH_FIRST],
  full: [JoinHint.OPTIMIZER_CHOOSES, JoinHint.REPARTITION_SORT_MERGE, JoinHint.REPARTITION_HASH_FIRST, JoinHint.REPARTITION_HASH_SECOND],
};

/** Throws when `hint` is not a JoinHint, or one this outer join cannot run with; `what` names the call. */
export function checkJoinHint(hint: unknown, outer: OuterJoinType | undefined, what: string): asserts hint is JoinHint {
  const all = Object.values(JoinHint) as string[];
  if (typeof hint !== "string" || !all.includes(hint)) throw new InvalidProgramError(`${what}: unknown join hint ${JSON.stringify(hint)}; use one of JoinHint.${all.join(", JoinHint.")}`);
  if (!outer || OUTER_HINTS[outer].includes(hint as JoinHint)) return;
  const why =
    outer === "full"
      ? "a full outer join cannot broadcast either input"
      : `a ${outer} outer join cannot broadcast its ${outer === "left" ? "first" : "second"} (outer) input`;
  throw new InvalidProgramError(`${what}: JoinHint.${hint} is not supported, ${why}; use one of JoinHint.${OUTER_HINTS[outer].join(", JoinHint.")}`);
}

export function checkCrossHint(hint: unknown, what: string): asserts hint is CrossHint {
  const all = Object.values(CrossHint) as string[];
  if (typeof hint !== "string" || !all.includes(hint)) throw new InvalidProgramError(`${what}: unknown cross hint ${JSON.stringify(hint)}; use one of CrossHint.${all.join(", CrossHint.")}`);
}

export function candidatesFor(info: BinaryInfo): BinaryChoice[] {
  if (info.kind === "cogroup") return [REPARTITION_SORT_MERGE];
  if (info.kind === "cross") return crossBinaryChoices(info.hint as CrossHint);
  const hint = info.hint as JoinHint;
  if (!info.outer) return innerJoinBinaryChoices(hint);
  return outerJoinBinaryChoices(info.outer, hint);
}

function innerJoinBinaryChoices(hint: JoinHint): BinaryChoice[] {
  switch (hint) {
    case JoinHint.BROADCAST_HASH_FIRST:
      return [BROADCAST_HASH_FIRST];
    case JoinHint.BROADCAST_HASH_SECOND:
      return [BROADCAST_HASH_SECOND];
    case JoinHint.REPARTITION_HASH_FIRST:
      return [REPARTITION_HASH_FIRST];
    case JoinHint.REPARTITION_HASH_SECOND:
      return [REPARTITION_HASH_SECOND];
    case JoinHint.REPARTITION_SORT_MERGE:
      return [REPARTITION_SORT_MERGE];
    default:
      return [REPARTITION_HASH_FIRST, REPARTITION_HASH_SECOND, BROADCAST_HASH_FIRST, BROADCAST_HASH_SECOND, REPARTITION_SORT_MERGE];
  }
}

function outerJoinBinaryChoices(outer: OuterJoinType, hint: JoinHint): BinaryChoice[] {
  switch (hint) {
    case JoinHint.REPARTITION_SORT_MERGE:
      return [REPARTITION_SORT_MERGE];
    case JoinHint.REPARTITION_HASH_FIRST:
      return [REPARTITION_HASH_FIRST];
    case JoinHint.REPARTITION_HASH_SECOND:
      return [REPARTITION_HASH_SECOND];
    case JoinHint.BROADCAST_HASH_FIRST:
      return [BROADCAST_HASH_FIRST];
    case JoinHint.BROADCAST_HASH_SECOND:
      return [BROADCAST_HASH_SECOND];
    default:
      // Flink offers sort-merge and a hash join building the inner side, broadcasting only the inner side
      if (outer === "left") return [REPARTITION_SORT_MERGE, BROADCAST_SORT_MERGE_SECOND, REPARTITION_HASH_SECOND, BROADCAST_HASH_SECOND];
      if (outer === "right") return [REPARTITION_SORT_MERGE, BROADCAST_SORT_MERGE_FIRST, REPARTITION_HASH_FIRST, BROADCAST_HASH_FIRST];
      return [REPARTITION_SORT_MERGE];
  }
}

function crossBinaryChoices(hint: CrossHint): BinaryChoice[] {
  const first: BinaryChoice = { ship: ["broadcast", "forward"], local: "nested-loop-block-first" };
  const second: BinaryChoice = { ship: ["forward", "broadcast"], local: "nested-loop-block-second" };
  if (hint === CrossHint.FIRST_IS_SMALL) return [first];
  if (hint === CrossHint.SECOND_IS_SMALL) return [second];
  return [second, first];
}
