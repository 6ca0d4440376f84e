/** Flink's readCsvFile: typed tuples (or rows) from the lines of CSV files, read in parallel. */
import { UserError, checkArgument } from "../core/errors.ts";
import type { SourceOutput, SplitSource } from "../runtime/operators/source.ts";
import { CsvSyntaxIssue, resolveCsvFormat, splitCsvLine, type CsvFormat, type ResolvedCsvFormat } from "./csv.ts";
import { CsvByteParser, FALLBACK } from "./csv-byte-parser.ts";
import { BadField, fieldConversion, kindWithArticle, type CsvFieldParser, type FieldConversion } from "./csv-field-parsers.ts";
import { FileSplitQueue, listInputFiles } from "./file-splits.ts";
import type { OperatorContext } from "../runtime/operators/operator-context.ts";
import { type LineSplitReader, SplitLineReaders } from "./line-split-reader.ts";

const SKIPPED: unique symbol = Symbol("skipped line");
const NEWLINE = 10;
const CR = 13;
const EXCERPT_LENGTH = 80;

function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH)}...`;
}

/**
 * Each subtask reads the lines starting in its byte range (as TextFileSource) and turns each
 * into a JS array with one value per field parser, or a plain object keyed by `rowFieldNames`.
 *
 * Skipped without a record: the first line of each file with `ignoreFirstLine`, comment lines,
 * and empty lines. A malformed line fails the job with a UserError
 * `orders.csv:17: field 2 'abc' is not an INT` (file, 1-based line, 0-based column), or is
 * counted in `skippedLines` and dropped when the format is lenient.
 *
 * Lines are parsed from the read buffer's bytes (CsvByteParser) when the delimiter is one ASCII
 * character; a line the byte parser leaves (quotes, exponents, errors) is decoded and parsed
 * as text, as are all lines of other formats.
 */
export class CsvSource<T = unknown> implements SplitSource<T> {
  readonly bounded = true;
  /** Malformed lines dropped by a lenient format, in this subtask. */
  skippedLines = 0;
  private readonly format: ResolvedCsvFormat;
  /** For each output field: its column in the line, conversion, nullability. */
  private readonly columns: number[] = [];
  private readonly conversions: FieldConversion[];
  private readonly nullable: boolean[];
  private readonly requiredColumns: number;
  private readonly byteParser: CsvByteParser | null;
  private readonly commentBytes: Uint8Array | null;
  private readers: SplitLineReaders | null = null;
  private nextInputSplit: (() => Promise<number>) | undefined;
  private cancelled = false;

  constructor(
    readonly path: string,
    private readonly fieldParsers: readonly CsvFieldParser[],
    format: CsvFormat = {},
    private readonly rowFieldNames?: readonly string[],
  ) {
    this.format = resolveCsvFormat(format);
    checkArgument(fieldParsers.length > 0, `CSV source ${path} needs at least one field type`);
    const mask = this.format.includedFields;
    if (mask === null) {
      for (let i = 0; i < fieldParsers.length; i++) this.columns.push(i);
      this.requiredColumns = fieldParsers.length;
    } else {
      mask.forEach((included, column) => included && this.columns.push(column));
      checkArgument(
        this.columns.length === fieldParsers.length,
        `CSV source ${path}: includedFields selects ${this.columns.length} columns but ${fieldParsers.length} field types are given`,
      );
      this.requiredColumns = mask.length;
    }
    checkArgument(
      rowFieldNames === undefined || rowFieldNames.length === fieldParsers.length,
      `CSV source ${path}: ${rowFieldNames?.length} field names given for ${fieldParsers.length} field types`,
    );
    this.conversions = fieldParsers.map(fieldConversion);
    this.nullable = fieldParsers.map((p) => p.nullable);
    const { fieldDelimiter, quoteCharacter, commentPrefix } = this.format;
    this.byteParser = CsvByteParser.supports(fieldDelimiter, quoteCharacter, commentPrefix)
      ? new CsvByteParser(fieldParsers, this.conversions, this.columns, this.requiredColumns, mask, fieldDelimiter, quoteCharacter, rowFieldNames)
      : null;
    this.commentBytes = commentPrefix === null ? null : new TextEncoder().encode(commentPrefix);
  }

  bind(_operator: unknown, context: OperatorContext): void {
    this.nextInputSplit = context.nextInputSplit;
  }

  open(subtaskIndex: number, parallelism: number): void {
    this.readers = new SplitLineReaders(new FileSplitQueue(listInputFiles(this.path), subtaskIndex, parallelism, this.nextInputSplit));
  }

  /** Reads the current split; once it is done, takes the next (waiting while one is claimed). */
  emitNext(output: SourceOutput<T>, budget: number): boolean | Promise<boolean> {
    if (this.cancelled || this.readers === null) return false;
    return this.readers.emitNext((reader) => this.emitFrom(reader, output, budget));
  }

  /** Emits up to `budget` records from `reader`; false once it has no more lines. */
  private emitFrom(reader: LineSplitReader, output: SourceOutput<T>, budget: number): boolean {
    if (this.byteParser !== null) return this.emitFromBytes(reader, this.byteParser, output, budget);
    const { ignoreFirstLine, commentPrefix } = this.format;
    for (let i = 0; i < budget; i++) {
      const line = reader.nextLine();
      if (line === null) return false;
      if (line.length === 0 || (ignoreFirstLine && reader.isFirstLineOfFile())) continue;
      if (commentPrefix !== null && line.startsWith(commentPrefix)) continue;
      const record = this.parseLine(line);
      if (record !== SKIPPED) output.collect(record as T);
    }
    return true;
  }

  /** emitNext over the bytes of the read buffer. */
  private emitFromBytes(reader: LineSplitReader, parser: CsvByteParser, output: SourceOutput<T>, budget: number): boolean {
    const ignoreFirstLine = this.format.ignoreFirstLine;
    const comment = this.commentBytes;
    let buf = reader.bytes;
    let pos = reader.pos;
    let end = reader.end;
    for (let i = 0; i < budget; i++) {
      if (pos >= end) {
        reader.pos = pos;
        if (!reader.nextChunk()) return false;
        buf = reader.bytes;
        pos = reader.pos;
        end = reader.end;
      }
      reader.lineRead();
      const b = buf[pos];
      if (b === NEWLINE || (b === CR && buf[pos + 1] === NEWLINE) || (ignoreFirstLine && reader.isFirstLineOfFile()) || (comment !== null && startsWith(buf, pos, comment))) {
        pos = buf.indexOf(NEWLINE, pos) + 1;
        continue;
      }
      let record = parser.parse(buf, pos, reader);
      if (record === FALLBACK) {
        const nl = buf.indexOf(NEWLINE, pos);
        record = this.parseLine(reader.text(pos, nl > pos && buf[nl - 1] === CR ? nl - 1 : nl));
        pos = nl + 1;
      } else {
        pos = parser.next;
      }
      if (record !== SKIPPED) output.collect(record as T);
    }
    reader.pos = pos;
    return true;
  }

  private parseLine(line: string): unknown {
    const { fieldDelimiter, quoteCharacter, includedFields } = this.format;
    const fields = splitCsvLine(line, fieldDelimiter, quoteCharacter);
    if (fields instanceof CsvSyntaxIssue) return this.malformed(`${fields.reason}: '${excerpt(line)}'`);
    if (includedFields === null ? fields.length !== this.requiredColumns : fields.length < this.requiredColumns) {
      const expected = includedFields === null ? `${this.requiredColumns}` : `at least ${this.requiredColumns}`;
      return this.malformed(`expected ${expected} fields, found ${fields.length}: '${excerpt(line)}'`);
    }
    const names = this.rowFieldNames;
    const record: unknown[] | Record<string, unknown> = names === undefined ? new Array(this.columns.length) : {};
    for (let k = 0; k < this.columns.length; k++) {
      const column = this.columns[k]!;
      const text = fields[column]!;
      let value: unknown = null;
      if (text.length > 0 || !this.nullable[k]) {
        value = this.conversions[k]!(text);
        if (value instanceof BadField) {
          return this.malformed(`field ${column} '${excerpt(text)}' is not ${kindWithArticle(this.fieldParsers[k]!.name)}${value.detail}`);
        }
      }
      if (names === undefined) (record as unknown[])[k] = value;
      else (record as Record<string, unknown>)[names[k]!] = value;
    }
    return record;
  }

  private malformed(problem: string): typeof SKIPPED {
    if (this.format.lenient) {
      this.skippedLines++;
      return SKIPPED;
    }
    const reader = this.readers!.reader!;
    throw new UserError(`${reader.currentPath()}:${reader.currentLineNumber()}: ${problem}`);
  }

  cancel(): void {
    this.cancelled = true;
  }

  close(): void {
    this.readers?.close();
    this.readers = null;
  }

  describe(): string {
    return `CsvFile ${this.path} (${this.fieldParsers.map((p) => p.name).join(", ")})`;
  }
}

function startsWith(buf: Uint8Array, pos: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (buf[pos + i] !== prefix[i]) return false;
  return true;
}
