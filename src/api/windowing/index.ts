/** The windowing API: assigners, windows, triggers, evictors and window functions (re-exported by "flinkts"). */
export { TimeWindow, GlobalWindow, type Window } from "../../runtime/operators/window/windows.ts";
export { WindowAssigner, MergingWindowAssigner, GlobalWindows, type WindowAssignerContext } from "../../runtime/operators/window/window-assigner.ts";
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows, SlidingEventTimeWindows, SlidingProcessingTimeWindows } from "../../runtime/operators/window/time-window-assigners.ts";
export { EventTimeSessionWindows, ProcessingTimeSessionWindows, type SessionWindowTimeGapExtractor } from "../../runtime/operators/window/session-window-assigners.ts";
export { Trigger, TriggerResult, type TriggerContext, type OnMergeContext } from "../../runtime/operators/window/trigger.ts";
export { EventTimeTrigger, ProcessingTimeTrigger, CountTrigger, PurgingTrigger, ContinuousEventTimeTrigger, NeverTrigger } from "../../runtime/operators/window/triggers.ts";
export { CountEvictor, TimeEvictor, DeltaEvictor, TimestampedValue, type Evictor, type EvictorContext, type DeltaFunction } from "../../runtime/operators/window/evictors.ts";
export {
  ProcessWindowFunction,
  ProcessAllWindowFunction,
  RichWindowFunction,
  RichAllWindowFunction,
  type WindowFunction,
  type AllWindowFunction,
  type ProcessWindowFunctionContext,
  type KeyedStateStore,
} from "./window-functions.ts";
