/**
 * The Nexmark data model (../shared/NEXMARK.md): persons, auctions and bids, the event that
 * carries one of them, the model's constants and the typed serializers of each.
 */
import { Types } from "../../types/types.ts";
import type { TypeInformation } from "../../types/type-information.ts";

export interface Person {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  /** Epoch milliseconds. */
  dateTime: number;
  extra: string;
}

export interface Auction {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  /** Epoch milliseconds, after dateTime. */
  expires: number;
  seller: number;
  category: number;
  extra: string;
}

export interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

/** One Nexmark event: exactly one of person, auction, bid is set, the one `kind` names. */
export interface NexmarkEvent {
  kind: "person" | "auction" | "bid";
  person?: Person;
  auction?: Auction;
  bid?: Bid;
}

/** The constants of the model, as NEXMARK.md gives them. */
export const NexmarkModel = {
  /** Events per epoch of 50: 1 person, 3 auctions, 46 bids. */
  PROPORTION_DENOMINATOR: 50,
  PERSON_PROPORTION: 1,
  AUCTION_PROPORTION: 3,
  FIRST_PERSON_ID: 1000,
  FIRST_AUCTION_ID: 1000,
  FIRST_CATEGORY_ID: 10,
  NUM_CATEGORIES: 5,
  NUM_ACTIVE_PEOPLE: 1000,
  NUM_IN_FLIGHT_AUCTIONS: 100,
  /** Random ids may run this far ahead of the last id created. */
  ID_LEAD: 10,
  HOT_RATIO: 100,
  HOT_AUCTION_RATIO: 2,
  HOT_BIDDER_RATIO: 4,
  HOT_SELLER_RATIO: 4,
  AVG_PERSON_BYTES: 200,
  AVG_AUCTION_BYTES: 500,
  AVG_BID_BYTES: 100,
  /** Events between an auction and the one 100 in-flight auctions later: 100 × 50 / 3. */
  AUCTION_LIFETIME_EVENTS: 1666,
  /** The benchmark's event rate: 10M events per second of event time. */
  DEFAULT_EVENTS_PER_SECOND: 10_000_000,
  /** The watermark trails the newest dateTime by this much. */
  WATERMARK_DELAY_MS: 4000,
} as const;

export const PERSON_TYPE: TypeInformation<Person> = Types.ROW({
  id: Types.LONG,
  name: Types.STRING,
  emailAddress: Types.STRING,
  creditCard: Types.STRING,
  city: Types.STRING,
  state: Types.STRING,
  dateTime: Types.LONG,
  extra: Types.STRING,
});

export const AUCTION_TYPE: TypeInformation<Auction> = Types.ROW({
  id: Types.LONG,
  itemName: Types.STRING,
  description: Types.STRING,
  initialBid: Types.LONG,
  reserve: Types.LONG,
  dateTime: Types.LONG,
  expires: Types.LONG,
  seller: Types.LONG,
  category: Types.LONG,
  extra: Types.STRING,
});

export const BID_TYPE: TypeInformation<Bid> = Types.ROW({
  auction: Types.LONG,
  bidder: Types.LONG,
  price: Types.LONG,
  channel: Types.STRING,
  url: Types.STRING,
  dateTime: Types.LONG,
  extra: Types.STRING,
});

/** The event as a ROW whose absent members serialize as one marker byte each. */
export const NEXMARK_EVENT_TYPE = Types.ROW({
  kind: Types.STRING,
  person: Types.NULLABLE(PERSON_TYPE),
  auction: Types.NULLABLE(AUCTION_TYPE),
  bid: Types.NULLABLE(BID_TYPE),
}) as unknown as TypeInformation<NexmarkEvent>;
