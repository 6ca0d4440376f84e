/**
 * projectFirst / projectSecond of joins and crosses: tuples made of chosen fields (or whole
 * records) of the two inputs, in the order the calls name them (Flink's ProjectJoin, ProjectCross).
 */
import type { TypeInformation } from "../../types/type-information.ts";
import { fieldType } from "../../types/type-information.ts";
import { Types } from "../../types/types.ts";
import { InvalidProgramError } from "../../core/errors.ts";
import type { DataSet } from "./data-set.ts";
import type { PairCall } from "./binary-functions.ts";
import { callText } from "./field-checks.ts";

/** One field of a projection: a position of the first or second input, or (field undefined) the whole record. */
export interface ProjectedField {
  side: 1 | 2;
  field?: number;
}

/** `before` extended by one projectFirst (side 1) or projectSecond (side 2) call, its fields checked against the input's type. */
export function projectMore(before: readonly ProjectedField[], side: 1 | 2, fields: readonly number[], input: DataSet<any>): ProjectedField[] {
  const what = callText(side === 1 ? "projectFirst" : "projectSecond", fields, input.getName());
  const type = input.transformation.outputType;
  if (type && fields.length > 0) {
    if (type.kind !== "TUPLE") throw new InvalidProgramError(`${what}: only tuple inputs can be projected by position, this one is ${type.toString()}`);
    for (const f of fields) fieldType(type, f, what);
  }
  return [...before, ...(fields.length === 0 ? [{ side }] : fields.map((field) => ({ side, field })))];
}

/** Builds the tuple of a projection from a pair (a null side gives null fields). */
export function projectionCall(fields: readonly ProjectedField[]): PairCall {
  const n = fields.length;
  return (a, b, out) => {
    const row = new Array(n);
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      const v = f.side === 1 ? a : b;
      row[i] = f.field === undefined ? v : v === null ? null : v[f.field];
    }
    out.collect(row);
  };
}

/** The tuple type of a projection, when the projected inputs' types are known. */
export function projectionType(fields: readonly ProjectedField[], first: DataSet<any>, second: DataSet<any>): TypeInformation | undefined {
  const types: TypeInformation[] = [];
  for (const f of fields) {
    const type = (f.side === 1 ? first : second).transformation.outputType;
    if (!type) return undefined;
    types.push(f.field === undefined ? type : fieldType(type, f.field, "projection"));
  }
  return Types.TUPLE(...types);
}
