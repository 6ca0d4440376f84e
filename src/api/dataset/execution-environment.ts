/**
 * ExecutionEnvironment: where DataSet programs start. A DataSet program is a streaming program
 * over bounded sources, translated to the same JobGraph and run by the same runtime.
 */
import { EnvironmentBase, type SourceSpec } from "../environment-base.ts";
import { inferElementType } from "../type-inference.ts";
import { JobExecutionResult } from "../job-execution-result.ts";
import type { ExecutionResultData } from "../execution-context.ts";
import type { TranslatedJob } from "../../graph/job-graph-generator.ts";
import type { Transformation } from "../../graph/transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import type { RuntimeMode } from "../../runtime/jobgraph/job-graph.ts";
import { CollectionSource, SequenceSource } from "../../connectors/collection-source.ts";
import { TextFileSource } from "../../connectors/text-file-source.ts";
import { Types } from "../../types/types.ts";
import { ConfigKeys } from "../../core/config.ts";
import { checkArgument } from "../../core/errors.ts";
import { DataSet } from "./data-set.ts";
import { CsvReader } from "./csv-reader.ts";
import { ExecutionConfig } from "./execution-config.ts";
import { optimizePlan } from "../../graph/optimizer/optimizer.ts";
import { registerSourceEstimate, type Estimate } from "../../graph/optimizer/plan-info.ts";
import { slotManagedMemoryBytes } from "../../runtime/operators/operator-memory.ts";
import { collectionEstimate, fileEstimate, sequenceEstimate } from "./source-estimates.ts";

/** A source: parallel ones (files, sequences) split their input; the others run in one subtask. `estimate` sizes it for the optimizer. */
export type DataSetSourceSpec<T> = SourceSpec<T> & { estimate?: () => Estimate };

export class ExecutionEnvironment extends EnvironmentBase {
  private readonly executionConfig = new ExecutionConfig();
  /** Operators that run at their input's parallelism unless set (combiners, local pre-shuffle steps, internal sinks). */
  private readonly followers: { t: Transformation; input: Transformation }[] = [];
  private lastResult: JobExecutionResult | undefined;

  static getExecutionEnvironment(): ExecutionEnvironment {
    return new ExecutionEnvironment();
  }

  /** A local environment: the same as getExecutionEnvironment() when no cluster was given. */
  static createLocalEnvironment(parallelism?: number): ExecutionEnvironment {
    const env = new ExecutionEnvironment();
    if (parallelism !== undefined) env.setParallelism(parallelism);
    return env;
  }

  getConfig(): ExecutionConfig {
    return this.executionConfig;
  }

  // ---- sources ----

  fromElements<T>(...elements: T[]): DataSet<T> {
    checkArgument(elements.length > 0, "fromElements needs at least one element; use fromCollection([], type) for an empty data set");
    return this.createSource({ name: "Collection Source", create: () => new CollectionSource(elements), type: inferElementType(elements) as TypeInformation<T> | undefined, parallel: false, estimate: collectionEstimate(elements) });
  }

  fromCollection<T>(collection: Iterable<T>, type?: TypeInformation<T>): DataSet<T> {
    const items = [...collection];
    return this.createSource({ name: "Collection Source", create: () => new CollectionSource(items), type: type ?? (inferElementType(items) as TypeInformation<T> | undefined), parallel: false, estimate: collectionEstimate(items) });
  }

  /** The numbers from..to, both included, split across the parallel subtasks. */
  generateSequence(from: number, to: number): DataSet<number> {
    checkArgument(Number.isSafeInteger(from) && Number.isSafeInteger(to), `generateSequence(${from}, ${to}): bounds must be safe integers`);
    checkArgument(from <= to, `generateSequence(${from}, ${to}): from must not be greater than to`);
    return this.createSource({ name: `Sequence Source (${from}..${to})`, create: () => new SequenceSource(from, to), type: Types.LONG, parallel: true, estimate: sequenceEstimate(from, to) });
  }

  /** The lines of a file, or of every file in a directory, read in parallel. */
  readTextFile(path: string): DataSet<string> {
    return this.createSource({ name: `Text File Source (${path})`, create: () => new TextFileSource(path), type: Types.STRING, parallel: true, estimate: fileEstimate(path) });
  }

  readCsvFile(path: string): CsvReader {
    return new CsvReader(this, path);
  }

  createSource<T>(spec: DataSetSourceSpec<T>): DataSet<T> {
    const t = this.addSourceTransformation(spec as DataSetSourceSpec<unknown>);
    if (spec.estimate) registerSourceEstimate(t, spec.estimate);
    return new DataSet<T>(this, t);
  }

  // ---- execution ----

  /** Runs the sinks defined since the last execution (writeAsText, writeAsCsv, output). */
  async execute(jobName?: string): Promise<JobExecutionResult> {
    return this.remember(await this.run(jobName));
  }

  /** The result of the last execution (execute, collect, count, print), if any. */
  getLastJobExecutionResult(): JobExecutionResult | undefined {
    return this.lastResult;
  }

  /** The JobGraph the sinks defined so far would run as, as JSON; nothing runs and the sinks stay defined. */
  getExecutionPlan(jobName?: string): string {
    const sinks = this.sinks;
    try {
      return JSON.stringify(this.translate(jobName).jobGraph, null, 2);
    } finally {
      this.sinks = sinks;
    }
  }

  /** Runs the program with an extra sink that sends to `channel`, and returns what reached it. */
  async collectWith(sink: Transformation, channel: string, jobName?: string): Promise<unknown[]> {
    const r = await this.run(jobName, [sink], [channel]);
    this.remember(r);
    return r.collected[channel] ?? [];
  }

  /** Makes `t` run at the parallelism `input` runs at (so it chains to it), unless the program sets one. */
  followInputParallelism(t: Transformation, input: Transformation): void {
    this.followers.push({ t, input });
  }

  protected override translate(jobName: string | undefined, extraSinks: Transformation[] = []): TranslatedJob {
    // inputs have smaller ids than their consumers, so a follower's input is resolved before it
    for (const { t, input } of this.followers) {
      if (t.parallelismSetByUser) continue;
      t.parallelism = input.isPhysical ? this.effectiveParallelism(input) : -1;
    }
    const plans = optimizePlan([...this.sinks, ...extraSinks], {
      parallelismOf: (t) => this.effectiveParallelism(t),
      managedMemoryBytes: slotManagedMemoryBytes(this.config, this.config.getInt(ConfigKeys.numberOfTaskSlots, 1)),
    });
    const job = super.translate(jobName, extraSinks);
    for (const v of job.jobGraph.vertices)
      for (const o of v.operators) {
        const plan = plans.get(o.id);
        if (plan) o.optimizer = plan;
      }
    return job;
  }

  /** What buildStreamGraph will give a physical transformation. */
  private effectiveParallelism(t: Transformation): number {
    const p = t.parallelism > 0 ? t.parallelism : this.getParallelism();
    const limit = t.props.maxParallelism;
    return limit !== undefined && !t.parallelismSetByUser ? Math.min(p, limit) : p;
  }

  private remember(r: ExecutionResultData): JobExecutionResult {
    this.lastResult = new JobExecutionResult(r);
    return this.lastResult;
  }

  protected runtimeMode(): RuntimeMode {
    return "BATCH";
  }

  protected blockingShuffles(): boolean {
    return this.executionConfig.isBlocking();
  }

  protected bufferTimeoutMs(): number {
    return this.config.getDurationMs(ConfigKeys.bufferTimeout, 100);
  }

  protected defaultJobName(): string {
    return "Flink DataSet Job";
  }
}
