/**
 * Session analysis of click events: per user, clicks at most 5 minutes apart form one session
 * (event-time session windows, which merge as clicks arrive). Per session: its start, its end
 * (last click + gap), the number of clicks, its length (last click − first click) and the
 * distinct pages, computed incrementally by an AggregateFunction that can merge sessions.
 * Usage: flinkts run jobs/session-analysis.ts [clicks.csv]
 * (CSV with a header: user,timestamp,page; without a file: generated clicks)
 */
import { EventTimeSessionWindows, StreamExecutionEnvironment, Time, Types, WatermarkStrategy } from "flinkts";
import type { AggregateFunction, Collector, ProcessWindowFunctionContext, TimeWindow } from "flinkts";

export type Click = { user: string; timestamp: number; page: string };
type SessionAcc = { clicks: number; first: number; last: number; pages: string[] };

export const SESSION_GAP_MS = 5 * 60_000;

class SessionStats implements AggregateFunction<Click, SessionAcc, SessionAcc> {
  createAccumulator(): SessionAcc {
    return { clicks: 0, first: Number.MAX_SAFE_INTEGER, last: Number.MIN_SAFE_INTEGER, pages: [] };
  }
  add(c: Click, acc: SessionAcc): SessionAcc {
    return { clicks: acc.clicks + 1, first: Math.min(acc.first, c.timestamp), last: Math.max(acc.last, c.timestamp), pages: acc.pages.includes(c.page) ? acc.pages : [...acc.pages, c.page] };
  }
  getResult(acc: SessionAcc): SessionAcc {
    return acc;
  }
  merge(a: SessionAcc, b: SessionAcc): SessionAcc {
    return { clicks: a.clicks + b.clicks, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last), pages: [...new Set([...a.pages, ...b.pages])] };
  }
}

export function formatSession(user: string, start: number, end: number, s: SessionAcc): string {
  return `Session{user=${user}, start=${start}, end=${end}, clicks=${s.clicks}, length=${s.last - s.first}ms, pages=${[...s.pages].sort().join(" ")}}`;
}

/** Deterministic clicks of 8 users, in time order: mostly seconds apart, now and then a pause of up to 15 minutes. */
export function generateClicks(count: number, seed = 11): Click[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const clicks: Click[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += next() < 0.05 ? Math.floor(next() * 15 * 60_000) : Math.floor(next() * 30_000);
    clicks.push({ user: `user${Math.floor(next() * 8)}`, timestamp: t, page: `/page/${Math.floor(next() * 12)}` });
  }
  return clicks;
}

export function parseClick(line: string): Click {
  const [user, ts, page] = line.split(",");
  return { user: user!, timestamp: Number(ts), page: page! };
}

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const clicks = args[0]
    ? env
        .readTextFile(args[0])
        .setParallelism(1)
        .filter((line: string) => line.length > 0 && !line.startsWith("user,"))
        .setParallelism(1)
        .map(parseClick)
        .setParallelism(1)
    : env.fromCollection(generateClicks(2000));
  clicks
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Click>().withTimestampAssigner((c) => c.timestamp))
    .setParallelism(1)
    .keyBy((c) => c.user)
    .window(EventTimeSessionWindows.withGap(Time.milliseconds(SESSION_GAP_MS)))
    .aggregate(
      new SessionStats(),
      (user: string, ctx: ProcessWindowFunctionContext<TimeWindow>, stats: Iterable<SessionAcc>, out: Collector<string>) => {
        const w = ctx.window();
        for (const s of stats) out.collect(formatSession(user, w.start, w.end, s));
      },
      Types.STRING,
    )
    .print();
  await env.execute("Session Analysis");
}
