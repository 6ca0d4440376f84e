/**
 * The peers of the Nexmark benchmark: q5, q7 and q8 as hand-written single-threaded loops over
 * the same generator, firing windows on the same watermark (dateTime − 4 s) as the jobs.
 * `bun test/bench/nexmark-hand.ts q5 <events> <seed> <eventsPerSecond>` prints the result count
 * and the time, generation included.
 */
import { NexmarkGenerator } from "../../src/connectors/nexmark/index.ts";
import { SLIDE, WINDOW_SIZE, sortRows, type Q5Row, type Q7Row, type Q8Row } from "../nexmark/oracle.ts";

const DELAY = 4000;
const startOf = (ts: number, size: number) => ts - (((ts % size) + size) % size);

/** q5 over panes of one slide: each bid counts once in its pane; a window sums its five panes when it fires. */
export function handQ5(generator: NexmarkGenerator, events: number): Q5Row[] {
  const rows: Q5Row[] = [];
  const panes = new Map<number, Map<number, number>>();
  let nextWindow = NaN;
  let paneStart = NaN;
  let pane = new Map<number, number>();
  const fire = (start: number) => {
    const sums = new Map<number, number>();
    for (let p = start; p < start + WINDOW_SIZE; p += SLIDE) {
      const counts = panes.get(p);
      if (counts) for (const [auction, c] of counts) sums.set(auction, (sums.get(auction) ?? 0) + c);
    }
    panes.delete(start);
    let max = 0;
    for (const c of sums.values()) if (c > max) max = c;
    for (const [auction, c] of sums) if (c === max) rows.push([start, auction, c]);
  };
  for (let n = 0; n < events; n++) {
    const e = generator.event(n);
    const bid = e.bid;
    if (bid === undefined) continue;
    const ts = bid.dateTime;
    if (Number.isNaN(nextWindow)) nextWindow = startOf(ts, SLIDE) - WINDOW_SIZE + SLIDE;
    while (nextWindow + WINDOW_SIZE - 1 <= ts - DELAY) fire((nextWindow += SLIDE) - SLIDE);
    if (ts >= paneStart + SLIDE || !(ts >= paneStart)) {
      paneStart = startOf(ts, SLIDE);
      pane = panes.get(paneStart) ?? new Map();
      panes.set(paneStart, pane);
    }
    pane.set(bid.auction, (pane.get(bid.auction) ?? 0) + 1);
  }
  while (panes.size > 0) fire((nextWindow += SLIDE) - SLIDE);
  return rows;
}

/** q7: per open window the highest price so far and the bids that have it. */
export function handQ7(generator: NexmarkGenerator, events: number): Q7Row[] {
  const rows: Q7Row[] = [];
  const windows = new Map<number, { max: number; bids: Q7Row[] }>();
  const fireUpTo = (watermark: number) => {
    for (const [start, w] of windows)
      if (start + WINDOW_SIZE - 1 <= watermark) {
        rows.push(...w.bids);
        windows.delete(start);
      }
  };
  let lastFire = -Infinity;
  for (let n = 0; n < events; n++) {
    const bid = generator.event(n).bid;
    if (bid === undefined) continue;
    const ts = bid.dateTime;
    if (ts - DELAY >= lastFire + 1000) fireUpTo((lastFire = ts - DELAY));
    const start = startOf(ts, WINDOW_SIZE);
    let w = windows.get(start);
    if (!w) windows.set(start, (w = { max: -1, bids: [] }));
    if (bid.price > w.max) {
      w.max = bid.price;
      w.bids = [];
    }
    if (bid.price === w.max) w.bids.push([start, bid.auction, bid.price, bid.bidder, bid.dateTime]);
  }
  fireUpTo(Infinity);
  return rows;
}

/** q8: per open window the persons who registered and the sellers who opened auctions. */
export function handQ8(generator: NexmarkGenerator, events: number): Q8Row[] {
  const rows: Q8Row[] = [];
  const windows = new Map<number, { persons: Map<number, string>; sellers: Set<number> }>();
  const fireUpTo = (watermark: number) => {
    for (const [start, w] of windows)
      if (start + WINDOW_SIZE - 1 <= watermark) {
        for (const [id, name] of w.persons) if (w.sellers.has(id)) rows.push([start, id, name]);
        windows.delete(start);
      }
  };
  const open = (ts: number) => {
    const start = startOf(ts, WINDOW_SIZE);
    let w = windows.get(start);
    if (!w) windows.set(start, (w = { persons: new Map(), sellers: new Set() }));
    return w;
  };
  let lastFire = -Infinity;
  for (let n = 0; n < events; n++) {
    const e = generator.event(n);
    if (e.bid !== undefined) continue;
    const ts = (e.person ?? e.auction)!.dateTime;
    if (ts - DELAY >= lastFire + 1000) fireUpTo((lastFire = ts - DELAY));
    if (e.person) open(ts).persons.set(e.person.id, e.person.name);
    else open(ts).sellers.add(e.auction!.seller);
  }
  fireUpTo(Infinity);
  return rows;
}

export const HAND_LOOPS = { q5: handQ5, q7: handQ7, q8: handQ8 } as const;

if (import.meta.main) {
  const [query, events, seed, rate] = process.argv.slice(2);
  const loop = HAND_LOOPS[query as keyof typeof HAND_LOOPS];
  if (!loop) throw new Error(`usage: nexmark-hand.ts q5|q7|q8 <events> [seed] [eventsPerSecond]`);
  const generator = new NexmarkGenerator({ seed: Number(seed ?? 0), eventsPerSecond: rate ? Number(rate) : undefined });
  const t0 = performance.now();
  const rows = loop(generator, Number(events));
  const ms = performance.now() - t0;
  console.log(`results=${rows.length} ms=${ms.toFixed(0)}`);
  if (process.env.NEXMARK_PRINT) for (const r of sortRows(rows as (number | string)[][])) console.log(r.join(","));
}
