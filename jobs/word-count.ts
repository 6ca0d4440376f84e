/**
 * The classic DataSet word count: lines of a text file split into lowercase words, counted per
 * word with groupBy(0).sum(1). Usage: flinkts run jobs/word-count.ts [input] [--output path]
 * Without an input it reads fixtures/words.txt when run from the repository, else built-in lines.
 */
import { existsSync } from "node:fs";
import { ExecutionEnvironment, Types } from "flinkts";

const LINES = ["to be or not to be", "that is the question", "whether tis nobler in the mind to suffer"];
const DEFAULT_INPUT = "fixtures/words.txt";

export default async function main(args: string[]) {
  const env = ExecutionEnvironment.getExecutionEnvironment();
  const outIndex = args.indexOf("--output");
  const output = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const input = args.find((a, i) => !a.startsWith("--") && (outIndex < 0 || i !== outIndex + 1)) ?? (existsSync(DEFAULT_INPUT) ? DEFAULT_INPUT : undefined);
  const text = input ? env.readTextFile(input) : env.fromElements(...LINES);
  const counts = text
    .flatMap(
      (line: string, out) => {
        for (const word of line.toLowerCase().split(/\W+/)) if (word) out.collect([word, 1] as [string, number]);
      },
      Types.TUPLE(Types.STRING, Types.INT),
    )
    .groupBy(0)
    .sum(1);
  if (output) {
    counts.writeAsCsv(output, "\n", " ", "OVERWRITE");
    await env.execute("WordCount Example");
  } else {
    await counts.print();
  }
}
