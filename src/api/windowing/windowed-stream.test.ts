/** WindowedStream and AllWindowedStream as a program is built: validation with Flink's messages, operator names, windowAll's parallelism. */
import { describe, expect, test } from "bun:test";
import { StreamExecutionEnvironment } from "../stream-execution-environment.ts";
import { RichReduceFunction } from "../functions.ts";
import { OutputTag } from "../output-tag.ts";
import { Time } from "../time.ts";
import { Types } from "../../types/types.ts";
import { CountEvictor, EventTimeSessionWindows, EventTimeTrigger, GlobalWindows, SlidingEventTimeWindows, Trigger, TriggerResult, TumblingEventTimeWindows } from "./index.ts";
import "../datastream/keyed-stream.ts";

const env = () => new StreamExecutionEnvironment();
const keyed = () => env().fromElements<[string, number]>(["a", 1], ["b", 2]).keyBy((e) => e[0]);

class NonMerging extends Trigger {
  onElement() {
    return TriggerResult.CONTINUE;
  }
  onEventTime() {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime() {
    return TriggerResult.CONTINUE;
  }
}

describe("WindowedStream", () => {
  test("names the operator after assigner, trigger, evictor and functions", () => {
    const r = keyed().window(TumblingEventTimeWindows.of(Time.seconds(5))).reduce((a, b) => a);
    expect(r.transformation.name).toBe("Window(TumblingEventTimeWindows(5000), EventTimeTrigger(), ReduceFunction, PassThroughWindowFunction)");
    expect(r.transformation.operatorKind).toBe("window");
    const c = keyed().countWindow(3, 1).sum(1);
    expect(c.transformation.name).toBe("Window(GlobalWindows(), CountTrigger(1), CountEvictor(3), SumAggregator(1), PassThroughWindowFunction)");
    const p = keyed().window(SlidingEventTimeWindows.of(10, 5)).process(function describe() {});
    expect(p.transformation.name).toBe("Window(SlidingEventTimeWindows(10, 5), EventTimeTrigger(), describe)");
  });

  test("the output type: the input's for reduce and aggregations, the given one otherwise", () => {
    const typed = env().fromElements(["a", 1]).returns(Types.TUPLE(Types.STRING, Types.INT)).keyBy(0);
    expect(typed.window(TumblingEventTimeWindows.of(5)).max(1).getType()?.toString()).toBe("TUPLE(STRING, INT)");
    expect(typed.window(TumblingEventTimeWindows.of(5)).apply(() => {}, Types.STRING).getType()).toBe(Types.STRING);
    expect(typed.window(TumblingEventTimeWindows.of(5)).aggregate({ createAccumulator: () => 0, add: () => 0, getResult: () => "" }, Types.STRING).getType()).toBe(Types.STRING);
  });

  test("refuses what Flink refuses", () => {
    expect(() => keyed().window(EventTimeSessionWindows.withGap(5)).trigger(new NonMerging())).toThrow("A merging window assigner cannot be used with a trigger that does not support merging");
    expect(() => keyed().window(TumblingEventTimeWindows.of(5)).allowedLateness(-1)).toThrow("The allowed lateness cannot be negative");
    class Rich extends RichReduceFunction<[string, number]> {
      reduce(a: [string, number]) {
        return a;
      }
    }
    expect(() => keyed().window(TumblingEventTimeWindows.of(5)).reduce(new Rich())).toThrow("ReduceFunction of reduce can not be a RichFunction");
    expect(() => keyed().window({} as never)).toThrow("expected a WindowAssigner");
    expect(() => keyed().window(TumblingEventTimeWindows.of(5)).evictor({} as never)).toThrow("expected an Evictor");
    expect(() => keyed().window(TumblingEventTimeWindows.of(5)).aggregate({} as never)).toThrow("expected an AggregateFunction");
  });

  test("settings are fluent and apply to the next window function", () => {
    const w = keyed().window(TumblingEventTimeWindows.of(5));
    expect(w.trigger(EventTimeTrigger.create()).evictor(CountEvictor.of(2)).allowedLateness(Time.seconds(1)).sideOutputLateData(new OutputTag("late"))).toBe(w);
  });
});

describe("AllWindowedStream", () => {
  test("windowAll keys everything to one key and runs at parallelism 1", () => {
    const r = env().fromElements(1, 2, 3).windowAll(GlobalWindows.create()).trigger(EventTimeTrigger.create()).reduce((a, b) => a + b);
    expect(r.transformation.name).toBe("AllWindow(GlobalWindows(), EventTimeTrigger(), ReduceFunction, PassThroughWindowFunction)");
    expect(r.getParallelism()).toBe(1);
    expect(r.transformation.inputs[0]!.props.partitioner).toBe("hash");
  });
});
