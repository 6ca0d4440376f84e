/**
 * A slot: one worker thread of a TaskManager. Replays each job's main() to get its user code,
 * runs the tasks deployed to it, and exchanges buffers with other slots over MessagePorts.
 */
import "./module-plugin.ts";
import { NetworkEnvironment } from "../runtime/network/network-environment.ts";
import { Task, type TaskHost } from "../runtime/tasks/task.ts";
import type { UserCodeTable } from "../runtime/tasks/user-code.ts";
import { capturePlan } from "./plan-capture.ts";
import { firstDifference } from "../graph/job-graph-generator.ts";
import { serializeError, UserError } from "../core/errors.ts";
import type { FromSlot, JobSpec, ToSlot } from "./slot-protocol.ts";
import { ConfigKeys, Configuration } from "../core/config.ts";
import { MemoryManager } from "../memory/memory-manager.ts";
import { IOManager } from "../io/io-manager.ts";
import type { BlockingSpill } from "../runtime/network/result-subpartition.ts";
import { slotManagedMemoryBytes } from "../runtime/operators/operator-memory.ts";

declare const self: Worker;

interface JobState {
  userCode: Promise<UserCodeTable>;
  tasks: Set<Task>;
  /** Created with the job's first task in this slot, from its configuration. */
  memory?: JobMemory;
}

interface JobMemory {
  manager: MemoryManager;
  io: IOManager;
  blockingSpill: BlockingSpill;
  /** Of `io.spilledBytes`, what terminal task states have already reported to the JobMaster. */
  reportedSpill: number;
}

let slot = -1;
let net: NetworkEnvironment;
const jobs = new Map<string, JobState>();
/** Split requests waiting for the TaskManager's answer, by request number. */
const splitRequests = new Map<number, (index: number) => void>();
let nextSplitRequest = 0;

function post(m: FromSlot): void {
  self.postMessage(m);
}

function loadJob(spec: JobSpec): JobState {
  const userCode = capturePlan({ bundle: spec.bundle, args: spec.args, target: spec.executionIndex, recorded: spec.recorded, randoms: spec.randoms, defaults: spec.defaults }).then(
    ({ job }) => {
      if (job.jobGraph.graphHash !== spec.jobGraph.graphHash)
        throw new UserError(
          `${spec.bundle.jobFile}: the job graph built when main() was replayed differs from the client's: ${firstDifference(spec.jobGraph, job.jobGraph)}; main() must build the same graph every time it runs`,
        );
      return job.userCode;
    },
  );
  userCode.catch(() => {}); // each deployment reports the failure for its task
  const state = { userCode, tasks: new Set<Task>() };
  jobs.set(spec.jobId, state);
  return state;
}

async function deploy(m: Extract<ToSlot, { t: "deploy" }>): Promise<void> {
  const dep = m.deployment;
  const job = jobs.get(dep.jobId);
  if (!job) return;
  let userCode: UserCodeTable;
  try {
    userCode = await job.userCode;
  } catch (e) {
    post({ t: "state", jobId: dep.jobId, vertexId: dep.vertexId, subtask: dep.subtaskIndex, state: "FAILED", error: serializeError(e), in: 0, out: 0 });
    return;
  }
  const memory = (job.memory ??= jobMemory(new Configuration(dep.config)));
  const host: TaskHost = {
    net,
    userCode,
    memory: memory.manager,
    io: memory.io,
    blockingSpill: memory.blockingSpill,
    reportState: (task, state, error, accumulators) =>
      post({ t: "state", jobId: dep.jobId, vertexId: dep.vertexId, subtask: dep.subtaskIndex, state, error, accumulators, in: task.recordsIn, out: task.recordsOut, spilledBytes: terminal(state) ? takeSpilled(memory) : undefined }),
    sendToClient: (jobId, channel, payload) => post({ t: "client", jobId, channel, payload }),
    nextInputSplit: (jobId, vertexId) =>
      new Promise<number>((resolve) => {
        const request = nextSplitRequest++;
        splitRequests.set(request, resolve);
        post({ t: "split", jobId, vertexId, slot, request });
      }),
  };
  const task = new Task(dep, host);
  job.tasks.add(task);
  await task.run();
  job.tasks.delete(task);
}

/**
 * The job's share of this TaskManager's managed memory (one slot's worth) and its spill folders.
 * Blocking results may hold a quarter of the slot's managed memory besides, then spill.
 */
function jobMemory(config: Configuration): JobMemory {
  const slots = config.getInt(ConfigKeys.numberOfTaskSlots, 1);
  const dirs = IOManager.parseDirs(config.getString(ConfigKeys.ioTmpDirs));
  IOManager.cleanStale(dirs);
  const bytes = slotManagedMemoryBytes(config, slots);
  const io = new IOManager(dirs);
  return { manager: new MemoryManager(bytes), io, blockingSpill: { io, budget: { bytes: Math.floor(bytes / 4) } }, reportedSpill: 0 };
}

function terminal(state: string): boolean {
  return state === "FINISHED" || state === "CANCELED" || state === "FAILED";
}

/**
 * The bytes this slot spilled for the job since the last terminal task state. Tasks of a job in
 * a slot share one IOManager, and every spill (sorts, joins, blocking results) happens while one
 * of them runs, so once the last of them has reported, the reports sum to all the slot spilled.
 */
function takeSpilled(memory: JobMemory): number {
  const delta = memory.io.spilledBytes - memory.reportedSpill;
  memory.reportedSpill = memory.io.spilledBytes;
  return delta;
}

function reportMetrics(): void {
  const tasks: Extract<FromSlot, { t: "metrics" }>["tasks"] = [];
  for (const [jobId, job] of jobs)
    for (const task of job.tasks) tasks.push({ jobId, vertexId: task.deployment.vertexId, subtask: task.deployment.subtaskIndex, in: task.recordsIn, out: task.recordsOut });
  if (tasks.length > 0) post({ t: "metrics", tasks });
}

self.onmessage = (e: MessageEvent<ToSlot>) => {
  const m = e.data;
  switch (m.t) {
    case "init":
      slot = m.slot;
      net = new NetworkEnvironment(slot);
      net.connect(m.links);
      setInterval(reportMetrics, 250).unref?.();
      post({ t: "ready", slot });
      break;
    case "job":
      loadJob(m.spec);
      break;
    case "deploy":
      void deploy(m);
      break;
    case "cancel":
      for (const task of jobs.get(m.jobId)?.tasks ?? []) task.cancel();
      break;
    case "split":
      splitRequests.get(m.request)?.(m.index);
      splitRequests.delete(m.request);
      break;
    case "release":
      jobs.get(m.jobId)?.memory?.io.close();
      jobs.delete(m.jobId);
      net.releaseJob(m.jobId);
      break;
  }
};

process.on("unhandledRejection", (e) => {
  throw e;
});
