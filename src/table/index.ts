/**
 * Streaming tabular IO shared by the text built-ins (a built-in never imports another one).
 *
 * Reading — `openTable(path, { format? })` returns a `TableReader`: `columns` (the header; for
 * JSONL the keys of the first record) and an async iterator of `TableRow`s ({ index, line,
 * fields, fieldCount, field(i), testField(i, test), record }). CSV/TSV are read one 1 MiB block
 * at a time, so memory is constant whatever the file size: a block without quotes is split at
 * the byte level and each field is decoded only when read (`field(i)`, or tested on its bytes
 * with `testField`), other blocks go through papaparse's parser. `fieldCount !== columns.length`
 * marks a ragged row (see `isRagged`). Files are UTF-8 (a BOM is dropped); convert others with the `encoding` stage.
 * Malformed input throws `DvctsError` (E_TABLE_UNTERMINATED_QUOTE, E_TABLE_MALFORMED_QUOTE,
 * E_TABLE_JSON_INVALID, E_TABLE_JSONL_NOT_OBJECT, E_TABLE_DUPLICATE_COLUMN) with file and line.
 *
 * Writing — `createTable(path, columns, { format?, newline? })` returns a `TableWriter`:
 * `write(record)` / `writeFields(fields)` / `writeRow(row)` / `writeRows(rows)` buffer rows and
 * wait for the disk when its buffer is full (backpressure; a quote-free row read from the same
 * format is copied byte for byte); `commit()` renames the temp file onto `path`, `abort()` deletes it.
 * Delimited output quotes only what needs quoting, so values round-trip exactly.
 *
 * Reports — `writeJsonReport(path, report)` writes sorted-key JSON atomically; `reportPathOf(
 * ctx.metrics)` picks the stage's first `.json` metrics file.
 */
export { TABLE_FORMATS, delimiterOf, extensionOf, tableFormatOf, type TableFormat } from './format.js';
export { isRagged, type TableRow } from './row.js';
export type { FieldTest } from './parsed-record.js';
export { assertColumnsExist, openTable, type TableReader } from './reader.js';
export { assertInputIsFile } from './input-file.js';
export { createTable, fieldText, formatRow, type TableWriter } from './writer.js';
export { createAtomicFile, type AtomicFile } from './atomic-file.js';
export { reportPathOf, writeJsonReport } from './report.js';
export { raggedRowsError, RaggedRowLog } from './ragged.js';
export { streamTable, type StreamCounts, type TableStage, type TableStreamOptions } from './stream-table.js';
export { DEFAULT_MAX_LINE_BYTES, lineTooLongError } from './line-limit.js';
