/** Runs a command as a child process and reports its wall time, peak RSS (sampled from /proc) and stdout. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");

export interface Measured {
  ms: number;
  peakRss: number;
  stdout: string;
}

export async function measure(cmd: string[]): Promise<Measured> {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { cwd: ROOT, stdout: "pipe", stderr: "inherit", env: { ...process.env, NO_COLOR: "1" } });
  let peakRss = 0;
  const timer = setInterval(async () => {
    const status = await Bun.file(`/proc/${proc.pid}/status`).text().catch(() => "");
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) peakRss = Math.max(peakRss, Number(m[1]) * 1024);
  }, 20);
  const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  clearInterval(timer);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}`);
  return { ms: performance.now() - t0, peakRss, stdout };
}

/** The job's own net runtime (printed by the bench jobs), which leaves out process start and bundling. */
export function netRuntime(stdout: string): number {
  const m = /netRuntime=(\d+)/.exec(stdout);
  if (!m) throw new Error(`no netRuntime in output:\n${stdout}`);
  return Number(m[1]);
}

/**
 * Bytes the job's executions spilled to disk, summed over the summary lines `flinkts run` prints
 * (`Job '...' (...) FINISHED in ... s: ..., 123 bytes spilled (...)`; no figure means none).
 */
export function spilledBytes(stdout: string): number {
  const summaries = stdout.split("\n").filter((l) => /^Job '.*' \([0-9a-f]+\) FINISHED in /.test(l));
  if (summaries.length === 0) throw new Error(`no job summary in output:\n${stdout}`);
  return summaries.reduce((sum, l) => sum + Number(/, (\d+) bytes spilled/.exec(l)?.[1] ?? 0), 0);
}

export const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
export const rate = (n: number, ms: number) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M/s`;

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->` in BENCHMARKS.md (appends the section if missing). */
export function writeSection(name: string, text: string): void {
  const path = join(ROOT, "BENCHMARKS.md");
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const at = doc.indexOf(begin);
  const to = doc.indexOf(end);
  writeFileSync(path, at >= 0 && to > at ? doc.slice(0, at + begin.length) + "\n" + text + "\n" + doc.slice(to) : `${doc}\n${begin}\n${text}\n${end}\n`);
}
