/**
 * The embedded local cluster: a JobManager and one TaskManager with S slot threads, inside the
 * client process. Slots are started on demand (at least as many as a job's parallelism) and
 * connected pairwise by shared-memory rings for the data plane (SlotLinks).
 *
 * Lifecycle: start() -> submit()* -> shutdown(), which terminates every slot thread; a crashed
 * slot fails its jobs and the cluster is rebuilt for the next job.
 */
import { JobMaster, type JobListener } from "./job-master.ts";
import type { FromSlot, JobSpec, ToSlot } from "./slot-protocol.ts";
import type { JobGraph } from "../runtime/jobgraph/job-graph.ts";
import { InternalError } from "../core/errors.ts";
import { SlotLinks } from "../runtime/network/slot-links.ts";

/** Inside the compiled binary the worker entry is embedded under its path from the project root. */
const workerUrl = import.meta.url.includes("$bunfs") ? "./src/cluster/slot-worker.ts" : new URL("./slot-worker.ts", import.meta.url).href;

export class LocalCluster {
  private slots: Worker[] = [];
  private readonly jobs = new Map<string, JobMaster>();
  private starting: Promise<void> | undefined;

  constructor(private readonly minSlots: number) {}

  get numSlots(): number {
    return this.slots.length;
  }

  /** Starts (or grows to) `n` slots. Growing restarts the slots, so only do it between jobs. */
  async ensureSlots(n: number): Promise<void> {
    const want = Math.max(n, this.minSlots);
    if (this.starting) await this.starting;
    if (this.slots.length >= want) return;
    if (this.jobs.size > 0) throw new InternalError(`cannot grow the local cluster to ${want} slots while jobs run`);
    this.terminateSlots();
    this.starting = this.startSlots(want);
    await this.starting;
  }

  private async startSlots(n: number): Promise<void> {
    const slots = Array.from({ length: n }, () => new Worker(workerUrl));
    const ready = slots.map((w, i) => new Promise<void>((resolve, reject) => {
      const onReady = (e: MessageEvent<FromSlot>) => {
        if (e.data.t === "ready") {
          w.removeEventListener("message", onReady);
          resolve();
        }
      };
      w.addEventListener("message", onReady);
      w.addEventListener("error", (ev) => reject(new InternalError(`slot ${i} failed to start: ${(ev as ErrorEvent).message}`)), { once: true });
    }));
    const links = SlotLinks.allocate(n);
    slots.forEach((w, i) => {
      w.postMessage({ t: "init", slot: i, links: links[i]! } satisfies ToSlot);
      w.addEventListener("message", (e: MessageEvent<FromSlot>) => this.onSlotMessage(e.data));
      w.addEventListener("error", (ev) => this.onSlotCrash(i, ev as ErrorEvent));
    });
    this.slots = slots;
    await Promise.all(ready);
  }

  async submit(spec: Omit<JobSpec, "jobId">, config: Record<string, string>, listener: JobListener, collectChannels: string[], collectLimit?: number): Promise<JobMaster> {
    const graph: JobGraph = spec.jobGraph;
    await this.ensureSlots(Math.max(1, ...graph.vertices.map((v) => v.parallelism)));
    const job = new JobMaster(graph, this.slots.length, config, (slot, m) => this.slots[slot]?.postMessage(m), listener, new Set(collectChannels), collectLimit);
    this.jobs.set(graph.jobId, job);
    const usedSlots = new Set(job.graph.all().map((e) => e.slot));
    for (const s of usedSlots) this.slots[s]!.postMessage({ t: "job", spec: { ...spec, jobId: graph.jobId } } satisfies ToSlot);
    job.result.finally(() => {
      this.jobs.delete(graph.jobId);
      for (const s of usedSlots) this.slots[s]?.postMessage({ t: "release", jobId: graph.jobId } satisfies ToSlot);
    }).catch(() => {});
    job.start();
    return job;
  }

  shutdown(): void {
    for (const job of this.jobs.values()) job.cancel();
    this.terminateSlots();
  }

  private terminateSlots(): void {
    for (const w of this.slots) w.terminate();
    this.slots = [];
  }

  private onSlotMessage(m: FromSlot): void {
    switch (m.t) {
      case "state":
        this.jobs.get(m.jobId)?.onMetrics(m.vertexId, m.subtask, m.in, m.out);
        this.jobs.get(m.jobId)?.onTaskState(m.vertexId, m.subtask, m.state, m.error, m.accumulators, m.spilledBytes);
        break;
      case "metrics":
        for (const t of m.tasks) this.jobs.get(t.jobId)?.onMetrics(t.vertexId, t.subtask, t.in, t.out);
        break;
      case "client":
        this.jobs.get(m.jobId)?.onClientData(m.channel, m.payload);
        break;
      case "split": {
        // a job that is gone has no splits left: the source ends
        const index = this.jobs.get(m.jobId)?.nextInputSplit(m.vertexId) ?? Number.MAX_SAFE_INTEGER;
        this.slots[m.slot]?.postMessage({ t: "split", request: m.request, index } satisfies ToSlot);
        break;
      }
    }
  }

  private onSlotCrash(slot: number, ev: ErrorEvent): void {
    // Bun's message carries a code frame; the error's own message is the one line to report
    const reason = (ev.error as Error | undefined)?.message ?? /^error: (.*)$/m.exec(ev.message)?.[1] ?? ev.message;
    const error = { name: "Error", message: `slot ${slot} crashed: ${reason}`, stack: (ev.error as Error | undefined)?.stack };
    // the crashed thread takes its channels with it: start afresh for the next job
    this.terminateSlots();
    for (const job of [...this.jobs.values()]) job.abort(error);
  }
}
