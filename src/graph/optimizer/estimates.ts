/**
 * Size estimates of every transformation, from sources outward, with Flink's default guesses
 * where an operator's effect is unknown: filters keep half, flatMaps multiply by five, joins
 * yield as many rows as their larger input, grouped operators an unknown number.
 */
import type { Transformation } from "../transformation.ts";
import type { TypeInformation } from "../../types/type-information.ts";
import { binaryInfo, sourceEstimate, type Estimate } from "./plan-info.ts";

/** Rows and average bytes per row; either may be unknown (undefined). */
export interface SizeEstimate {
  rows?: number;
  width?: number;
}

export function bytesOf(e: SizeEstimate): number | undefined {
  return e.rows !== undefined && e.width !== undefined ? Math.round(e.rows * e.width) : undefined;
}

/** Operators that emit their input records, as many as they get. */
const SAME_RECORDS = new Set(["sort-partition", "range-assign", "range-strip"]);
/** Whole-data-set reductions (a global shuffle into one subtask): one record. */
const ONE_RECORD = new Set(["reduce", "aggregate", "minby", "maxby"]);

export class Estimator {
  private readonly memo = new Map<number, SizeEstimate>();

  estimate(t: Transformation): SizeEstimate {
    let e = this.memo.get(t.id);
    if (!e) this.memo.set(t.id, (e = this.compute(t)));
    return e;
  }

  private compute(t: Transformation): SizeEstimate {
    switch (t.kind) {
      case "source":
        return fromSource(sourceEstimate(t)?.(), t.outputType);
      case "partition":
      case "side-output":
      case "sink":
        return this.estimate(t.inputs[0]!);
      case "union":
        return union(t.inputs.map((i) => this.estimate(i)));
      case "two-input":
        return this.binary(t);
      case "one-input":
        return this.oneInput(t, this.estimate(t.inputs[0]!));
    }
  }

  private binary(t: Transformation): SizeEstimate {
    const info = binaryInfo(t);
    const a = this.estimate(t.inputs[0]!);
    // a one-input operator given broadcast sets runs as a two-input one: its size is its main input's
    if (!info) return this.oneInput(t, a);
    const b = this.estimate(t.inputs[1]!);
    const width = a.width !== undefined && b.width !== undefined ? a.width + b.width : typeWidth(t.outputType);
    const rows = (x: number, y: number) => (info.kind === "cross" ? x * y : Math.max(x, y));
    if (info.kind === "cogroup" || a.rows === undefined || b.rows === undefined) return { width };
    return { rows: rows(a.rows, b.rows), width };
  }

  private oneInput(t: Transformation, input: SizeEstimate): SizeEstimate {
    const kind = t.operatorKind;
    const width = typeWidth(t.outputType) ?? input.width;
    if (kind === "filter") return scale(input, 0.5);
    if (kind === "flatMap") return { rows: input.rows === undefined ? undefined : input.rows * 5, width };
    if (kind === "map") return { rows: input.rows, width };
    // combiners emit at most their input
    if (SAME_RECORDS.has(kind) || kind.endsWith("-combine")) return input;
    if (ONE_RECORD.has(kind) && isGlobal(t.inputs[0]!)) return { rows: 1, width };
    return { width };
  }
}

function isGlobal(input: Transformation): boolean {
  return input.kind === "partition" && input.props.partitioner === "global";
}

function fromSource(e: Estimate | undefined, type: TypeInformation | undefined): SizeEstimate {
  if (!e) return { width: typeWidth(type) };
  const width = e.rows !== undefined && e.bytes !== undefined && e.rows > 0 ? e.bytes / e.rows : typeWidth(type);
  const rows = e.rows ?? (e.bytes !== undefined && width !== undefined && width > 0 ? Math.round(e.bytes / width) : undefined);
  return { rows, width };
}

function union(parts: SizeEstimate[]): SizeEstimate {
  let rows = 0;
  let bytes = 0;
  for (const p of parts) {
    if (p.rows === undefined) return {};
    rows += p.rows;
    if (p.width === undefined) return { rows };
    bytes += p.rows * p.width;
  }
  return { rows, width: rows > 0 ? bytes / rows : parts[0]?.width };
}

function scale(e: SizeEstimate, factor: number): SizeEstimate {
  return { rows: e.rows === undefined ? undefined : Math.round(e.rows * factor), width: e.width };
}

/** Serialized bytes of a record of this type when every field has a fixed size; undefined otherwise. */
export function typeWidth(type: TypeInformation | undefined): number | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case "INT":
    case "FLOAT":
      return 4;
    case "LONG":
    case "DOUBLE":
    case "INSTANT":
      return 8;
    case "BOOLEAN":
      return 1;
    case "TUPLE":
    case "ROW": {
      let sum = 0;
      for (const f of type.fieldTypes ?? []) {
        const w = typeWidth(f);
        if (w === undefined) return undefined;
        sum += w;
      }
      return sum;
    }
    default:
      return undefined;
  }
}
