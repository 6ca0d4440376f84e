/** The command line, through the compiled binary in temp folders: running, planning, help, and every kind of bad input. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flinkts, folderWith, ROOT } from "./support/cli.ts";

const wordCount = readFileSync(join(ROOT, "jobs/streaming-word-count.ts"), "utf8");

describe("flinkts run", () => {
  test("runs a job from a folder without node_modules, importing flinkts", async () => {
    const dir = folderWith({ "job.ts": wordCount });
    const r = await flinkts(["run", "-p", "2", "job.ts"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const counts = r.stdout.split("\n").filter((l) => /^\d> \(/.test(l));
    // 18 words in, one rolling count out per word; the last count of "to" is 3
    expect(counts.length).toBe(18);
    expect(counts.filter((l) => l.endsWith("(to,3)")).length).toBe(1);
    expect(r.stdout).toMatch(/Job 'Streaming WordCount' \([0-9a-f]{32}\) FINISHED/);
  });

  test("passes arguments to main and reads -D configuration", async () => {
    const dir = folderWith({
      "job.ts": `import { StreamExecutionEnvironment } from "flinkts";
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements(...args).map((a: string) => "arg:" + a).print();
  await env.execute("args");
}`,
    });
    const r = await flinkts(["run", "-p", "1", "-D", "execution.buffer-timeout=5", "job.ts", "a", "--output", "-p"], dir);
    expect(r.code).toBe(0);
    // everything after the job file is the job's, options included
    expect(r.stdout).toContain("arg:a\narg:--output\narg:-p\n");
  });
});

describe("flinkts info", () => {
  test("prints the JobGraph with chains, parallelism and partitioning", async () => {
    const dir = folderWith({ "job.ts": wordCount });
    const r = await flinkts(["info", "-p", "2", "job.ts"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Vertex 0: Collection Source  [parallelism 1, source]");
    expect(r.stdout).toContain("Flat Map");
    expect(r.stdout).toContain("HASH, pipelined, TUPLE(STRING, INT)");
    const json = JSON.parse((await flinkts(["info", "--json", "job.ts"], dir)).stdout);
    expect(json.vertices.length).toBeGreaterThanOrEqual(2);
    expect(json.edges.some((e: { partitioner: string }) => e.partitioner === "hash")).toBe(true);
  });
});

describe("--help", () => {
  test.each([[[]], [["run"]], [["info"]], [["list"]], [["cancel"]], [["cluster"]], [["taskmanager"]]])("flinkts %p --help", async (cmd) => {
    const r = await flinkts([...cmd, "--help"], folderWith({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage:");
  });
});

describe("bad input: one line on stderr naming the file, exit code 1", () => {
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    ["missing job file", {}, ["run", "nope.ts"], /^error: nope\.ts: no such job file\n$/],
    ["syntax error", { "job.ts": "export default function main( {\n" }, ["run", "job.ts"], /^error: .*job\.ts:\d+:\d+: .+\n$/],
    ["no default export", { "job.ts": "export const x = 1;\n" }, ["run", "job.ts"], /^error: job\.ts: no default export; a job must 'export default function main\(args\)'\n$/],
    ["main throws", { "job.ts": "export default function main() {\n  throw new Error('bad config');\n}\n" }, ["run", "job.ts"], /^error: job\.ts: main\(\) threw: bad config \(at .*job\.ts:2:\d+\)\n$/],
  ];
  test.each(cases)("%s", async (_name, files, args, expected) => {
    const r = await flinkts(args, folderWith(files));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
  });

  test("a user function that throws fails the job with operator, subtask and the user's stack", async () => {
    const dir = folderWith({
      "job.ts": `import { StreamExecutionEnvironment } from "flinkts";
function check(n: number): number {
  if (n === 500) throw new Error("cannot handle 500");
  return n;
}
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromSequence(1, 1000).map(check).name("Checker").addSink(() => {});
  await env.execute("failing");
}`,
    });
    const r = await flinkts(["run", "-p", "2", "job.ts"], dir, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Job 'failing' \([0-9a-f]+\) failed: Checker \([12]\/2\) failed: cannot handle 500\n/);
    expect(r.stderr).toMatch(/at check .*job\.ts:3/);
  });

  test("API misuse is caught when the graph is built, naming the operator", async () => {
    const dir = folderWith({
      "job.ts": `import { StreamExecutionEnvironment, Types } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements(["a", 1]).returns(Types.TUPLE(Types.STRING, Types.INT)).keyBy(0).sum(3).print();
  await env.execute();
}`,
    });
    const r = await flinkts(["run", "job.ts"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: sum(3) on 'Keyed Aggregation': TUPLE(STRING, INT) has no field 3\n");
  });

  test("a malformed CSV line names the file and line", async () => {
    const dir = folderWith({
      "orders.csv": "id,amount\n1,10\n2,abc\n",
      "job.ts": `import { StreamExecutionEnvironment, Types } from "flinkts";
export default async function main() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.readCsvFile("orders.csv", { types: [Types.INT, Types.INT], ignoreFirstLine: true }).print();
  await env.execute("csv");
}`,
    });
    const r = await flinkts(["run", "-p", "1", "job.ts"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("orders.csv:3: field 1 'abc' is not an INT");
  });
});
