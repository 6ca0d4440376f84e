/** The event-time example jobs give exactly the expected output on fixtures and generated data: fraud detection, windowed word count, session analysis. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runJob } from "./support/run-job.ts";
import { generateTransactions, parseTransaction, type Transaction } from "../jobs/fraud-detection.ts";
import { generateLines, parseLine, WINDOW_MS } from "../jobs/windowed-word-count.ts";
import { generateClicks, parseClick, SESSION_GAP_MS, type Click } from "../jobs/session-analysis.ts";

const ROOT = join(import.meta.dir, "..");
const stripSubtask = (lines: string[]) => lines.map((l) => l.replace(/^\d+> /, ""));

/** The fraud rule, straight: per account in time order, a small (< 1) then, as the very next transaction, a large (> 500) at most 60 s later. */
function fraudReference(txs: Transaction[]): string[] {
  const last = new Map<number, Transaction>();
  const alerts: string[] = [];
  for (const tx of txs) {
    const prev = last.get(tx.accountId);
    if (prev && prev.amount < 1 && tx.amount > 500 && tx.timestamp - prev.timestamp <= 60_000) {
      alerts.push(`Alert{accountId=${tx.accountId}, small=${prev.amount.toFixed(2)}, large=${tx.amount.toFixed(2)}, at=${tx.timestamp}}`);
    }
    last.set(tx.accountId, tx);
  }
  return alerts.sort();
}

describe("jobs/fraud-detection.ts", () => {
  test("the fixture raises exactly the expected alerts", async () => {
    const r = await runJob(join(ROOT, "jobs/fraud-detection.ts"), { args: [join(ROOT, "fixtures/transactions.csv")], parallelism: 2 });
    expect(r.stderr).toBe("");
    const expected = [
      "Alert{accountId=2, small=0.50, large=734.50, at=30000}",
      "Alert{accountId=3, small=0.01, large=10000.00, at=421000}",
      "Alert{accountId=5, small=0.10, large=500.01, at=170000}",
      "Alert{accountId=6, small=0.20, large=999.99, at=250000}",
      "Alert{accountId=9, small=0.30, large=501.00, at=379999}",
    ];
    expect(stripSubtask(r.lines).sort()).toEqual(expected);
    const fixture = readFileSync(join(ROOT, "fixtures/transactions.csv"), "utf8").split("\n").slice(1).filter(Boolean).map(parseTransaction);
    expect(fraudReference(fixture)).toEqual(expected);
  });

  test("generated transactions: the same alerts as the reference, at p=1 and p=3", async () => {
    const expected = fraudReference(generateTransactions(3000));
    expect(expected.length).toBeGreaterThan(2);
    for (const parallelism of [1, 3]) {
      const r = await runJob(join(ROOT, "jobs/fraud-detection.ts"), { parallelism });
      expect(stripSubtask(r.lines).sort()).toEqual(expected);
    }
  });
});

