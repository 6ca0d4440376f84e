/**
 * Replays a job's main() in plan-capture mode: executions before the target get the client's
 * recorded results, Date.now/Math.random/randomUUID give the client's values, and the target
 * execution's plan is returned instead of run.
 */
import { setExecutionMode, type ExecutionResultData } from "../api/execution-context.ts";
import { startReplay, type NondeterminismRecord } from "../api/replay.ts";
import type { TranslatedJob } from "../graph/job-graph-generator.ts";
import { loadJobMain, type JobBundle } from "./job-bundle.ts";
import { UserError } from "../core/errors.ts";

export interface CaptureRequest {
  bundle: JobBundle;
  args: string[];
  target: number;
  recorded: ExecutionResultData[];
  randoms: NondeterminismRecord;
  defaults: { parallelism?: number; config: Record<string, string> };
}

export async function capturePlan(req: CaptureRequest): Promise<{ job: TranslatedJob; collectChannels: string[] }> {
  const main = await loadJobMain(req.bundle);
  return new Promise((resolve, reject) => {
    let stop: () => void = () => {};
    setExecutionMode(
      {
        kind: "capture",
        target: req.target,
        recorded: req.recorded,
        onCapture: (job, collectChannels) => {
          stop();
          resolve({ job, collectChannels });
        },
      },
      req.defaults,
    );
    stop = startReplay(req.randoms);
    Promise.resolve()
      .then(() => main(req.args))
      .then(
        () => reject(new UserError(`${req.bundle.jobFile}: main() returned before reaching execution ${req.target + 1} when replayed; the program must build the same jobs every time it runs`)),
        (e) => reject(e),
      )
      .finally(stop);
  });
}
