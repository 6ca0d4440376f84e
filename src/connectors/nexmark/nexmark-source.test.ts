/** NexmarkSource and its generator: NEXMARK.md's rules, determinism at any parallelism, timestamps and watermarks. */
import { describe, expect, test } from "bun:test";
import { InvalidProgramError } from "../../core/errors.ts";
import { DataInputView } from "../../types/data-input-view.ts";
import { DataOutputView } from "../../types/data-output-view.ts";
import { CollectingOutput, sourceConformance } from "../source-test-harness.ts";
import { NexmarkModel as M, NEXMARK_EVENT_TYPE, type NexmarkEvent } from "./model.ts";
import { DEFAULT_BASE_TIME, NexmarkGenerator, NexmarkIds } from "./nexmark-generator.ts";
import { NexmarkSource, NexmarkSplitSource } from "./nexmark-source.ts";
import { CITIES, NAMES, STATES } from "./text-pools.ts";

const EVENTS = 20_000;
const generator = new NexmarkGenerator({ seed: 7, eventsPerSecond: 1000 });
const events = Array.from({ length: EVENTS }, (_, n) => generator.event(n));

/** Runs `p` readers to the end with a budget; returns each subtask's output. */
function runReaders(options: ConstructorParameters<typeof NexmarkSource>[0], p: number, budget = 997): CollectingOutput<NexmarkEvent>[] {
  const source = new NexmarkSource(options);
  return Array.from({ length: p }, (_, i) => {
    const reader = source.toSplitSource();
    const out = new CollectingOutput<NexmarkEvent>();
    reader.open(i, p);
    while (reader.emitNext(out, budget) === true);
    return out;
  });
}

sourceConformance("NexmarkSource", () => new NexmarkSplitSource({ events: 3000, seed: 7, eventsPerSecond: 1000 }), events.slice(0, 3000), {
  ordered: true,
  parallelisms: [1, 2, 3],
  budget: 101,
});

