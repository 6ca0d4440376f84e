/**
 * `npm run bench`: runs every benchmark suite in turn; each prints its table beside its peers
 * and writes it into its own section of BENCHMARKS.md. `npm run bench -- nexmark sort` runs
 * only the suites named.
 */
const SUITES: Record<string, string> = {
  "word-count": "test/bench/word-count.ts",
  nexmark: "test/bench/nexmark.ts",
  sort: "test/bench/external-sort.ts",
  duckdb: "test/bench/duckdb.ts",
};

const wanted = process.argv.slice(2);
for (const name of wanted) if (!(name in SUITES)) throw new Error(`unknown benchmark suite '${name}'; known: ${Object.keys(SUITES).join(", ")}`);
for (const [name, file] of Object.entries(SUITES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (!(await Bun.file(file).exists())) {
    console.log(`== ${name}: ${file} is missing, skipped`);
    continue;
  }
  console.log(`== ${name}`);
  const proc = Bun.spawn([process.execPath, file], { stdout: "inherit", stderr: "inherit", env: process.env });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`benchmark suite ${name} failed with exit code ${code}`);
}
export {};
