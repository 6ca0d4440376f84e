/** The benchmark's hand loops give the oracle's answers, and the oracle itself on a case worked by hand. */
import { describe, expect, test } from "bun:test";
import { NexmarkGenerator, type NexmarkEvent } from "../../src/connectors/nexmark/index.ts";
import { HAND_LOOPS } from "../bench/nexmark-hand.ts";
import { q5, q7, q8, sortRows } from "./oracle.ts";

const ORACLES = { q5, q7, q8 };

describe("Nexmark hand loops match the oracle", () => {
  for (const [events, rate] of [
    [200_000, 5_000],
    [150_000, 1_000],
  ] as const)
    for (const query of ["q5", "q7", "q8"] as const)
      test(`${query}: ${events} events at ${rate}/s`, () => {
        const generator = new NexmarkGenerator({ seed: 3, eventsPerSecond: rate });
        const all = Array.from({ length: events }, (_, n) => generator.event(n));
        const expected = ORACLES[query](all);
        // at least one row per window of 10 s
        expect(expected.length).toBeGreaterThanOrEqual(Math.floor(events / rate / 10));
        expect(sortRows(HAND_LOOPS[query](generator, events) as (number | string)[][])).toEqual(expected);
      });
});

const bid = (auction: number, price: number, dateTime: number): NexmarkEvent => ({ kind: "bid", bid: { auction, bidder: 7, price, channel: "c", url: "u", dateTime, extra: "" } });

describe("the oracle", () => {
  test("q5: sliding windows count bids per auction and keep every tie", () => {
    const events = [bid(1, 5, 1000), bid(2, 5, 1500), bid(2, 5, 3000), bid(1, 5, 11_500)];
    expect(q5(events)).toEqual([
      [-8000, 1, 1], [-8000, 2, 1],
      [-6000, 2, 2],
      [-4000, 2, 2],
      [-2000, 2, 2],
      [0, 2, 2],
      [2000, 1, 1], [2000, 2, 1],
      [4000, 1, 1], [6000, 1, 1], [8000, 1, 1], [10_000, 1, 1],
    ]);
  });

  test("q7: the highest price per tumbling window, ties kept", () => {
    const events = [bid(1, 5, 1000), bid(2, 9, 2000), bid(3, 9, 9999), bid(4, 1, 10_000)];
    expect(q7(events)).toEqual([
      [0, 2, 9, 7, 2000],
      [0, 3, 9, 7, 9999],
      [10_000, 4, 1, 7, 10_000],
    ]);
  });

  test("q8: a person and an auction they sell in the same window", () => {
    const person = (id: number, dateTime: number): NexmarkEvent => ({ kind: "person", person: { id, name: `p${id}`, emailAddress: "", creditCard: "", city: "", state: "", dateTime, extra: "" } });
    const auction = (seller: number, dateTime: number): NexmarkEvent => ({
      kind: "auction",
      auction: { id: 1, itemName: "", description: "", initialBid: 1, reserve: 2, dateTime, expires: dateTime + 1, seller, category: 10, extra: "" },
    });
    const events = [person(1, 100), auction(1, 9000), auction(1, 9500), person(2, 9999), auction(2, 10_000), person(3, 20_000), auction(3, 29_999)];
    expect(q8(events)).toEqual([
      [0, 1, "p1"],
      [20_000, 3, "p3"],
    ]);
  });
});
