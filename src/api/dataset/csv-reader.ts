/** CsvReader: the builder readCsvFile(path) returns (Flink's CsvReader); types(...) makes the DataSet of tuples. */
import type { TypeInformation } from "../../types/type-information.ts";
import type { CsvFormat } from "../../connectors/csv.ts";
import { resolveCsvFormat } from "../../connectors/csv.ts";
import { CsvSource } from "../../connectors/csv-source.ts";
import { csvParsersFor } from "../csv-types.ts";
import { checkArgument, InvalidProgramError } from "../../core/errors.ts";
import type { ExecutionEnvironment } from "./execution-environment.ts";
import type { DataSet } from "./data-set.ts";
import { fileEstimate } from "./source-estimates.ts";

/**
 * As in Flink, quoted strings are not parsed unless parseQuotedStrings(char) is called, and every
 * column is read (each line must have one per type) unless includeFields selects some.
 */
export class CsvReader {
  private readonly format: CsvFormat = { quoteCharacter: null };

  constructor(
    private readonly env: ExecutionEnvironment,
    readonly path: string,
  ) {}

  fieldDelimiter(delimiter: string): this {
    this.format.fieldDelimiter = delimiter;
    return this;
  }

  /** "\n" (the default) or "\r\n"; either way a "\r" before "\n" is dropped. */
  lineDelimiter(delimiter: string): this {
    if (delimiter !== "\n" && delimiter !== "\r\n") throw new InvalidProgramError(`readCsvFile(${this.path}): line delimiter ${JSON.stringify(delimiter)} is not supported; use "\\n" or "\\r\\n"`);
    this.format.lineDelimiter = delimiter;
    return this;
  }

  ignoreFirstLine(): this {
    this.format.ignoreFirstLine = true;
    return this;
  }

  /** Skips lines that start with `prefix`. */
  ignoreComments(prefix: string): this {
    this.format.ignoreComments = prefix;
    return this;
  }

  /** Fields that start with `quoteCharacter` are quoted (a doubled one inside stands for itself). */
  parseQuotedStrings(quoteCharacter: string): this {
    this.format.quoteCharacter = quoteCharacter;
    return this;
  }

  /** Skips lines that cannot be parsed instead of failing the job. */
  ignoreInvalidLines(): this {
    this.format.lenient = true;
    return this;
  }

  /**
   * Which columns to read: booleans (`true, false, true`), a string mask (`"101"`, or "T"/"F"),
   * or a number whose bit i selects column i.
   */
  includeFields(...mask: boolean[] | [string] | [number]): this {
    this.format.includedFields = parseMask(mask, this.path);
    return this;
  }

  /** The field types, one per included column; the DataSet holds tuples (JS arrays) of them. */
  types<R extends unknown[] = unknown[]>(...types: TypeInformation[]): DataSet<R> {
    checkArgument(types.length > 0, `readCsvFile(${this.path}).types(): give at least one field type`);
    const single = types.length === 1 && (types[0]!.kind === "TUPLE" || types[0]!.kind === "ROW") ? types[0]! : types;
    const { parsers, type, fieldNames } = csvParsersFor(single, `readCsvFile(${this.path})`);
    const format = { ...this.format };
    resolveCsvFormat(format);
    const mask = format.includedFields;
    if (mask && mask.filter(Boolean).length !== parsers.length)
      throw new InvalidProgramError(`readCsvFile(${this.path}): includeFields selects ${mask.filter(Boolean).length} columns but ${parsers.length} field types are given`);
    const path = this.path;
    return this.env.createSource<R>({ name: `CSV File Source (${path})`, create: () => new CsvSource(path, parsers, format, fieldNames) as any, type: type as TypeInformation<R>, parallel: true, estimate: fileEstimate(path) });
  }
}

function parseMask(mask: boolean[] | [string] | [number], path: string): boolean[] {
  const what = `readCsvFile(${path}).includeFields`;
  if (mask.length === 1 && typeof mask[0] === "string") {
    return [...mask[0]].map((c) => {
      if (c === "1" || c === "T" || c === "t") return true;
      if (c === "0" || c === "F" || c === "f") return false;
      throw new InvalidProgramError(`${what}: mask '${mask[0]}' may only hold 1/0 or T/F, found '${c}'`);
    });
  }
  if (mask.length === 1 && typeof mask[0] === "number") {
    const bits = mask[0];
    checkArgument(Number.isSafeInteger(bits) && bits > 0, `${what}: a bit mask must be a positive integer, got ${bits}`);
    return [...bits.toString(2)].reverse().map((b) => b === "1");
  }
  if (!mask.every((m) => typeof m === "boolean")) throw new InvalidProgramError(`${what}: give booleans, one mask string, or one bit-mask number`);
  checkArgument(mask.length > 0, `${what}: give at least one column`);
  return mask as boolean[];
}
