/** StreamExecutionEnvironment: where DataStream programs start, and how they are executed. */
import { EnvironmentBase, type SourceSpec } from "./environment-base.ts";
import { inferElementType } from "./type-inference.ts";
import { SingleOutputStreamOperator } from "./datastream/data-stream.ts";
import { JobClient, JobExecutionResult } from "./job-execution-result.ts";
import type { TypeInformation } from "../types/type-information.ts";
import type { SplitSource } from "../runtime/operators/source.ts";
import { SourceFunctionSource, type SourceFunctionLike } from "../runtime/operators/source-function-source.ts";
import { CollectionSource, SequenceSource } from "../connectors/collection-source.ts";
import { TextFileSource } from "../connectors/text-file-source.ts";
import { SocketTextSource } from "../connectors/socket-source.ts";
import { CsvSource } from "../connectors/csv-source.ts";
import type { CsvFormat } from "../connectors/csv.ts";
import { csvParsersFor } from "./csv-types.ts";
import { Types } from "../types/types.ts";
import { ConfigKeys } from "../core/config.ts";
import { checkArgument, InvalidProgramError } from "../core/errors.ts";
import type { RuntimeMode } from "../runtime/jobgraph/job-graph.ts";
import type { Transformation } from "../graph/transformation.ts";

export type RuntimeExecutionMode = "STREAMING" | "BATCH" | "AUTOMATIC";

export interface CsvReadOptions extends CsvFormat {
  /** Field types, or a TUPLE / ROW type. */
  types?: TypeInformation[] | TypeInformation;
}

export class StreamExecutionEnvironment extends EnvironmentBase {
  private mode: RuntimeExecutionMode = "STREAMING";
  private bufferTimeout: number;
  private autoWatermarkInterval = 200;

