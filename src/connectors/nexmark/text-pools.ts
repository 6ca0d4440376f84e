/**
 * The strings of Nexmark events, made without building strings per event: random text is a
 * slice of a pool of random letters (drawn once per seed with NEXMARK.md's rule: a–z, a space at
 * probability 1/13), and names, cities, card digits and channel URLs come from tables.
 */
import { EventRandom } from "./event-random.ts";

const FIRST_NAMES = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"];
const LAST_NAMES = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"];
/** The 11 × 9 person names. */
export const NAMES: readonly string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));
export const CITIES: readonly string[] = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];
export const STATES: readonly string[] = ["AZ", "CA", "ID", "OR", "WA", "WY"];
export const HOT_CHANNELS: readonly string[] = ["Google", "Facebook", "Baidu", "Apple"];
export const HOT_URLS: readonly string[] = HOT_CHANNELS.map((c) => `https://www.nexmark.com/${c.toLowerCase()}/item.htm?query=1`);
export const NUM_CHANNELS = 10_000;
/** "0000" .. "9999", the groups of a credit card number. */
export const DIGIT_GROUPS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, "0"));

const POOL_LENGTH = 1 << 16;
const EXTRA_VARIANTS = 64;
/** Longer paddings than this are sliced each time. */
const MAX_CACHED_EXTRA = 1024;
const SPACE = 32;
/** Salts keep the pool's and the channels' random streams apart from the events'. */
const POOL_SALT = 0x5eed_7e47;
const CHANNEL_SALT = 0x0c4a_77e1;

/** NEXMARK.md's string(m) drawn character by character: for the few strings that are cached. */
function drawText(random: EventRandom, maxLength: number): string {
  const length = 3 + random.nextInt(maxLength - 3);
  let s = "";
  for (let i = 0; i < length; i++) s += random.nextInt(13) === 0 ? " " : String.fromCharCode(97 + random.nextInt(26));
  return s.trim();
}

/**
 * The text of one generator (one per subtask): a letter pool and the channel table of a seed.
 * Slices are what JS engines make cheaply (a view of the pool, no copy), so an event's strings
 * cost a few random draws each.
 */
export class TextPools {
  private readonly pool: string;
  private readonly channelNames: (string | undefined)[] = new Array(NUM_CHANNELS).fill(undefined);
  private readonly channelUrls: (string | undefined)[] = new Array(NUM_CHANNELS).fill(undefined);
  private readonly channelRandom = new EventRandom();
  /** extra() slices by length · EXTRA_VARIANTS + variant. */
  private readonly extras: (string | undefined)[] = new Array(MAX_CACHED_EXTRA * EXTRA_VARIANTS).fill(undefined);

  constructor(private readonly seed: number) {
    const random = new EventRandom();
    random.reseed(seed, POOL_SALT);
    const codes = new Uint8Array(POOL_LENGTH);
    for (let i = 0; i < POOL_LENGTH; i++) codes[i] = random.nextInt(13) === 0 ? SPACE : 97 + random.nextInt(26);
    this.pool = new TextDecoder("latin1").decode(codes);
  }

  /** string(maxLength): 3 + rand(maxLength − 3) letters and spaces, trimmed. */
  text(random: EventRandom, maxLength: number): string {
    const length = 3 + random.nextInt(maxLength - 3);
    const pool = this.pool;
    let from = random.nextInt(POOL_LENGTH - length);
    let to = from + length;
    while (from < to && pool.charCodeAt(from) === SPACE) from++;
    while (to > from && pool.charCodeAt(to - 1) === SPACE) to--;
    return pool.substring(from, to);
  }

  /**
   * The `extra` padding that brings an event of `size` bytes to `average` ±20%: an exact-length
   * slice, empty when the event is already at least that big. Each length has EXTRA_VARIANTS
   * slices, made once: padding needs the size, not fresh text.
   */
  extra(random: EventRandom, size: number, average: number): string {
    if (size >= average) return "";
    const desired = average - size;
    const delta = Math.round(desired * 0.2);
    const length = desired - delta + (delta === 0 ? 0 : random.nextInt(2 * delta + 1));
    const slot = length * EXTRA_VARIANTS + random.nextInt(EXTRA_VARIANTS);
    if (length >= MAX_CACHED_EXTRA) return this.slice(slot, length);
    return this.extras[slot] ?? (this.extras[slot] = this.slice(slot, length));
  }

  private slice(slot: number, length: number): string {
    const from = ((slot * 7919) >>> 0) % (POOL_LENGTH - length);
    return this.pool.substring(from, from + length);
  }

  /** `channel-<c>`, made once per channel. */
  channelName(c: number): string {
    return this.channelNames[c] ?? this.makeChannel(c);
  }

  /** The URL of channel c, random per (seed, c) and made once. */
  channelUrl(c: number): string {
    if (this.channelUrls[c] === undefined) this.makeChannel(c);
    return this.channelUrls[c]!;
  }

  private makeChannel(c: number): string {
    const random = this.channelRandom;
    random.reseed(this.seed ^ CHANNEL_SALT, c);
    let url = `https://www.nexmark.com/${drawText(random, 5)}/${drawText(random, 5)}/${drawText(random, 5)}/item.htm?query=1`;
    if (random.nextInt(10) > 0) url += `&channel_id=${Math.abs(reverseBits32(c))}`;
    const name = `channel-${c}`;
    this.channelNames[c] = name;
    this.channelUrls[c] = url;
    return name;
  }
}

/** Java's Integer.reverse, as a signed 32-bit integer. */
function reverseBits32(x: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (x & 1);
    x >>>= 1;
  }
  return r | 0;
}
