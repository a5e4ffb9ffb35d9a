import { relative } from 'node:path';
import type { StageContext } from '../core/builtin.js';
import type { TableFormat } from './format.js';
import { formatByExtension } from './format.js';
import { raggedRowsError, RaggedRowLog, type RaggedRowsCode } from './ragged.js';
import { assertColumnsExist, openTable, type TableReader } from './reader.js';
import { reportPathOf, writeJsonReport } from './report.js';
import { isRagged, type TableRow } from './row.js';
import { createTable, type TableWriter } from './writer.js';

/** What one table built-in does with the rows; the skeleton does the rest. */
export interface TableStage {
  /** The output header (default: the input's). */
  readonly outputColumns?: readonly string[];
  /** Writes what becomes of a batch of well-formed rows (one disk wait per batch at most). */
  batch(rows: readonly TableRow[], writer: TableWriter): Promise<void>;
  /** After the last batch, before the output is committed (e.g. a partly filled engine batch). */
  end?(writer: TableWriter): Promise<void>;
  /** Log lines and report fields, once the output is committed. */
  summary(counts: StreamCounts): { readonly log: readonly string[]; readonly report: object };
}

export interface StreamCounts {
  /** Data rows read, ragged ones included. */
  readonly rowsIn: number;
  readonly ragged: RaggedRowLog;
}

export interface TableStreamOptions {
  /** Built-in name, written to the report's `stage`. */
  readonly stage: string;
  readonly input: string;
  readonly output: string;
  readonly format?: TableFormat;
  /** Longest line or record read (the stage's `max_line_bytes`); default DEFAULT_MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Columns named by options, by option name: each must exist in the input (checked first). */
  readonly required?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Write the input's line break (CRLF stays CRLF) instead of "\n". */
  readonly keepNewline?: boolean;
  /** Rows with another field count than the header: `fail` (after listing them all) or `drop`. */
  readonly ragged: { readonly action: 'fail' | 'drop'; readonly maxListed: number; readonly code: RaggedRowsCode; readonly hint: string };
}

/**
 * The streaming skeleton of every one-table-in, one-table-out built-in: open the input, check
 * the columns options name, stream batches of rows through `stage`, count (and list) ragged
 * rows, commit the output atomically or abort it on any error, then log and write the JSON
 * report to the stage's first `.json` metrics file. `open` sees the header before any row.
 */
export async function streamTable(
  ctx: StageContext<unknown>,
  opts: TableStreamOptions,
  open: (table: TableReader) => TableStage | Promise<TableStage>,
): Promise<void> {
  const table = await openTable(opts.input, { ...(opts.format ? { format: opts.format } : {}), ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}) });
  for (const [option, columns] of Object.entries(opts.required ?? {})) if (columns) assertColumnsExist(opts.input, table.columns, columns, option);
  const stage = await open(table);
  const writer = await createTable(opts.output, stage.outputColumns ?? table.columns, {
    format: opts.format ?? formatByExtension(opts.output) ?? table.format, // as named, else like the input
    ...(opts.keepNewline ? { newline: table.newline } : {}),
  });
  const ragged = new RaggedRowLog(opts.ragged.maxListed);
  const failOnRagged = opts.ragged.action === 'fail';
  let rowsIn = 0;
  try {
    const good: TableRow[] = [];
    for await (const batch of table.batches()) {
      ctx.signal.throwIfAborted();
      good.length = 0;
      for (const row of batch) {
        rowsIn++;
        if (isRagged(row, table.columns)) ragged.add(row.line);
        else if (!(failOnRagged && ragged.count > 0)) good.push(row); // failing anyway: only look for more ragged lines
      }
      if (good.length > 0 && !(failOnRagged && ragged.count > 0)) await stage.batch(good, writer);
      ctx.progress(rowsIn, 0, 'rows'); // rows done; their total is not known before the end
    }
    if (failOnRagged && ragged.count > 0) throw raggedRowsError(opts.input, table.columns.length, ragged, opts.ragged.code, opts.ragged.hint);
    await stage.end?.(writer);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  const { log, report } = stage.summary({ rowsIn, ragged });
  for (const line of log) ctx.log(line);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: opts.stage,
    input: relative(ctx.root, opts.input),
    output: relative(ctx.root, opts.output),
    ...report,
  });
}
