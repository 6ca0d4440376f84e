/**
 * Records the values that differ between runs (Date.now, Math.random, crypto.randomUUID) while
 * the client runs main(), and replays them in the same order when a worker re-runs main, so
 * closures capture the client's values.
 */

export interface NondeterminismRecord {
  now: number[];
  random: number[];
  uuid: string[];
}

const originals = { now: Date.now, random: Math.random, uuid: crypto.randomUUID.bind(crypto) };

/** Starts recording; returns the record (filled as main runs) and a function that stops. */
export function startRecording(): { record: NondeterminismRecord; stop(): void } {
  const record: NondeterminismRecord = { now: [], random: [], uuid: [] };
  Date.now = () => {
    const v = originals.now.call(Date);
    record.now.push(v);
    return v;
  };
  Math.random = () => {
    const v = originals.random.call(Math);
    record.random.push(v);
    return v;
  };
  crypto.randomUUID = (() => {
    const v = originals.uuid();
    record.uuid.push(v);
    return v;
  }) as typeof crypto.randomUUID;
  return { record, stop: restore };
}

/** Replays `record` until stopped; once a list runs out, the real function answers. */
export function startReplay(record: NondeterminismRecord): () => void {
  let n = 0, r = 0, u = 0;
  Date.now = () => (n < record.now.length ? record.now[n++]! : originals.now.call(Date));
  Math.random = () => (r < record.random.length ? record.random[r++]! : originals.random.call(Math));
  crypto.randomUUID = (() => (u < record.uuid.length ? record.uuid[u++]! : originals.uuid())) as typeof crypto.randomUUID;
  return restore;
}

function restore(): void {
  Date.now = originals.now;
  Math.random = originals.random;
  crypto.randomUUID = originals.uuid as typeof crypto.randomUUID;
}
