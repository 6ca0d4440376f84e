/**
 * Join and group-by beside DuckDB: the same CSV files, the same answers, the same number of
 * threads (1 and 2: flinkts parallelism beside DuckDB's threads). DuckDB runs in this process (@duckdb/node-api, a dev dependency of the benchmark
 * only); flinkts runs the jobs in jobs/bench/ through the CLI. BENCH_LINEITEMS / BENCH_ORDERS
 * shrink the tables for a quick run.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { joinTables } from "./data-gen.ts";
import { mb, measure, netRuntime, rate, spilledBytes, writeSection } from "./measure.ts";

const lineitems = Number(process.env.BENCH_LINEITEMS ?? 10_000_000);
const orders = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const tables = joinTables(orders, lineitems);
const bun = process.execPath;

const managedMemory = process.env.BENCH_MANAGED_MEMORY ?? "1g";

async function duckDb(threads: number) {
  const db = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  return db.connect();
}
const csv = (path: string, cols: string) => `read_csv('${path}', header = false, columns = {${cols}})`;
const O = csv(tables.orders, "'okey': 'INTEGER', 'custkey': 'INTEGER', 'prio': 'INTEGER'");
const L = csv(tables.lineitem, "'okey': 'INTEGER', 'qty': 'INTEGER', 'price': 'DOUBLE'");

async function duck(conn: Awaited<ReturnType<typeof duckDb>>, sql: string): Promise<{ ms: number; value: number }> {
  let best = { ms: Infinity, value: 0 };
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const rows = (await conn.runAndReadAll(sql)).getRows();
    const ms = performance.now() - t0;
    if (ms < best.ms) best = { ms, value: Number(rows[0]![0]) };
  }
  return best;
}

async function flinkts(job: string, args: string[], p: number): Promise<{ ms: number; rss: number; stdout: string; spilled: number }> {
  let best = { ms: Infinity, rss: 0, stdout: "", spilled: 0 };
  for (let i = 0; i < 3; i++) {
    const r = await measure([bun, "cli.ts", "run", "-p", String(p), "--managed-memory", managedMemory, job, ...args]);
    const ms = netRuntime(r.stdout);
    if (ms < best.ms) best = { ms, rss: Math.max(best.rss, r.peakRss), stdout: r.stdout, spilled: spilledBytes(r.stdout) };
  }
  return best;
}

const rows: string[] = ["| work | runner | threads | time | rows/s | vs DuckDB, same threads | peak RSS | spilled | answer |", "|---|---|---|---|---|---|---|---|---|"];
const work = `join ${lineitems.toLocaleString("en")} × ${orders.toLocaleString("en")}`;
const gwork = `group by over ${lineitems.toLocaleString("en")}`;
const joinSql = `select sum(l.qty * o.prio) from ${L} l join ${O} o on l.okey = o.okey`;
const groupSql = `select count(*) from (select okey, sum(price) from ${L} group by okey)`;
const joinRows: string[] = [];
const groupRows: string[] = [];
let version = "";
for (const threads of [1, 2]) {
  const conn = await duckDb(threads);
  version ||= String((await conn.runAndReadAll("select version()")).getRows()[0]![0]);
  const joinDuck = await duck(conn, joinSql);
  const groupDuck = await duck(conn, groupSql);
  joinRows.push(`| ${work} | DuckDB | ${threads} | ${(joinDuck.ms / 1000).toFixed(2)} s | ${rate(lineitems + orders, joinDuck.ms)} | 1.00× | (in bench process) | | ${joinDuck.value} |`);
  const j = await flinkts("jobs/bench/csv-join.ts", [tables.orders, tables.lineitem], threads);
  const sum = Number(/sum=(\S+)/.exec(j.stdout)?.[1]);
  if (sum !== joinDuck.value) throw new Error(`flinkts join answered ${sum}, DuckDB ${joinDuck.value}`);
  joinRows.push(`| ${work} | flinkts | ${threads} | ${(j.ms / 1000).toFixed(2)} s | ${rate(lineitems + orders, j.ms)} | ${(j.ms / joinDuck.ms).toFixed(2)}× | ${mb(j.rss)} | ${mb(j.spilled)} | ${sum} |`);
  groupRows.push(`| ${gwork} | DuckDB | ${threads} | ${(groupDuck.ms / 1000).toFixed(2)} s | ${rate(lineitems, groupDuck.ms)} | 1.00× | (in bench process) | | ${groupDuck.value} groups |`);
  const g = await flinkts("jobs/bench/csv-group-by.ts", [tables.lineitem], threads);
  const groups = Number(/groups=(\d+)/.exec(g.stdout)?.[1]);
  if (groups !== groupDuck.value) throw new Error(`flinkts group-by found ${groups} groups, DuckDB ${groupDuck.value}`);
  groupRows.push(`| ${gwork} | flinkts | ${threads} | ${(g.ms / 1000).toFixed(2)} s | ${rate(lineitems, g.ms)} | ${(g.ms / groupDuck.ms).toFixed(2)}× | ${mb(g.rss)} | ${mb(g.spilled)} | ${groups} groups |`);
}
rows.push(...joinRows, ...groupRows);
const table = [
  `Run ${new Date().toISOString().slice(0, 10)} on ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}, DuckDB ${version}; best of 3 runs each; flinkts with --managed-memory ${managedMemory} (DuckDB's memory limit is 80% of RAM); its times are the job's net runtime (CSV parsing included, as DuckDB's read_csv).`,
  "",
  ...rows,
].join("\n");
console.log(table);
writeSection("duckdb", table);
