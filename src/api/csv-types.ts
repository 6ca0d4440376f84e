/** Turns the types a user gives readCsvFile into the connector's field parsers and the stream's type. */
import type { TypeInformation } from "../types/type-information.ts";
import { Types } from "../types/types.ts";
import { csvFieldParserFor, CSV_FIELD_KINDS, type CsvFieldParser } from "../connectors/csv-field-parsers.ts";
import { InvalidProgramError } from "../core/errors.ts";

export function csvParsersFor(types: TypeInformation[] | TypeInformation | undefined, what: string): { parsers: CsvFieldParser[]; type: TypeInformation; fieldNames?: string[] } {
  if (types === undefined) throw new InvalidProgramError(`${what}: give the field types, e.g. { types: [Types.STRING, Types.INT] }`);
  let fields: TypeInformation[];
  let fieldNames: string[] | undefined;
  let type: TypeInformation;
  if (Array.isArray(types)) {
    fields = types;
    type = Types.TUPLE(...types);
  } else if (types.kind === "TUPLE" || types.kind === "ROW") {
    fields = types.fieldTypes!;
    fieldNames = types.kind === "ROW" ? types.fieldNames : undefined;
    type = types;
  } else {
    fields = [types];
    type = Types.TUPLE(types);
  }
  const parsers = fields.map((t, i) => {
    const nullable = t.kind === "NULLABLE";
    const kind = nullable ? t.innerType!.kind : t.kind;
    if (!CSV_FIELD_KINDS.includes(kind)) throw new InvalidProgramError(`${what}: field ${i} has type ${t.toString()}, which CSV cannot hold; use ${CSV_FIELD_KINDS.join(", ")}`);
    return csvFieldParserFor(kind, nullable);
  });
  return { parsers, type, fieldNames };
}
