/** The connectors layer: sources and sinks for files, sockets, collections and generators. */
export { CollectionSource, SequenceSource } from "./collection-source.ts";
export { TextFileSource } from "./text-file-source.ts";
export { CsvSource } from "./csv-source.ts";
export { resolveCsvFormat, splitCsvLine, type CsvFormat } from "./csv.ts";
export { csvFieldParserFor, CSV_FIELD_KINDS, type CsvFieldParser } from "./csv-field-parsers.ts";
export { SocketTextSource } from "./socket-source.ts";
export { DataGeneratorSource, type GeneratorFunction } from "./data-generator-source.ts";
export { TextFileSink, csvFormatter, type LineFormat, type WriteMode } from "./file-sinks.ts";
export { listInputFiles, assignFileSegments, type FileSegment, type InputFile } from "./file-splits.ts";
export { LineSplitReader } from "./line-split-reader.ts";
