/**
 * The sinks of a DataSet: the eager ones that execute the program and bring results to the
 * client (collect, count, print), and the lazy ones that run with the next execute()
 * (writeAsText, writeAsCsv, output).
 */
import type { DataSet } from "./data-set.ts";
import type { ExecutionEnvironment } from "./execution-environment.ts";
import type { Transformation } from "../../graph/transformation.ts";
import type { AnyOperator } from "../../runtime/operators/stream-operator.ts";
import { CollectSinkOperator, SinkOperator } from "../../runtime/operators/stream/sink-operators.ts";
import { CountOperator } from "../../runtime/operators/batch/index.ts";
import { TextFileSink, csvFormatter, type WriteMode } from "../../connectors/file-sinks.ts";
import { isCapturing } from "../execution-context.ts";
import { formatValue } from "../format.ts";
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import { DataSink } from "./data-sink.ts";
import { checkOutputFormat, OutputFormatWriter, type OutputFormat } from "./output-format.ts";

const WRITE_MODES: readonly WriteMode[] = ["NO_OVERWRITE", "OVERWRITE"];

export function collect<T>(ds: DataSet<T>): Promise<T[]> {
  return collectFrom(ds.environment, ds.transformation, "collect()") as Promise<T[]>;
}

/** Runs the program with a sink that sends what `input` produces to the client. */
async function collectFrom(env: ExecutionEnvironment, input: Transformation, what: string): Promise<unknown[]> {
  let channel = "";
  const sink = env.addTransformation("sink", [input], {
    name: `DataSink (${what})`,
    operatorKind: "collect",
    createOperator: () => new CollectSinkOperator(channel),
  });
  channel = `collect-${sink.id}`;
  env.followInputParallelism(sink, input);
  return env.collectWith(sink, channel);
}

/** Counts per subtask (chained to the input) and sums the partial counts on the client. */
export async function count<T>(ds: DataSet<T>): Promise<number> {
  const env = ds.environment;
  const counter = env.addTransformation("one-input", [ds.transformation], { name: "Count", operatorKind: "count", createOperator: () => new CountOperator<T>() });
  env.followInputParallelism(counter, ds.transformation);
  const partials = await collectFrom(env, counter, "count()");
  let total = 0;
  for (const n of partials as number[]) total += n;
  return total;
}

/** Flink's print(): collect, then one line per record on the client (not in a replay of main()). */
export async function printOnClient<T>(ds: DataSet<T>, target: "stdout" | "stderr"): Promise<void> {
  const values = await collectFrom(ds.environment, ds.transformation, target === "stdout" ? "print()" : "printToErr()");
  if (isCapturing() || values.length === 0) return;
  const text = values.map(formatValue).join("\n") + "\n";
  (target === "stdout" ? process.stdout : process.stderr).write(text);
}

export function writeAsText<T>(ds: DataSet<T>, path: string, writeMode: WriteMode): DataSink<T> {
  checkWriteMode(writeMode, "writeAsText");
  return addSink(ds, `DataSink (TextOutputFormat (${path}))`, "file-sink", () => new SinkOperator<T>(new TextFileSink<T>(path, formatValue, writeMode)));
}

export function writeAsCsv<T>(ds: DataSet<T>, path: string, rowDelimiter: string, fieldDelimiter: string, writeMode: WriteMode): DataSink<T> {
  checkWriteMode(writeMode, "writeAsCsv");
  checkArgument(rowDelimiter.length > 0 && fieldDelimiter.length > 0, `writeAsCsv(${path}): row and field delimiters must not be empty`);
  const type = ds.transformation.outputType;
  if (type && type.kind !== "TUPLE" && type.kind !== "ROW" && type.kind !== "GENERIC")
    throw new InvalidProgramError(`writeAsCsv on '${ds.getName()}': only tuple and row data sets can be written as CSV, this one is ${type.toString()}`);
  const format = csvFormatter(rowDelimiter, fieldDelimiter) as (v: T) => string;
  return addSink(ds, `DataSink (CsvOutputFormat (${path}))`, "file-sink", () => new SinkOperator<T>(new TextFileSink<T>(path, format, writeMode)));
}

export function output<T>(ds: DataSet<T>, format: OutputFormat<T>): DataSink<T> {
  checkOutputFormat(format);
  const writer = new OutputFormatWriter(format);
  return addSink(ds, `DataSink (${writer.describe()})`, "output-format", () => new SinkOperator<T>(new OutputFormatWriter(format)));
}

function addSink<T>(ds: DataSet<T>, name: string, kind: string, create: () => AnyOperator): DataSink<T> {
  const t = ds.environment.addTransformation("sink", [ds.transformation], { name, operatorKind: kind, createOperator: create });
  ds.environment.addSink(t);
  return new DataSink<T>(t);
}

function checkWriteMode(mode: WriteMode, what: string): void {
  checkArgument(WRITE_MODES.includes(mode), `${what}: write mode must be NO_OVERWRITE or OVERWRITE, got '${String(mode)}'`);
}