/** Word counts per tumbling window, straight from the lines. */
function wordCountReference(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const [ts, text] = parseLine(line);
    const start = ts - (ts % WINDOW_MS);
    for (const w of text.toLowerCase().split(/\W+/)) if (w) counts.set(`[${start},${start + WINDOW_MS}) ${w}`, (counts.get(`[${start},${start + WINDOW_MS}) ${w}`) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ${n}`).sort();
}

describe("jobs/windowed-word-count.ts", () => {
  test("the fixture: exact counts per 10 s window", async () => {
    const r = await runJob(join(ROOT, "jobs/windowed-word-count.ts"), { args: [join(ROOT, "fixtures/timestamped-lines.txt")], parallelism: 2 });
    expect(r.stderr).toBe("");
    const got = stripSubtask(r.lines).sort();
    const lines = readFileSync(join(ROOT, "fixtures/timestamped-lines.txt"), "utf8").split("\n").filter(Boolean);
    expect(got).toEqual(wordCountReference(lines));
    // spot checks against the text: "to" three times in [0,10000) (one line at 9999, one at 8000 arriving late)
    expect(got).toContain("[0,10000) to 3");
    expect(got).toContain("[10000,20000) of 2");
    expect(got).toContain("[20000,30000) sleep 2");
    expect(got.filter((l) => l.startsWith("[40000,50000)")).length).toBe(8);
  });

  test("generated lines, up to 4 s out of order: the reference counts at p=1 and p=3", async () => {
    const expected = wordCountReference(generateLines(500));
    expect(expected.length).toBeGreaterThan(100);
    for (const parallelism of [1, 3]) {
      const r = await runJob(join(ROOT, "jobs/windowed-word-count.ts"), { parallelism });
      expect(stripSubtask(r.lines).sort()).toEqual(expected);
    }
  });
});

/** Sessions straight from the clicks: per user in time order, a gap of at least SESSION_GAP_MS (exclusive of touching) starts a new session. */
function sessionReference(clicks: Click[]): string[] {
  const byUser = new Map<string, Click[]>();
  for (const c of clicks) byUser.set(c.user, [...(byUser.get(c.user) ?? []), c]);
  const out: string[] = [];
  for (const [user, cs] of byUser) {
    cs.sort((a, b) => a.timestamp - b.timestamp);
    let session: Click[] = [];
    const flush = () => {
      const first = session[0]!.timestamp;
      const last = session[session.length - 1]!.timestamp;
      const pages = [...new Set(session.map((c) => c.page))].sort().join(" ");
      out.push(`Session{user=${user}, start=${first}, end=${last + SESSION_GAP_MS}, clicks=${session.length}, length=${last - first}ms, pages=${pages}}`);
      session = [];
    };
    for (const c of cs) {
      // windows [ts, ts + gap) merge when they overlap or touch: a gap of exactly SESSION_GAP_MS still joins
      if (session.length > 0 && c.timestamp - session[session.length - 1]!.timestamp > SESSION_GAP_MS) flush();
      session.push(c);
    }
    flush();
  }
  return out.sort();
}

describe("jobs/session-analysis.ts", () => {
  test("the fixture: exact sessions, touching sessions merged", async () => {
    const r = await runJob(join(ROOT, "jobs/session-analysis.ts"), { args: [join(ROOT, "fixtures/clicks.csv")], parallelism: 2 });
    expect(r.stderr).toBe("");
    const expected = [
      "Session{user=alice, start=0, end=700000, clicks=4, length=400000ms, pages=/cart /home /products /products/42}",
      "Session{user=alice, start=1500000, end=1830000, clicks=2, length=30000ms, pages=/about /home}",
      "Session{user=bob, start=1000000, end=1300000, clicks=1, length=0ms, pages=/home}",
      "Session{user=bob, start=1700000, end=2399999, clicks=3, length=399999ms, pages=/products/7 /search /search?q=x}",
      "Session{user=bob, start=30000, end=500000, clicks=2, length=170000ms, pages=/home /search}",
      "Session{user=carol, start=150000, end=450000, clicks=1, length=0ms, pages=/home}",
      "Session{user=carol, start=1560000, end=1900000, clicks=2, length=40000ms, pages=/home /products}",
      "Session{user=carol, start=2500000, end=2800000, clicks=1, length=0ms, pages=/checkout}",
    ];
    expect(stripSubtask(r.lines).sort()).toEqual(expected);
    const fixture = readFileSync(join(ROOT, "fixtures/clicks.csv"), "utf8").split("\n").slice(1).filter(Boolean).map(parseClick);
    expect(sessionReference(fixture)).toEqual(expected);
  });

  test("generated clicks: the reference sessions at p=1 and p=3", async () => {
    const expected = sessionReference(generateClicks(2000));
    expect(expected.length).toBeGreaterThan(50);
    for (const parallelism of [1, 3]) {
      const r = await runJob(join(ROOT, "jobs/session-analysis.ts"), { parallelism });
      expect(stripSubtask(r.lines).sort()).toEqual(expected);
    }
  });
});
