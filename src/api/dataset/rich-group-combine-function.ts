/** RichGroupCombineFunction: a combineGroup function with open/close and a RuntimeContext (Flink's class of that name). */
import { AbstractRichFunction, type Collector } from "../functions.ts";

export abstract class RichGroupCombineFunction<I, O> extends AbstractRichFunction {
  abstract combine(values: Iterable<I>, out: Collector<O>): void;
}
