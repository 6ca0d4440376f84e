/** Nexmark: the auction event model, its deterministic generator, and the source. */
export { NexmarkSource, NexmarkSplitSource, type NexmarkSourceOptions } from "./nexmark-source.ts";
export { NexmarkGenerator, NexmarkIds, DEFAULT_BASE_TIME, type NexmarkConfig } from "./nexmark-generator.ts";
export { NexmarkModel, PERSON_TYPE, AUCTION_TYPE, BID_TYPE, NEXMARK_EVENT_TYPE, type Person, type Auction, type Bid, type NexmarkEvent } from "./model.ts";
