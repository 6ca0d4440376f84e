/**
 * A TPC-H-like batch job on generated CSV: orders ⋈ lineitem on the order key, keeping the
 * lines shipped after their order date, then per order priority the revenue
 * (sum of price × (1 − discount)) and the number of lines, highest revenue first.
 *
 * Prints one line per priority: `priority|revenue|lines`.
 *
 * Usage: flinkts run jobs/tpch-like.ts [scale] [dir]
 * Scale 1 is 150,000 orders and about 600,000 lines (default 0.01). The tables are generated
 * once per scale into `dir` (default: a folder in the system temp dir) by a seeded generator;
 * a replay of main() finds them there.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecutionEnvironment, Order, Types, type Collector } from "flinkts";

export const PRIORITIES = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];

/** orders: orderkey, custkey, orderdate (days since 1992-01-01), priority. */
export type OrderRow = [number, number, number, string];
/** lineitem: orderkey, linenumber, quantity, extendedprice, discount, shipdate (days). */
export type LineRow = [number, number, number, number, number, number];

/** mulberry32: the seeded stream both the job and its test draw from. */
function random(seed: number): () => number {
  let t = seed | 0;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The tables at `scale`: 1 to 7 lines per order, prices in cents, discounts in hundredths. */
export function generate(scale: number): { orders: OrderRow[]; lines: LineRow[] } {
  const next = random(42);
  const orders: OrderRow[] = [];
  const lines: LineRow[] = [];
  const n = Math.max(1, Math.round(150_000 * scale));
  for (let o = 1; o <= n; o++) {
    const date = Math.floor(next() * 2400);
    orders.push([o, 1 + Math.floor(next() * n * 0.1), date, PRIORITIES[Math.floor(next() * PRIORITIES.length)]!]);
    const count = 1 + Math.floor(next() * 7);
    for (let l = 1; l <= count; l++) {
      const quantity = 1 + Math.floor(next() * 50);
      lines.push([o, l, quantity, quantity * (900 + Math.floor(next() * 100_000)), Math.floor(next() * 11), date - 30 + Math.floor(next() * 150)]);
    }
  }
  return { orders, lines };
}

/** Writes the tables once; a file appears complete or not at all (written aside, then renamed). */
function ensureTables(scale: number, dir: string): { orders: string; lineitem: string } {
  const orders = join(dir, "orders.csv");
  const lineitem = join(dir, "lineitem.csv");
  if (existsSync(orders) && existsSync(lineitem)) return { orders, lineitem };
  mkdirSync(dir, { recursive: true });
  const data = generate(scale);
  const write = (path: string, rows: unknown[][]) => {
    const aside = `${path}.${process.pid}.tmp`;
    writeFileSync(aside, rows.map((r) => r.join("|")).join("\n") + "\n");
    renameSync(aside, path);
  };
  write(lineitem, data.lines);
  write(orders, data.orders);
  return { orders, lineitem };
}

export default async function main(args: string[]) {
  const scale = Number(args[0] ?? 0.01);
  if (!(scale > 0)) throw new Error(`scale must be a positive number, got ${args[0]}`);
  const dir = args[1] ?? join(tmpdir(), `flinkts-tpch-like-${scale}`);
  const files = ensureTables(scale, dir);
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const orders = env.readCsvFile(files.orders).fieldDelimiter("|").types<OrderRow>(Types.INT, Types.INT, Types.INT, Types.STRING);
  const lineitem = env.readCsvFile(files.lineitem).fieldDelimiter("|").types<LineRow>(Types.INT, Types.INT, Types.INT, Types.LONG, Types.INT, Types.INT);
  const report = orders
    .join(lineitem)
    .where(0)
    .equalTo(0)
    .with((o: OrderRow, l: LineRow, out: Collector<[string, number, number]>) => {
      if (l[5] > o[2]) out.collect([o[3], l[3] * (100 - l[4]), 1] as [string, number, number]);
    }, Types.TUPLE(Types.STRING, Types.LONG, Types.LONG))
    .groupBy(0)
    .sum(1)
    .andSum(2)
    .sortPartition(1, Order.DESCENDING)
    .setParallelism(1);
  const lines = report.map(([priority, revenue, count]: [string, number, number]) => `${priority}|${(revenue / 10_000).toFixed(2)}|${count}`, Types.STRING);
  await lines.setParallelism(1).print();
}
