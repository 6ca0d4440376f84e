/** DataSet sources and sinks end to end: print on the client, files, output formats, CSV input, execute() and the word-count job. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonical, resultOf, runCapturingClient } from "./dataset-job.ts";
import { runJob } from "../support/run-job.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "flinkts-dataset-"));

/** The lines a file sink wrote: its file at parallelism 1, or the files 1..p of its directory. */
function linesOf(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
  } catch {
    return readdirSync(path)
      .sort()
      .flatMap((f) => readFileSync(join(path, f), "utf8").split("\n").filter((l) => l.length > 0));
  }
}

describe("print()", () => {
  const ELEMENTS = `["to", 1], ["be", [2, "x"]], "plain", 42, 1.5, true, null, { word: "a", n: 1 }, []`;
  const FORMATTED = ["(to,1)", "(be,(2,x))", "plain", "42", "1.5", "true", "null", '{"word":"a","n":1}', "()"];

  test.each([1, 2])("formats records as Flink does, once each, on the client (p=%d)", async (parallelism) => {
    const job = `
import { ExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const ds = env.fromElements(${ELEMENTS});
  await ds.print();
  await ds.rebalance().map((x) => x).print();
}
`;
    const run = await runCapturingClient(job, { parallelism });
    expect(run.sinkLines).toEqual([]);
    expect(run.clientLines.slice(0, FORMATTED.length)).toEqual(FORMATTED);
    expect(canonical(run.clientLines.slice(FORMATTED.length))).toEqual(canonical(FORMATTED));
  });

  test("a program of several executions prints each print() once, in program order (p=2)", async () => {
    const job = `
import { ExecutionEnvironment } from "flinkts";
export default async function main() {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const numbers = env.generateSequence(1, 6);
  await numbers.reduce((a, b) => a + b).print();
  const n = await numbers.count();
  await numbers.filter((x) => x % 2 === 0).map((x) => x * n).reduceGroup((xs, out) => out.collect([...xs].sort((a, b) => a - b).join(" "))).print();
  await env.fromElements("done").print();
}
`;
    const run = await runCapturingClient(job, { parallelism: 2 });
    expect(run.clientLines).toEqual(["21", "12 24 36", "done"]);
  });
});

describe("lazy sinks and execute()", () => {
  test.each([1, 2])("writeAsText, writeAsCsv and output(format) run with execute() (p=%d)", async (parallelism) => {
    const dir = tmp();
    const job = `
import { ExecutionEnvironment, Types } from "flinkts";
import { writeFileSync } from "node:fs";
class LinesFormat {
  constructor(dir) { this.dir = dir; this.lines = []; }
  open(task, tasks) { this.file = this.dir + "/part-" + task + "-of-" + tasks; }
  writeRecord(r) { this.lines.push(r.join("|")); }
  close() { writeFileSync(this.file, this.lines.join("\\n")); }
}
export default async function main([dir]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const pairs = env.generateSequence(1, 20).map((i) => ["w" + (i % 4), i, i % 3 === 0 ? 'say "hi", ok' : null], Types.TUPLE(Types.STRING, Types.LONG, Types.NULLABLE(Types.STRING)));
  pairs.writeAsText(dir + "/text");
  pairs.writeAsCsv(dir + "/csv", "\\n", ";");
  pairs.map((t) => [t[0], t[1]], Types.TUPLE(Types.STRING, Types.LONG)).groupBy(0).sum(1).writeAsCsv(dir + "/sums.csv", "\\n", ",", "OVERWRITE").setParallelism(1).name("sums");
  pairs.output(new LinesFormat(dir + "/format"));
  const plan = JSON.parse(env.getExecutionPlan("files"));
  const result = await env.execute("files");
  process.stdout.write("RESULT " + JSON.stringify({ sinks: plan.vertices.flatMap((v) => v.operators.map((o) => o.name)).filter((n) => n.startsWith("DataSink") || n === "sums"), id: result.getJobID(), runtime: result.getNetRuntime() }) + "\\n");
}
`;
    mkdirSync(join(dir, "format"));
    const run = await runCapturingClient(job, { parallelism, args: [dir] });
    const r = resultOf(run);
    expect(r.sinks.sort()).toEqual([`DataSink (CsvOutputFormat (${dir}/csv))`, "DataSink (OutputFormat LinesFormat)", `DataSink (TextOutputFormat (${dir}/text))`, "sums"]);
    expect(r.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.runtime).toBeGreaterThanOrEqual(0);
    const records = Array.from({ length: 20 }, (_, k) => k + 1).map((i) => ["w" + (i % 4), i, i % 3 === 0 ? 'say "hi", ok' : null] as const);
    expect(canonical(linesOf(join(dir, "text")))).toEqual(canonical(records.map((t) => `(${t.join(",")})`.replace(",)", ",null)"))));
    expect(canonical(linesOf(join(dir, "csv")))).toEqual(canonical(records.map((t) => `${t[0]};${t[1]};${t[2] ? '"say ""hi"", ok"' : ""}`)));
    expect(canonical(linesOf(join(dir, "sums.csv")))).toEqual(["w0,60", "w1,45", "w2,50", "w3,55"]);
    const parts = readdirSync(join(dir, "format")).sort();
    expect(parts).toEqual(Array.from({ length: parallelism }, (_, i) => `part-${i}-of-${parallelism}`));
    expect(canonical(parts.flatMap((p) => readFileSync(join(dir, "format", p), "utf8").split("\n").filter(Boolean)))).toEqual(canonical(records.map((t) => t.join("|"))));
    if (parallelism === 1) expect(statSync(join(dir, "text")).isFile()).toBe(true);
    else expect(readdirSync(join(dir, "text")).sort()).toEqual(["1", "2"]);
  });

  test("writeAsText to an existing path fails the job unless OVERWRITE", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "out.txt"), "old\n");
    const job = (mode: string) => `
import { ExecutionEnvironment } from "flinkts";
export default async function main([path]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  env.fromElements("new").writeAsText(path, ${JSON.stringify(mode)});
  await env.execute();
}
`;
    await expect(runJob(job("NO_OVERWRITE"), { parallelism: 1, args: [join(dir, "out.txt")] })).rejects.toThrow("already exists");
    await runJob(job("OVERWRITE"), { parallelism: 1, args: [join(dir, "out.txt")] });
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("new\n");
  });
});

