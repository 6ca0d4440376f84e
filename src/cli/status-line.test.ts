/** The status line: redrawn in place on a terminal, plain lines otherwise, job output never mixed into it. */
import { afterEach, describe, expect, test } from "bun:test";
import { StatusLine } from "./status-line.ts";
import { JobMaster } from "../cluster/job-master.ts";
import type { JobGraph } from "../runtime/jobgraph/job-graph.ts";

class FakeStream {
  text = "";
  constructor(readonly isTTY: boolean, readonly columns = 100) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

const graph: JobGraph = {
  jobId: "0123456789abcdef0123456789abcdef",
  name: "demo",
  runtimeMode: "STREAMING",
  maxParallelism: 128,
  bufferTimeoutMs: 100,
  graphHash: "",
  edges: [{ id: 0, source: 0, target: 1, sourceOperator: 1, targetInput: 1, partitioner: "hash", resultType: "pipelined", typeName: "STRING" }],
  vertices: [
    { id: 0, name: "Source -> Map", parallelism: 1, maxParallelism: 128, slotSharingGroup: "default", isSource: true, inputEdges: [], outputEdges: [0],
      operators: [{ id: 1, name: "Source", kind: "source", outputType: "STRING", chainedOutputs: [], networkOutputs: [{ edge: 0 }] }] },
    { id: 1, name: "Sink", parallelism: 1, maxParallelism: 128, slotSharingGroup: "default", isSource: false, inputEdges: [0], outputEdges: [],
      operators: [{ id: 2, name: "Sink", kind: "sink", outputType: "STRING", chainedOutputs: [], networkOutputs: [] }] },
  ],
};

function runFakeJob(status: StatusLine): JobMaster {
  const job = new JobMaster(graph, 1, {}, () => {}, status, new Set());
  job.start();
  for (const [v, s] of [[0, "RUNNING"], [1, "RUNNING"]] as const) job.onTaskState(v, 0, s);
  job.onMetrics(0, 0, 1500, 1500);
  job.onMetrics(1, 0, 1500, 0);
  return job;
}

const saved = process.env.NO_COLOR;
afterEach(() => {
  if (saved === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = saved;
});

describe("StatusLine", () => {
  test("on a terminal: a live line, cleared before job output, then a summary", async () => {
    delete process.env.NO_COLOR;
    const out = new FakeStream(true);
    const status = new StatusLine(out as any, out as any);
    const job = runFakeJob(status);
    await Bun.sleep(250);
    expect(out.text).toMatch(/\r\x1b\[2K.*RUNNING.*Source 1500\/1500/);
    status.onClientData(job, "stdout", "hello\n");
    expect(out.text).toContain("\r\x1b[2Khello\n");
    job.onTaskState(0, 0, "FINISHED");
    job.onTaskState(1, 0, "FINISHED");
    expect(out.text).toMatch(/Job 'demo' \(0123456789abcdef0123456789abcdef\) .*FINISHED.* in \d+\.\d{3} s: 1500 records from sources, 1500 records received by tasks\n$/);
  });

  test.each([
    ["not a terminal", false, undefined],
    ["NO_COLOR set", true, "1"],
  ])("%s: plain lines only", async (_name, tty, noColor) => {
    if (noColor) process.env.NO_COLOR = noColor;
    else delete process.env.NO_COLOR;
    const out = new FakeStream(tty);
    const status = new StatusLine(out as any, out as any);
    const job = runFakeJob(status);
    await Bun.sleep(250);
    job.onTaskState(0, 0, "FINISHED");
    job.onTaskState(1, 0, "FINISHED");
    expect(out.text).not.toContain("\x1b");
    expect(out.text.split("\n")).toEqual([
      "Job 'demo' (0123456789abcdef0123456789abcdef) RUNNING",
      expect.stringMatching(/^Job 'demo' \(0123456789abcdef0123456789abcdef\) FINISHED in \d+\.\d{3} s: 1500 records from sources, 1500 records received by tasks$/),
      "",
    ]);
  });

  test("the summary adds the bytes the tasks spilled, when there were any", () => {
    process.env.NO_COLOR = "1";
    const out = new FakeStream(false);
    const job = runFakeJob(new StatusLine(out as any, out as any));
    job.onTaskState(0, 0, "FINISHED", undefined, undefined, 0);
    job.onTaskState(1, 0, "FINISHED", undefined, undefined, 3 * 1048576 + 1);
    expect(job.spilledBytes).toBe(3 * 1048576 + 1);
    expect(out.text).toMatch(/ FINISHED in \d+\.\d{3} s: 1500 records from sources, 1500 records received by tasks, 3145729 bytes spilled \(3\.0 MiB\)\n$/);
  });
});
