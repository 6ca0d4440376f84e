/** flinkts/testing: operator test harnesses with test-driven time, and a mini cluster that runs whole jobs in a test. */
export { AbstractStreamOperatorTestHarness, type SubtaskPosition, type OperatorStateSnapshot } from "./harness-base.ts";
export { OneInputStreamOperatorTestHarness, KeyedOneInputStreamOperatorTestHarness, operatorOf, type OneInputOperatorOrFunction } from "./one-input-harness.ts";
export { TwoInputStreamOperatorTestHarness, KeyedTwoInputStreamOperatorTestHarness, type TwoInputOperatorOrFunction } from "./two-input-harness.ts";
export { TestProcessingTimeService } from "./test-time.ts";
export type { OutputElement, StreamRecord, WatermarkElement, WatermarkStatusElement, TagRef } from "./test-output.ts";
export { copyState } from "./state-copy.ts";
export { MiniClusterWithClientResource, type MiniClusterResourceConfiguration, type JobRunResult } from "./mini-cluster.ts";