  static getExecutionEnvironment(): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment();
  }

  /** A local environment: the same as getExecutionEnvironment() when no cluster was given. */
  static createLocalEnvironment(parallelism?: number): StreamExecutionEnvironment {
    const env = new StreamExecutionEnvironment();
    if (parallelism) env.setParallelism(parallelism);
    return env;
  }

  constructor() {
    super();
    this.bufferTimeout = this.config.getDurationMs(ConfigKeys.bufferTimeout, 100);
    const mode = this.config.getString(ConfigKeys.runtimeMode);
    if (mode) this.setRuntimeMode(mode.toUpperCase() as RuntimeExecutionMode);
  }

  setRuntimeMode(mode: RuntimeExecutionMode): this {
    checkArgument(mode === "STREAMING" || mode === "BATCH" || mode === "AUTOMATIC", `runtime mode must be STREAMING, BATCH or AUTOMATIC, got '${mode}'`);
    this.mode = mode;
    return this;
  }

  setBufferTimeout(ms: number): this {
    checkArgument(ms >= -1, `buffer timeout must be >= -1 ms, got ${ms}`);
    this.bufferTimeout = ms;
    return this;
  }

  getBufferTimeout(): number {
    return this.bufferTimeout;
  }

  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  getConfig(): { setAutoWatermarkInterval(ms: number): void; getAutoWatermarkInterval(): number } {
    return {
      setAutoWatermarkInterval: (ms) => void (this.autoWatermarkInterval = ms),
      getAutoWatermarkInterval: () => this.autoWatermarkInterval,
    };
  }

  // ---- sources ----

  fromElements<T>(...elements: T[]): SingleOutputStreamOperator<T> {
    checkArgument(elements.length > 0, "fromElements needs at least one element");
    return this.sourceFrom({ name: "Collection Source", create: () => new CollectionSource(elements), type: inferElementType(elements) as TypeInformation<T> | undefined, parallel: false, bounded: true });
  }

  fromCollection<T>(collection: Iterable<T>, type?: TypeInformation<T>): SingleOutputStreamOperator<T> {
    const items = [...collection];
    return this.sourceFrom({ name: "Collection Source", create: () => new CollectionSource(items), type: type ?? (inferElementType(items) as TypeInformation<T> | undefined), parallel: false, bounded: true });
  }

  fromSequence(from: number, to: number): SingleOutputStreamOperator<number> {
    checkArgument(from <= to, `fromSequence: from (${from}) must not be greater than to (${to})`);
    return this.sourceFrom({ name: "Sequence Source", create: () => new SequenceSource(from, to), type: Types.LONG, parallel: true, bounded: true });
  }

  readTextFile(path: string): SingleOutputStreamOperator<string> {
    return this.sourceFrom({ name: `Text File Source`, create: () => new TextFileSource(path), type: Types.STRING, parallel: true, bounded: true });
  }

  readCsvFile<T = unknown[]>(path: string, options: CsvReadOptions = {}): SingleOutputStreamOperator<T> {
    const { parsers, type, fieldNames } = csvParsersFor(options.types, "readCsvFile");
    return this.sourceFrom<T>({ name: "CSV File Source", create: () => new CsvSource(path, parsers, options, fieldNames) as any, type: type as TypeInformation<T>, parallel: true, bounded: true });
  }

  socketTextStream(host: string, port: number, delimiter = "\n", maxRetry = 0): SingleOutputStreamOperator<string> {
    return this.sourceFrom({ name: "Socket Stream", create: () => new SocketTextSource(host, port, delimiter, maxRetry), type: Types.STRING, parallel: false, bounded: false });
  }

  /**
   * A user SourceFunction ({ run(ctx), cancel() }). A plain object runs with parallelism 1;
   * an instance of a class (RichParallelSourceFunction) gets one fresh instance per subtask.
   */
  addSource<T>(source: SourceFunctionLike<T> | { createReader?: unknown }, nameOrType?: string | TypeInformation<T>, type?: TypeInformation<T>): SingleOutputStreamOperator<T> {
    const name = typeof nameOrType === "string" ? nameOrType : "Custom Source";
    const outType = typeof nameOrType === "object" ? nameOrType : type;
    const asSplit = source as unknown as { toSplitSource?: () => SplitSource<T>; parallel?: boolean; bounded?: boolean; type?: TypeInformation<T> };
    if (typeof asSplit.toSplitSource === "function")
      return this.sourceFrom({ name, create: () => asSplit.toSplitSource!(), type: outType ?? asSplit.type, parallel: asSplit.parallel ?? true, bounded: asSplit.bounded ?? true });
    const fn = source as SourceFunctionLike<T>;
    if (typeof fn.run !== "function") throw new InvalidProgramError(`addSource '${name}': expected a SourceFunction with run(ctx) and cancel()`);
    const parallel = isParallelSource(fn);
    // Each slot replays main() and so holds its own instance: the first subtask built here runs
    // the user's object itself (ES #private fields and nested class instances intact); only
    // another subtask (or source) built from the same object in this thread gets a copy.
    const create = () => {
      const instance = handedOutSources.has(fn) ? cloneFunction(fn) : fn;
      handedOutSources.add(fn);
      return new SourceFunctionSource(instance, true, name);
    };
    return this.sourceFrom({ name, create, type: outType, parallel, bounded: true });
  }

  /** fromSource(source, watermarkStrategy, name): a Source object (DataGeneratorSource, NexmarkSource...). */
  fromSource<T>(source: { toSplitSource(): SplitSource<T>; parallel?: boolean; bounded?: boolean; type?: TypeInformation<T> }, _watermarkStrategy?: unknown, name = "Source"): SingleOutputStreamOperator<T> {
    return this.sourceFrom({ name, create: () => source.toSplitSource(), type: source.type, parallel: source.parallel ?? true, bounded: source.bounded ?? true });
  }

  private sourceFrom<T>(spec: SourceSpec<T>): SingleOutputStreamOperator<T> {
    return new SingleOutputStreamOperator<T>(this, this.addSourceTransformation(spec as SourceSpec<unknown>));
  }

  // ---- execution ----

  async execute(jobName?: string): Promise<JobExecutionResult> {
    return new JobExecutionResult(await this.run(jobName));
  }

  async executeAsync(jobName?: string): Promise<JobClient> {
    return new JobClient(await this.submit(jobName));
  }

  /** Runs the program with an extra collecting sink and returns what reached it. */
  async collectWith(sink: Transformation, channel: string, jobName?: string, limit?: number): Promise<unknown[]> {
    const r = await this.run(jobName, [sink], [channel], limit);
    return r.collected[channel] ?? [];
  }

  protected runtimeMode(): RuntimeMode {
    if (this.mode === "AUTOMATIC") return this.sinks.every((s) => allSourcesBounded(s)) ? "BATCH" : "STREAMING";
    if (this.mode === "BATCH") {
      const unbounded = this.sinks.map(firstUnboundedSource).find((t) => t !== undefined);
      if (unbounded)
        throw new InvalidProgramError(`source '${unbounded.name}' is unbounded, and the runtime mode is BATCH; set the runtime mode to STREAMING or AUTOMATIC`);
    }
    return this.mode;
  }

  protected blockingShuffles(): boolean {
    return this.isBatchMode();
  }

  protected bufferTimeoutMs(): number {
    return this.bufferTimeout;
  }

  protected defaultJobName(): string {
    return "Flink Streaming Job";
  }

  /** Whether the job being run is in BATCH mode; asked by operators when they are created. */
  isBatchMode(): boolean {
    return (this.resolvedMode ?? this.runtimeMode()) === "BATCH";
  }
}

function allSourcesBounded(t: Transformation): boolean {
  return firstUnboundedSource(t) === undefined;
}

function firstUnboundedSource(t: Transformation): Transformation | undefined {
  if (t.kind === "source") return t.props.bounded === false ? t : undefined;
  for (const i of t.inputs) {
    const u = firstUnboundedSource(i);
    if (u) return u;
  }
  return undefined;
}

/** Class instances whose class declares itself parallel (RichParallelSourceFunction, ParallelSourceFunction). */
function isParallelSource(fn: object): boolean {
  let proto = Object.getPrototypeOf(fn);
  while (proto && proto !== Object.prototype) {
    if (proto.constructor?.isParallelSource === true) return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

/** Source functions already running in this thread: a second user gets a copy. */
const handedOutSources = new WeakSet<object>();

/** A copy of a function object for another subtask: same class, own fields copied. */
function cloneFunction<T extends object>(fn: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(fn)), copyFields(fn));
}

/** Plain data is deep-copied; class instances keep their prototype (a shallow copy); functions are shared. */
function copyFields(o: object): object {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== "object" || v === null) copy[k] = v;
    else if (!isPlainData(v)) copy[k] = Object.assign(Object.create(Object.getPrototypeOf(v)), v);
    else {
      try {
        copy[k] = structuredClone(v);
      } catch {
        copy[k] = v;
      }
    }
  }
  return copy;
}

function isPlainData(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Array.isArray(v) || v instanceof Map || v instanceof Set || v instanceof Date || ArrayBuffer.isView(v);
}
