/** CSV reading options (Flink's CsvReader settings) and the line tokenizer with RFC 4180 quoting. */
import { checkArgument } from "../core/errors.ts";

/** How CsvSource reads lines; every option is optional. */
export interface CsvFormat {
  /** Between fields; may be longer than one character. Default ",". */
  fieldDelimiter?: string;
  /** Only "\n" (a "\r" before it is dropped, so "\r\n" files read too). */
  lineDelimiter?: "\n" | "\r\n";
  /** Skip the first line of every file (a header). */
  ignoreFirstLine?: boolean;
  /** Fields starting with this character are quoted; a doubled one inside stands for itself. Null turns quoting off. Default '"'. */
  quoteCharacter?: string | null;
  /** Lines starting with this prefix are skipped. */
  ignoreComments?: string;
  /** Which columns of a line to read; one field parser per true entry. Columns past the mask are ignored. */
  includedFields?: boolean[];
  /** Skip malformed lines instead of failing the job. */
  lenient?: boolean;
}

/** A CsvFormat with defaults filled in and checked. */
export interface ResolvedCsvFormat {
  readonly fieldDelimiter: string;
  readonly ignoreFirstLine: boolean;
  readonly quoteCharacter: string | null;
  readonly commentPrefix: string | null;
  readonly includedFields: readonly boolean[] | null;
  readonly lenient: boolean;
}

export function resolveCsvFormat(format: CsvFormat = {}): ResolvedCsvFormat {
  const fieldDelimiter = format.fieldDelimiter ?? ",";
  const quoteCharacter = format.quoteCharacter === undefined ? '"' : format.quoteCharacter;
  checkArgument(fieldDelimiter.length > 0, "CSV field delimiter must not be empty");
  checkArgument(
    format.lineDelimiter === undefined || format.lineDelimiter === "\n" || format.lineDelimiter === "\r\n",
    `CSV line delimiter ${JSON.stringify(format.lineDelimiter)} is not supported; lines end at "\\n" (with an optional "\\r")`,
  );
  checkArgument(
    quoteCharacter === null || quoteCharacter.length === 1,
    `CSV quote character must be one character or null, got ${JSON.stringify(quoteCharacter)}`,
  );
  checkArgument(
    quoteCharacter === null || !fieldDelimiter.includes(quoteCharacter),
    `CSV quote character ${JSON.stringify(quoteCharacter)} must not occur in the field delimiter ${JSON.stringify(fieldDelimiter)}`,
  );
  checkArgument(format.ignoreComments !== "", "CSV comment prefix must not be empty");
  return {
    fieldDelimiter,
    ignoreFirstLine: format.ignoreFirstLine ?? false,
    quoteCharacter,
    commentPrefix: format.ignoreComments ?? null,
    includedFields: format.includedFields ?? null,
    lenient: format.lenient ?? false,
  };
}

/** Why a line could not be split into fields. */
export class CsvSyntaxIssue {
  constructor(readonly reason: string) {}
}

/**
 * Splits one line into its fields. A field is quoted when it starts with the quote character;
 * it then ends at the next single quote character, which must be followed by the delimiter or
 * the end of the line. A quote character inside an unquoted field is kept as text. Quoted
 * fields cannot span lines (as in Flink's CsvInputFormat).
 */
export function splitCsvLine(line: string, delimiter: string, quote: string | null): string[] | CsvSyntaxIssue {
  if (quote === null || line.indexOf(quote) < 0) return line.split(delimiter);
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (line.startsWith(quote, i)) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = line.indexOf(quote, j);
        if (q < 0) return new CsvSyntaxIssue(`field ${fields.length} has no closing quote`);
        if (line.startsWith(quote, q + 1)) {
          value += line.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += line.slice(j, q);
        j = q + 1;
        break;
      }
      fields.push(value);
      if (j === n) return fields;
      if (!line.startsWith(delimiter, j)) return new CsvSyntaxIssue(`field ${fields.length - 1} has text after its closing quote`);
      i = j + delimiter.length;
    } else {
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, d));
      i = d + delimiter.length;
    }
  }
}
