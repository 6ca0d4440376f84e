/**
 * Bundles a job file and its local imports into one module (flinkts stays external), so the
 * same code can be loaded by every thread and process that runs a part of the job.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, basename, dirname } from "node:path";
import { UserError } from "../core/errors.ts";
import { newId } from "../core/clock.ts";

export interface JobBundle {
  /** The job file as the user named it (for messages). */
  jobFile: string;
  /** Absolute path of the bundled module. */
  path: string;
}

let bundleDir: string | undefined;

function dir(): string {
  if (!bundleDir) {
    bundleDir = join(tmpdir(), `flinkts-bundles-${process.pid}`);
    mkdirSync(bundleDir, { recursive: true });
    process.once("exit", () => rmSync(bundleDir!, { recursive: true, force: true }));
  }
  return bundleDir;
}

export async function bundleJob(jobFile: string): Promise<JobBundle> {
  const abs = resolve(jobFile);
  if (!existsSync(abs)) throw new UserError(`${jobFile}: no such job file`);
  let result: Awaited<ReturnType<typeof Bun.build>>;
  try {
    result = await Bun.build({ entrypoints: [abs], external: ["flinkts", "flinkts/*"], target: "bun", format: "esm", sourcemap: "inline", throw: true });
  } catch (e) {
    throw new UserError(describeBuildError(jobFile, e));
  }
  if (!result.success || result.outputs.length === 0) throw new UserError(describeBuildError(jobFile, new AggregateError(result.logs)));
  const path = join(dir(), `${basename(abs).replace(/\.[^.]+$/, "")}-${newId().slice(0, 8)}.mjs`);
  await Bun.write(path, absoluteSourceMap(await result.outputs[0]!.text(), dirname(abs)));
  return { jobFile, path };
}

/**
 * The inline source map names sources relative to the job's folder; the bundle lives elsewhere,
 * so stack traces would point into the temp folder. Rewrite them to absolute paths.
 */
function absoluteSourceMap(code: string, jobDir: string): string {
  const marker = "//# sourceMappingURL=data:application/json;base64,";
  const at = code.lastIndexOf(marker);
  if (at < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), "base64").toString("utf8"));
  map.sources = (map.sources as string[]).map((s) => resolve(jobDir, s));
  return code.slice(0, at) + marker + Buffer.from(JSON.stringify(map)).toString("base64") + "\n";
}

function describeBuildError(jobFile: string, e: unknown): string {
  const logs: any[] = e instanceof AggregateError ? e.errors : [e];
  const first = logs[0];
  const pos = first?.position;
  if (pos) return `${pos.file ?? jobFile}:${pos.line}:${pos.column}: ${first.message}`;
  return `${jobFile}: ${first?.message ?? String(e)}`;
}

/** Loads the bundled job and returns its main function; errors name the job file. */
export async function loadJobMain(bundle: JobBundle): Promise<(args: string[]) => unknown> {
  let mod: any;
  try {
    mod = await import(bundle.path);
  } catch (e) {
    throw new UserError(`${bundle.jobFile}: failed to load: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  if (typeof mod.default !== "function") throw new UserError(`${bundle.jobFile}: no default export; a job must 'export default function main(args)'`);
  return mod.default;
}
