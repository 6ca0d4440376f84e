/**
 * Nexmark's generator (NEXMARK.md): event n, for any n, as a pure function of (seed, n) — its
 * kind, ids, prices, strings and dateTime — so any subtask can make any event and every
 * parallelism sees the same stream.
 *
 * Speed: one EventRandom reseeded per event, strings sliced from TextPools, no string building
 * for bids; two objects per event (the event and its member).
 */
import { checkArgument } from "../../core/errors.ts";
import { EventRandom } from "./event-random.ts";
import { NexmarkModel as M, type Auction, type Bid, type NexmarkEvent, type Person } from "./model.ts";
import { CITIES, DIGIT_GROUPS, HOT_CHANNELS, HOT_URLS, NAMES, NUM_CHANNELS, STATES, TextPools } from "./text-pools.ts";

export interface NexmarkConfig {
  /** Chooses the stream; default 0. A non-negative safe integer. */
  seed?: number;
  /** Events per second of event time (not a throttle): event n is stamped baseTime + n·1000/rate ms. Default 10M. */
  eventsPerSecond?: number;
  /** dateTime of event 0, epoch ms; default 2025-01-01T00:00:00Z (a multiple of every window size used). */
  baseTime?: number;
}

/** 10^(6u) = e^(6u·ln 10); exp is twice as fast as pow. */
const SIX_LN10 = 6 * Math.LN10;

export const DEFAULT_BASE_TIME = Date.UTC(2025, 0, 1);

/** NEXMARK.md's id rules, by event number. Offsets: add FIRST_PERSON_ID / FIRST_AUCTION_ID for the id. */
export const NexmarkIds = {
  /** The newest person (offset) at event n. */
  lastPerson(n: number): number {
    return Math.floor(n / M.PROPORTION_DENOMINATOR);
  },
  /** The newest auction (offset) at event n; -1 before the first. */
  lastAuction(n: number): number {
    const epoch = Math.floor(n / M.PROPORTION_DENOMINATOR);
    const offset = n - epoch * M.PROPORTION_DENOMINATOR;
    if (offset === 0) return 3 * (epoch - 1) + 2;
    if (offset > M.AUCTION_PROPORTION) return 3 * epoch + 2;
    return 3 * epoch + offset - 1;
  },
  kind(n: number): NexmarkEvent["kind"] {
    const offset = n % M.PROPORTION_DENOMINATOR;
    return offset < M.PERSON_PROPORTION ? "person" : offset < M.PERSON_PROPORTION + M.AUCTION_PROPORTION ? "auction" : "bid";
  },
};

/**
 * Makes events by number. One instance per subtask (it reuses its random stream); the events
 * it returns are fresh objects the caller owns.
 */
export class NexmarkGenerator {
  readonly seed: number;
  readonly eventsPerSecond: number;
  readonly baseTime: number;
  private readonly random = new EventRandom();
  private readonly pools: TextPools;

  constructor(config: NexmarkConfig = {}) {
    this.seed = config.seed ?? 0;
    this.eventsPerSecond = config.eventsPerSecond ?? M.DEFAULT_EVENTS_PER_SECOND;
    this.baseTime = config.baseTime ?? DEFAULT_BASE_TIME;
    checkArgument(Number.isSafeInteger(this.seed) && this.seed >= 0, `Nexmark seed must be a non-negative integer, got ${this.seed}`);
    checkArgument(Number.isFinite(this.eventsPerSecond) && this.eventsPerSecond > 0, `Nexmark eventsPerSecond must be a positive number, got ${this.eventsPerSecond}`);
    checkArgument(Number.isSafeInteger(this.baseTime), `Nexmark baseTime must be an integer epoch-ms time, got ${this.baseTime}`);
    this.pools = new TextPools(this.seed);
  }

  /** dateTime of event n: baseTime + floor(n · delayUs / 1000). */
  timestamp(n: number): number {
    return this.baseTime + Math.floor((n * 1000) / this.eventsPerSecond);
  }

  /** Event n (a non-negative safe integer). */
  event(n: number): NexmarkEvent {
    const epoch = Math.floor(n / M.PROPORTION_DENOMINATOR);
    const offset = n - epoch * M.PROPORTION_DENOMINATOR;
    this.random.reseed(this.seed, n);
    const dateTime = this.timestamp(n);
    if (offset >= M.PERSON_PROPORTION + M.AUCTION_PROPORTION) return { kind: "bid", person: undefined, auction: undefined, bid: this.bid(epoch, dateTime) };
    if (offset === 0) return { kind: "person", person: this.person(epoch, dateTime), auction: undefined, bid: undefined };
    return { kind: "auction", person: undefined, auction: this.auction(n, epoch, offset, dateTime), bid: undefined };
  }