describe("sources", () => {
  test.each([1, 2])("readCsvFile options, readTextFile and generateSequence (p=%d)", async (parallelism) => {
    const dir = tmp();
    writeFileSync(join(dir, "people.csv"), ['name;skip;age;score', '# a comment', '"Smith; Jo";x;41;1.5', "ann;y;7;2", "bad;z;notanumber;3", 'bo "b";w;9;0.25', ""].join("\n"));
    writeFileSync(join(dir, "crlf.csv"), "a,1\r\nb,2\r\n");
    writeFileSync(join(dir, "lines.txt"), Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n") + "\n");
    const job = `
import { ExecutionEnvironment, Types } from "flinkts";
export default async function main([dir]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const people = env.readCsvFile(dir + "/people.csv").fieldDelimiter(";").ignoreFirstLine().ignoreComments("#").parseQuotedStrings('"').includeFields("1011").ignoreInvalidLines().types(Types.STRING, Types.INT, Types.DOUBLE);
  const unquoted = env.readCsvFile(dir + "/people.csv").fieldDelimiter(";").ignoreFirstLine().ignoreComments("#").includeFields(true, false, true).ignoreInvalidLines().types(Types.STRING, Types.INT);
  const crlf = env.readCsvFile(dir + "/crlf.csv").lineDelimiter("\\r\\n").includeFields(3).types(Types.STRING, Types.INT);
  const lines = env.readTextFile(dir + "/lines.txt");
  const out = {
    people: await people.collect(),
    unquoted: await unquoted.collect(),
    crlf: await crlf.collect(),
    lines: await lines.map((l) => Number(l.split(" ")[1])).reduceGroup((xs, out) => { let n = 0, s = 0; for (const x of xs) { n++; s += x; } out.collect([n, s]); }).collect(),
    sequenceSum: await env.generateSequence(-5, 1000).reduce((a, b) => a + b).collect(),
    type: people.getType().toString(),
  };
  process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");
}
`;
    const r = resultOf(await runCapturingClient(job, { parallelism, args: [dir] }));
    expect(canonical(r.people)).toEqual(canonical([["Smith; Jo", 41, 1.5], ["ann", 7, 2], ['bo "b"', 9, 0.25]]));
    expect(canonical(r.unquoted)).toEqual(canonical([["ann", 7], ['bo "b"', 9]]));
    expect(canonical(r.crlf)).toEqual([["a", 1], ["b", 2]]);
    expect(r.lines).toEqual([[500, (499 * 500) / 2]]);
    expect(r.sequenceSum).toEqual([(1000 * 1001) / 2 - 15]);
    expect(r.type).toBe("TUPLE(STRING, INT, DOUBLE)");
  });
});

describe("jobs/word-count.ts", () => {
  const words = readFileSync("fixtures/words.txt", "utf8").toLowerCase().split(/\W+/).filter(Boolean);
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const expected = canonical([...counts].map(([w, n]) => `(${w},${n})`));

  test.each([1, 2])("prints the counts of fixtures/words.txt (p=%d)", async (parallelism) => {
    const run = await runCapturingClient("jobs/word-count.ts", { parallelism });
    expect(canonical(run.clientLines)).toEqual(expected);
  });

  test("reads the file given and writes CSV with --output", async () => {
    const out = join(tmp(), "counts");
    await runCapturingClient("jobs/word-count.ts", { parallelism: 2, args: ["fixtures/words.txt", "--output", out] });
    expect(canonical(linesOf(out).map((l) => `(${l.replace(" ", ",")})`))).toEqual(expected);
  });
});
