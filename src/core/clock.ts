/**
 * The engine's own clock and randomness, captured before any job runs.
 *
 * While a job's main() runs, Date.now, Math.random and crypto.randomUUID are recorded so that
 * workers replaying main see the client's values. Engine code must never feed that record, so
 * it calls these originals instead.
 */
export const engineNow: () => number = Date.now.bind(Date);
export const engineRandom: () => number = Math.random.bind(Math);
export const engineUUID: () => string = crypto.randomUUID.bind(crypto);

/** A short random hex id (32 hex digits, as Flink's JobID). */
export function newId(): string {
  return engineUUID().replace(/-/g, "");
}