  private bid(epoch: number, dateTime: number): Bid {
    const random = this.random;
    const pools = this.pools;
    const lastAuction = 3 * epoch + 2;
    const auction =
      random.nextInt(M.HOT_AUCTION_RATIO) > 0 ? Math.floor(lastAuction / M.HOT_RATIO) * M.HOT_RATIO : this.randomAuction(lastAuction);
    const bidder = random.nextInt(M.HOT_BIDDER_RATIO) > 0 ? Math.floor(epoch / M.HOT_RATIO) * M.HOT_RATIO + 1 : this.randomPerson(epoch);
    const price = this.price();
    let channel: string;
    let url: string;
    if (random.nextInt(2) === 0) {
      const hot = random.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[hot]!;
      url = HOT_URLS[hot]!;
    } else {
      const c = random.nextInt(NUM_CHANNELS);
      channel = pools.channelName(c);
      url = pools.channelUrl(c);
    }
    const extra = pools.extra(random, 32 + channel.length + url.length, M.AVG_BID_BYTES);
    return { auction: auction + M.FIRST_AUCTION_ID, bidder: bidder + M.FIRST_PERSON_ID, price, channel, url, dateTime, extra };
  }

  private person(epoch: number, dateTime: number): Person {
    const random = this.random;
    const pools = this.pools;
    const name = NAMES[random.nextInt(NAMES.length)]!;
    const emailAddress = `${pools.text(random, 7)}@${pools.text(random, 5)}.com`;
    const creditCard = `${DIGIT_GROUPS[random.nextInt(10_000)]} ${DIGIT_GROUPS[random.nextInt(10_000)]} ${DIGIT_GROUPS[random.nextInt(10_000)]} ${DIGIT_GROUPS[random.nextInt(10_000)]}`;
    const city = CITIES[random.nextInt(CITIES.length)]!;
    const state = STATES[random.nextInt(STATES.length)]!;
    const size = 16 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    const extra = pools.extra(random, size, M.AVG_PERSON_BYTES);
    return { id: epoch + M.FIRST_PERSON_ID, name, emailAddress, creditCard, city, state, dateTime, extra };
  }

  private auction(n: number, epoch: number, offset: number, dateTime: number): Auction {
    const random = this.random;
    const pools = this.pools;
    const id = 3 * epoch + offset - 1;
    const itemName = pools.text(random, 20);
    const description = pools.text(random, 100);
    const initialBid = this.price();
    const reserve = initialBid + this.price();
    const horizon = this.timestamp(n + M.AUCTION_LIFETIME_EVENTS) - dateTime;
    const expires = dateTime + 1 + random.nextInt(Math.max(2 * horizon, 1));
    const seller = random.nextInt(M.HOT_SELLER_RATIO) > 0 ? Math.floor(epoch / M.HOT_RATIO) * M.HOT_RATIO : this.randomPerson(epoch);
    const category = M.FIRST_CATEGORY_ID + random.nextInt(M.NUM_CATEGORIES);
    const extra = pools.extra(random, 56 + itemName.length + description.length, M.AVG_AUCTION_BYTES);
    return { id: id + M.FIRST_AUCTION_ID, itemName, description, initialBid, reserve, dateTime, expires, seller: seller + M.FIRST_PERSON_ID, category, extra };
  }

  /** An existing person (offset), or one of the next ID_LEAD not yet created. */
  private randomPerson(lastPerson: number): number {
    const m = lastPerson + 1;
    const active = Math.min(m, M.NUM_ACTIVE_PEOPLE);
    return m - active + this.random.nextInt(active + M.ID_LEAD);
  }

  /** One of the last in-flight auctions (offset), or one of the next ID_LEAD. */
  private randomAuction(lastAuction: number): number {
    const lo = Math.max(lastAuction - M.NUM_IN_FLIGHT_AUCTIONS, 0);
    return lo + this.random.nextInt(lastAuction - lo + M.ID_LEAD + 1);
  }

  /** round(10^(6u) · 100): 100 to 10^8, most of them small. */
  private price(): number {
    return Math.round(Math.exp(this.random.nextDouble() * SIX_LN10) * 100);
  }
}
