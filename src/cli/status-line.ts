/**
 * The live status line while a job runs on a terminal (job state, records in/out per vertex,
 * records/s), and the summary when it ends (with the bytes spilled to disk when there were
 * any). Plain lines when stdout is not a TTY or NO_COLOR is set. Job output (print) is written
 * between redraws so the two never mix.
 */
import kleur from "kleur";
import type { JobListener, JobMaster } from "../cluster/job-master.ts";
import type { JobStatus } from "../runtime/executiongraph/execution-graph.ts";
import { engineNow } from "../core/clock.ts";

export class StatusLine implements JobListener {
  private readonly live: boolean;
  private current: JobMaster | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown = false;
  private lastTotal = 0;
  private lastAt = 0;
  private rate = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout, private readonly err: NodeJS.WriteStream = process.stderr) {
    this.live = !!out.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
    kleur.enabled = this.live;
  }

  onStatus(job: JobMaster, status: JobStatus): void {
    if (status === "RUNNING") {
      this.current = job;
      this.lastTotal = 0;
      this.lastAt = engineNow();
      if (this.live && !this.timer) this.timer = setInterval(() => this.draw(), 200);
      else if (!this.live) this.out.write(`Job '${job.jobGraph.name}' (${job.jobGraph.jobId}) RUNNING\n`);
      return;
    }
    if (status === "FINISHED" || status === "FAILED" || status === "CANCELED") {
      this.clear();
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.summary(job, status);
      this.current = undefined;
    }
  }

  onClientData(_job: JobMaster, channel: string, payload: unknown): void {
    this.clear();
    (channel === "stderr" ? this.err : this.out).write(String(payload));
    this.draw();
  }

  private draw(): void {
    const job = this.current;
    if (!this.live || !job) return;
    const vertices = job.jobGraph.vertices.map((v) => {
      const ex = job.graph.executions[v.id]!;
      const rin = ex.reduce((s, e) => s + e.recordsIn, 0);
      const rout = ex.reduce((s, e) => s + e.recordsOut, 0);
      const short = v.operators[0]!.name.slice(0, 18);
      return `${short} ${fmt(rin)}/${fmt(rout)}`;
    });
    const total = job.graph.all().reduce((s, e) => s + e.recordsIn, 0);
    const now = engineNow();
    if (now - this.lastAt >= 500) {
      this.rate = ((total - this.lastTotal) * 1000) / (now - this.lastAt);
      this.lastTotal = total;
      this.lastAt = now;
    }
    const secs = (job.durationMs / 1000).toFixed(1);
    let line = `${kleur.cyan(job.status)} ${secs}s | ${vertices.join(" | ")} | ${fmt(this.rate)} rec/s`;
    const width = this.out.columns ?? 120;
    if (stripAnsi(line).length > width - 1) line = line.slice(0, width - 2) + "…";
    this.out.write("\r\x1b[2K" + line);
    this.shown = true;
  }

  private clear(): void {
    if (this.shown) this.out.write("\r\x1b[2K");
    this.shown = false;
  }

  private summary(job: JobMaster, status: JobStatus): void {
    const records = job.graph.all().filter((e) => !e.vertex.isSource).reduce((s, e) => s + e.recordsIn, 0);
    const sourceOut = job.graph.all().filter((e) => e.vertex.isSource).reduce((s, e) => s + e.recordsIn, 0);
    const colour = status === "FINISHED" ? kleur.green : kleur.red;
    // the exact byte count comes first so scripts can parse it (test/bench/measure.ts spilledBytes)
    const spilled = job.spilledBytes > 0 ? `, ${job.spilledBytes} bytes spilled (${mib(job.spilledBytes)})` : "";
    const line = `Job '${job.jobGraph.name}' (${job.jobGraph.jobId}) ${colour(status)} in ${(job.durationMs / 1000).toFixed(3)} s: ${sourceOut} records from sources, ${records} records received by tasks${spilled}`;
    this.out.write(line + "\n");
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}

function fmt(n: number): string {
  if (n >= 1e9) return (n / 1e9).toFixed(1) + "G";
  if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (n >= 1e4) return (n / 1e3).toFixed(0) + "K";
  return String(Math.round(n));
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