describe("NexmarkSource", () => {
  test.each([2, 3, 4])("p=%i makes the same events, each with its dateTime, as p=1", (p) => {
    const options = { events: 5000, seed: 7, eventsPerSecond: 1000 };
    const outs = runReaders(options, p);
    const merged: NexmarkEvent[] = [];
    const stamps: number[] = [];
    for (let n = 0; n < 5000; n++) {
      const out = outs[n % p]!;
      const k = Math.floor(n / p);
      merged.push(out.values[k]!);
      stamps.push(out.timestamps[k]!);
    }
    expect(outs.reduce((s, o) => s + o.values.length, 0)).toBe(5000);
    expect(merged).toEqual(events.slice(0, 5000));
    expect(stamps).toEqual(events.slice(0, 5000).map(dateTimeOf));
  });

  test("timestamps never decrease and the watermark trails them by 4 s, never passing a later event", () => {
    for (const out of runReaders({ events: EVENTS, seed: 7, eventsPerSecond: 1000 }, 2, 500)) {
      for (let i = 1; i < out.timestamps.length; i++) expect(out.timestamps[i]!).toBeGreaterThanOrEqual(out.timestamps[i - 1]!);
      expect(out.watermarks.length).toBeGreaterThan(10);
      for (let i = 1; i < out.watermarks.length; i++) expect(out.watermarks[i]!).toBeGreaterThan(out.watermarks[i - 1]!);
      expect(out.watermarks.at(-1)).toBe(out.timestamps.at(-1)! - 4000);
      expect(out.watermarks[0]!).toBeLessThan(out.timestamps[0]! + 500 * 2);
    }
  });

  test("dateTime = base + floor(n · 1000 / rate)", () => {
    const g = new NexmarkGenerator({ baseTime: 5000, eventsPerSecond: 3 });
    expect([0, 1, 2, 3, 4, 299].map((n) => dateTimeOf(g.event(n)))).toEqual([5000, 5333, 5666, 6000, 6333, 104666]);
    expect(dateTimeOf(new NexmarkGenerator().event(100_000_000))).toBe(DEFAULT_BASE_TIME + 10_000);
  });

  test("kinds: 1 person, 3 auctions, 46 bids in every 50 events", () => {
    for (let e = 0; e < EVENTS / 50; e++) {
      const kinds = events.slice(e * 50, e * 50 + 50).map((ev) => ev.kind);
      expect(kinds[0]).toBe("person");
      expect(kinds.slice(1, 4)).toEqual(["auction", "auction", "auction"]);
      expect(kinds.slice(4).every((k) => k === "bid")).toBe(true);
    }
    events.forEach((ev, n) => expect(NexmarkIds.kind(n)).toBe(ev.kind));
  });

  test("ids: persons and auctions numbered from 1000 in order; references within the rules", () => {
    let person = 1000;
    let auction = 1000;
    let hotAuctions = 0;
    let hotBidders = 0;
    let hotSellers = 0;
    events.forEach((ev, n) => {
      const lastPerson = NexmarkIds.lastPerson(n);
      const lastAuction = NexmarkIds.lastAuction(n);
      const personLo = M.FIRST_PERSON_ID + Math.max(lastPerson + 1 - M.NUM_ACTIVE_PEOPLE, 0);
      const personHi = M.FIRST_PERSON_ID + lastPerson + 1 + M.ID_LEAD;
      if (ev.person) expect(ev.person.id).toBe(person++);
      if (ev.auction) {
        const a = ev.auction;
        expect(a.id).toBe(auction++);
        expect(a.id).toBe(M.FIRST_AUCTION_ID + lastAuction);
        expect(a.seller).toBeGreaterThanOrEqual(personLo);
        expect(a.seller).toBeLessThan(personHi);
        if (a.seller === M.FIRST_PERSON_ID + Math.floor(lastPerson / 100) * 100) hotSellers++;
        expect(a.category).toBeGreaterThanOrEqual(10);
        expect(a.category).toBeLessThan(15);
        expect(a.reserve).toBeGreaterThan(a.initialBid);
        expect(a.expires).toBeGreaterThan(a.dateTime);
        expect(a.expires).toBeLessThanOrEqual(a.dateTime + 2 * (generator.timestamp(n + 1666) - a.dateTime));
      }
      if (ev.bid) {
        const b = ev.bid;
        expect(b.auction).toBeGreaterThanOrEqual(M.FIRST_AUCTION_ID + Math.max(lastAuction - 100, 0));
        expect(b.auction).toBeLessThanOrEqual(M.FIRST_AUCTION_ID + lastAuction + M.ID_LEAD);
        expect(b.bidder).toBeGreaterThanOrEqual(personLo);
        expect(b.bidder).toBeLessThan(personHi);
        if (b.auction === M.FIRST_AUCTION_ID + Math.floor(lastAuction / 100) * 100) hotAuctions++;
        if (b.bidder === M.FIRST_PERSON_ID + Math.floor(lastPerson / 100) * 100 + 1) hotBidders++;
        expect(b.price).toBeGreaterThanOrEqual(100);
        expect(b.price).toBeLessThanOrEqual(1e8);
      }
    });
    const bids = events.filter((e) => e.bid).length;
    const auctions = events.filter((e) => e.auction).length;
    // the hot choice is taken at 1/2, 3/4, 3/4; a random pick may hit the hot id as well
    expect(hotAuctions / bids).toBeGreaterThan(0.49);
    expect(hotAuctions / bids).toBeLessThan(0.6);
    expect(hotBidders / bids).toBeGreaterThan(0.74);
    expect(hotBidders / bids).toBeLessThan(0.8);
    expect(hotSellers / auctions).toBeGreaterThan(0.72);
    expect(hotSellers / auctions).toBeLessThan(0.8);
  });

  test("prices run from 100 to 10^8, spread over orders of magnitude", () => {
    const prices = events.flatMap((e) => (e.bid ? [e.bid.price] : []));
    const decades = new Set(prices.map((p) => Math.floor(Math.log10(p))));
    expect([...decades].sort()).toEqual([2, 3, 4, 5, 6, 7]);
    const median = [...prices].sort((a, b) => a - b)[prices.length >> 1]!;
    // 10^(6 · 0.5) · 100
    expect(median).toBeGreaterThan(70_000);
    expect(median).toBeLessThan(140_000);
  });

  test("strings: names, cities, states, cards, emails, channels; extra pads to the average size ±20%", () => {
    const sizes = { person: [] as number[], auction: [] as number[], bid: [] as number[] };
    const channels = new Map<string, string>();
    for (const ev of events) {
      if (ev.person) {
        const p = ev.person;
        expect(NAMES).toContain(p.name);
        expect(CITIES).toContain(p.city);
        expect(STATES).toContain(p.state);
        expect(p.creditCard).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
        expect(p.emailAddress).toMatch(/^[a-z ]{0,6}@[a-z ]{0,4}\.com$/);
        sizes.person.push(16 + p.name.length + p.emailAddress.length + p.creditCard.length + p.city.length + p.state.length + p.extra.length);
      }
      if (ev.auction) {
        const a = ev.auction;
        expect(a.itemName).toMatch(/^([a-z][a-z ]*[a-z]|[a-z])?$/);
        expect(a.itemName.length).toBeLessThan(20);
        expect(a.description.length).toBeLessThan(100);
        sizes.auction.push(56 + a.itemName.length + a.description.length + a.extra.length);
      }
      if (ev.bid) {
        const b = ev.bid;
        expect(b.extra).toMatch(/^[a-z ]*$/);
        expect(b.channel).toMatch(/^(Google|Facebook|Baidu|Apple|channel-\d{1,4})$/);
        expect(b.url).toMatch(/^https:\/\/www\.nexmark\.com\//);
        if (channels.has(b.channel)) expect(b.url).toBe(channels.get(b.channel)!);
        channels.set(b.channel, b.url);
        const size = 32 + b.channel.length + b.url.length;
        if (size < 100) sizes.bid.push(size + b.extra.length);
        else expect(b.extra).toBe("");
      }
    }
    for (const [kind, average] of [["person", 200], ["auction", 500], ["bid", 100]] as const) {
      const s = sizes[kind];
      expect(s.length).toBeGreaterThan(100);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(average * 0.8 - 1);
      expect(Math.max(...s)).toBeLessThanOrEqual(average * 1.2 + 1);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      expect(Math.abs(mean - average)).toBeLessThan(average * 0.05);
    }
  });

  test("a seed picks the stream: the same seed gives the same events, another seed others", () => {
    const again = new NexmarkGenerator({ seed: 7, eventsPerSecond: 1000 });
    const other = new NexmarkGenerator({ seed: 8, eventsPerSecond: 1000 });
    expect(Array.from({ length: 500 }, (_, n) => again.event(EVENTS - 1 - n))).toEqual(events.slice(EVENTS - 500).reverse());
    const differ = events.slice(0, 500).filter((ev, n) => JSON.stringify(ev) !== JSON.stringify(other.event(n))).length;
    expect(differ).toBeGreaterThan(450);
  });

  test("events round-trip through the event type's serializer", () => {
    const serializer = NEXMARK_EVENT_TYPE.createSerializer();
    const out = new DataOutputView(1024);
    const sample = events.slice(0, 200);
    for (const ev of sample) serializer.serialize(ev, out);
    const input = new DataInputView(out.written());
    expect(sample.map(() => serializer.deserialize(input))).toEqual(sample);
  });

  test("unbounded with events = Infinity; options are checked when the source is made", () => {
    const source = new NexmarkSource({ events: Infinity });
    expect(source.bounded).toBe(false);
    const reader = source.toSplitSource();
    reader.open(0, 1);
    const out = new CollectingOutput<NexmarkEvent>();
    for (let i = 0; i < 10; i++) expect(reader.emitNext(out, 100)).toBe(true);
    expect(out.values.length).toBe(1000);
    expect(() => new NexmarkSource({ events: -1 })).toThrow(InvalidProgramError);
    expect(() => new NexmarkSource({ events: 10, seed: 1.5 })).toThrow("seed must be a non-negative integer");
    expect(() => new NexmarkSource({ events: 10, eventsPerSecond: 0 })).toThrow("eventsPerSecond must be a positive number");
    expect(new NexmarkSource({ events: 10 }).toSplitSource().describe()).toBe("Nexmark (10 events, seed 0, 10000000/s of event time)");
  });
});

function dateTimeOf(ev: NexmarkEvent): number {
  return (ev.person ?? ev.auction ?? ev.bid)!.dateTime;
}
