/**
 * The functions that see a whole window, as Flink's: ProcessWindowFunction (with a context),
 * WindowFunction (apply), and their non-keyed All variants.
 */
import { AbstractRichFunction, type Collector } from "../functions.ts";
import type { OutputTag } from "../output-tag.ts";
import type { KeyedStateStore } from "../../runtime/operators/window/window-contexts.ts";
import type { Window } from "../../runtime/operators/window/windows.ts";

export type { KeyedStateStore } from "../../runtime/operators/window/window-contexts.ts";

/** What a ProcessWindowFunction sees besides the elements. */
export interface ProcessWindowFunctionContext<W extends Window = Window> {
  window(): W;
  currentProcessingTime(): number;
  currentWatermark(): number;
  /** State of the current key in this window (not for merging windows); clear it in clear(). */
  windowState(): KeyedStateStore;
  /** State of the current key across all its windows. */
  globalState(): KeyedStateStore;
  /** Emits to a side output; the record carries the window's maxTimestamp(). */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Sees all elements of a window of one key (or the single result of reduce/aggregate) when it
 * fires. Records it collects carry the window's maxTimestamp().
 */
export abstract class ProcessWindowFunction<IN, OUT, KEY = unknown, W extends Window = Window> extends AbstractRichFunction {
  abstract process(key: KEY, context: ProcessWindowFunctionContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  /** The window is dropped: delete per-window state here. */
  clear(_context: ProcessWindowFunctionContext<W>): void {}
}

/** ProcessWindowFunction for windowAll: no key. */
export abstract class ProcessAllWindowFunction<IN, OUT, W extends Window = Window> extends AbstractRichFunction {
  abstract process(context: ProcessWindowFunctionContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  clear(_context: ProcessWindowFunctionContext<W>): void {}
}

/** Flink's WindowFunction: apply(key, window, input, out), as a function or an object. */
export type WindowFunction<IN, OUT, KEY = unknown, W extends Window = Window> =
  | ((key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>) => void)
  | { apply(key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>): void };

/** Flink's AllWindowFunction: apply(window, input, out). */
export type AllWindowFunction<IN, OUT, W extends Window = Window> =
  | ((window: W, input: Iterable<IN>, out: Collector<OUT>) => void)
  | { apply(window: W, input: Iterable<IN>, out: Collector<OUT>): void };

export abstract class RichWindowFunction<IN, OUT, KEY = unknown, W extends Window = Window> extends AbstractRichFunction {
  abstract apply(key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}

export abstract class RichAllWindowFunction<IN, OUT, W extends Window = Window> extends AbstractRichFunction {
  abstract apply(window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}
