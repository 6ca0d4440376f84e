/**
 * The reference answers of Nexmark q5, q7 and q8, computed the plain way over an array of
 * events: group everything, then pick. The jobs and the benchmark's hand loops are checked
 * against these.
 */
import type { NexmarkEvent } from "../../src/connectors/nexmark/index.ts";

export const WINDOW_SIZE = 10_000;
export const SLIDE = 2_000;

/** q5 row: [window start, auction, bid count]. */
export type Q5Row = [number, number, number];
/** q7 row: [window start, auction, price, bidder, dateTime]. */
export type Q7Row = [number, number, number, number, number];
/** q8 row: [window start, person id, person name]. */
export type Q8Row = [number, number, string];

/** Flink's window start: the largest start <= ts on the grid of `size`. */
function startOf(ts: number, size: number): number {
  return ts - (((ts % size) + size) % size);
}

/** Hot items: per sliding window (10 s every 2 s), the auction(s) with the most bids. */
export function q5(events: readonly NexmarkEvent[]): Q5Row[] {
  const windows = new Map<number, Map<number, number>>();
  for (const e of events) {
    if (!e.bid) continue;
    const ts = e.bid.dateTime;
    for (let start = startOf(ts, SLIDE); start > ts - WINDOW_SIZE; start -= SLIDE) {
      let counts = windows.get(start);
      if (!counts) windows.set(start, (counts = new Map()));
      counts.set(e.bid.auction, (counts.get(e.bid.auction) ?? 0) + 1);
    }
  }
  const rows: Q5Row[] = [];
  for (const [start, counts] of windows) {
    const max = Math.max(...counts.values());
    for (const [auction, count] of counts) if (count === max) rows.push([start, auction, count]);
  }
  return sortRows(rows);
}

/** Highest bid: per tumbling 10 s window, the bid(s) with the highest price. */
export function q7(events: readonly NexmarkEvent[]): Q7Row[] {
  const windows = new Map<number, NonNullable<NexmarkEvent["bid"]>[]>();
  for (const e of events) {
    if (!e.bid) continue;
    const start = startOf(e.bid.dateTime, WINDOW_SIZE);
    const bids = windows.get(start) ?? [];
    bids.push(e.bid);
    windows.set(start, bids);
  }
  const rows: Q7Row[] = [];
  for (const [start, bids] of windows) {
    const max = Math.max(...bids.map((b) => b.price));
    for (const b of bids) if (b.price === max) rows.push([start, b.auction, b.price, b.bidder, b.dateTime]);
  }
  return sortRows(rows);
}

/** New users: persons who registered and opened an auction in the same tumbling 10 s window. */
export function q8(events: readonly NexmarkEvent[]): Q8Row[] {
  const persons = new Map<string, Q8Row>();
  const sellers = new Set<string>();
  for (const e of events) {
    if (e.person) persons.set(`${startOf(e.person.dateTime, WINDOW_SIZE)}/${e.person.id}`, [startOf(e.person.dateTime, WINDOW_SIZE), e.person.id, e.person.name]);
    if (e.auction) sellers.add(`${startOf(e.auction.dateTime, WINDOW_SIZE)}/${e.auction.seller}`);
  }
  return sortRows([...persons].filter(([key]) => sellers.has(key)).map(([, row]) => row));
}

/** Rows in a canonical order: by each field in turn. */
export function sortRows<R extends (number | string)[]>(rows: R[]): R[] {
  return rows.sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
