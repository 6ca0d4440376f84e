/**
 * What the DataStream and DataSet environments share: numbering transformations, parallelism
 * and configuration, and turning the recorded sinks into a job that runs (or is captured).
 */
import { Transformation, type TransformationKind, type TransformationProps } from "../graph/transformation.ts";
import { buildStreamGraph } from "../graph/stream-graph.ts";
import { generateJobGraph, type TranslatedJob } from "../graph/job-graph-generator.ts";
import { executionDefaults, runExecution, submitExecution, type ExecutionResultData, type JobHandle } from "./execution-context.ts";
import { Configuration, ConfigKeys } from "../core/config.ts";
import { DEFAULT_MAX_PARALLELISM } from "../types/key-group.ts";
import { checkArgument } from "../core/errors.ts";
import { newId } from "../core/clock.ts";
import type { RuntimeMode } from "../runtime/jobgraph/job-graph.ts";
import type { SplitSource } from "../runtime/operators/source.ts";
import type { TypeInformation } from "../types/type-information.ts";
import { SourceOperator } from "../runtime/operators/source-operator.ts";

export interface SourceSpec<T> {
  name: string;
  create: () => SplitSource<T>;
  type?: TypeInformation<T>;
  parallel: boolean;
  bounded?: boolean;
}

export function defaultParallelism(): number {
  const d = executionDefaults();
  if (d.parallelism && d.parallelism > 0) return d.parallelism;
  const conf = new Configuration(d.config);
  return conf.getInt(ConfigKeys.parallelismDefault, navigator.hardwareConcurrency || 1);
}

export abstract class EnvironmentBase {
  protected nextId = 1;
  protected parallelism = -1;
  protected maxParallelism = -1;
  protected sinks: Transformation[] = [];
  protected chainingEnabled = true;
  /** The runtime mode of the job last translated; operators created for it read this. */
  protected resolvedMode: RuntimeMode | undefined;
  readonly config: Configuration;

  constructor() {
    this.config = new Configuration(executionDefaults().config);
  }

  setParallelism(parallelism: number): this {
    checkArgument(Number.isInteger(parallelism) && parallelism > 0, `parallelism must be a positive integer, got ${parallelism}`);
    this.parallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.parallelism > 0 ? this.parallelism : defaultParallelism();
  }

  setMaxParallelism(maxParallelism: number): this {
    checkArgument(Number.isInteger(maxParallelism) && maxParallelism > 0 && maxParallelism <= 32768, `max parallelism must be in [1, 32768], got ${maxParallelism}`);
    this.maxParallelism = maxParallelism;
    return this;
  }

  getMaxParallelism(): number {
    return this.maxParallelism > 0 ? this.maxParallelism : this.config.getInt(ConfigKeys.maxParallelism, DEFAULT_MAX_PARALLELISM);
  }

  /** Records a new transformation. */
  addTransformation(kind: TransformationKind, inputs: Transformation[], props: TransformationProps): Transformation {
    return new Transformation(this.nextId++, kind, inputs, props);
  }

  /** Records a source: `create` makes one SplitSource per subtask; non-parallel sources run with parallelism 1. */
  protected addSourceTransformation(spec: SourceSpec<unknown>): Transformation {
    return this.addTransformation("source", [], {
      name: spec.name,
      operatorKind: "source",
      outputType: spec.type,
      createOperator: () => new SourceOperator(spec.create()),
      maxParallelism: spec.parallel ? undefined : 1,
      bounded: spec.bounded ?? true,
    });
  }

  addSink(t: Transformation): void {
    this.sinks.push(t);
  }

  protected abstract runtimeMode(): RuntimeMode;
  protected abstract blockingShuffles(): boolean;
  protected abstract bufferTimeoutMs(): number;
  protected abstract defaultJobName(): string;

  /** Translates the sinks recorded so far into a job, and forgets them (as Flink does after execute). */
  protected translate(jobName: string | undefined, extraSinks: Transformation[] = []): TranslatedJob {
    const sinks = [...this.sinks, ...extraSinks];
    checkArgument(sinks.length > 0, "no operators defined in the job: add a sink (print, addSink, writeAsText...) before execute()");
    this.sinks = sinks;
    let runtimeMode: RuntimeMode;
    try {
      runtimeMode = this.runtimeMode();
    } finally {
      // a program refused here is dropped too, so the next execute() starts clean
      this.sinks = [];
    }
    this.resolvedMode = runtimeMode;
    const graph = buildStreamGraph(jobName ?? this.defaultJobName(), sinks, this.getParallelism(), this.getMaxParallelism());
    return generateJobGraph(graph, {
      jobId: newId(),
      runtimeMode,
      blockingShuffles: this.blockingShuffles(),
      bufferTimeoutMs: this.bufferTimeoutMs(),
      maxParallelism: this.getMaxParallelism(),
      chainingEnabled: this.chainingEnabled,
    });
  }

  protected run(jobName: string | undefined, extraSinks: Transformation[] = [], channels: string[] = [], collectLimit?: number): Promise<ExecutionResultData> {
    const job = this.translate(jobName, extraSinks);
    job.collectLimit = collectLimit;
    return runExecution(job, channels);
  }

  protected submit(jobName: string | undefined): Promise<JobHandle> {
    return submitExecution(this.translate(jobName), []);
  }
}
