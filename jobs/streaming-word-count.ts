/**
 * Streaming word count: lines from a text file (or built-in lines), split into words, counted per
 * word with a rolling sum. Usage: flinkts run jobs/streaming-word-count.ts [input] [--output dir]
 */
import { StreamExecutionEnvironment, Types } from "flinkts";

const LINES = ["to be or not to be", "that is the question", "whether tis nobler in the mind to suffer"];

export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const outIndex = args.indexOf("--output");
  const output = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const input = args.find((a, i) => !a.startsWith("--") && i !== outIndex + 1);
  const lines = input ? env.readTextFile(input) : env.fromElements(...LINES);
  const counts = lines
    .flatMap(
      (line: string, out) => {
        for (const w of line.toLowerCase().split(/\W+/)) if (w) out.collect([w, 1]);
      },
      Types.TUPLE(Types.STRING, Types.INT),
    )
    .keyBy((t) => t[0])
    .sum(1);
  if (output) counts.writeAsText(output, "OVERWRITE");
  else counts.print();
  await env.execute("Streaming WordCount");
}
