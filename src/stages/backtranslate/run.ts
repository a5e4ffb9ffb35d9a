import { relative } from 'node:path';
import { augmentedRecord, markedColumns, originalRecord, rowIdentity } from '../augment/marks.js';
import { tableFiles } from '../augment/stage-files.js';
import {
  assertColumnsExist,
  createTable,
  isRagged,
  openTable,
  raggedRowsError,
  RaggedRowLog,
  reportPathOf,
  writeJsonReport,
  type TableRow,
  type TableWriter,
} from '../tabular/index.js';
import type { StageContext } from '../types.js';
import { BACKTRANSLATE_VERSION, type BacktranslateOptions } from './definition.js';
import { openEngine } from './open-engine.js';
import { RoundTripMemo } from './round-trip-memo.js';

/** Added column with on_unchanged: mark — "true" when the round trip gave the text back. */
export const UNCHANGED_COLUMN = 'bt_unchanged';

interface Counts {
  rowsIn: number;
  added: number;
  unchanged: number;
  emptyText: number;
}

/**
 * Streams the input in batches of `batch_size` rows: the batch's sentences not in the memo go to
 * the engine in one call, then each row is written followed by its round trip. Memory holds one
 * batch, whatever the file size.
 */
export async function run(ctx: StageContext<BacktranslateOptions>): Promise<void> {
  const opts = ctx.options;
  const files = tableFiles(ctx, []);
  const engine = await openEngine(opts); // first: a missing engine is reported before any reading
  const reader = await openTable(files.input);
  assertColumnsExist(files.input, reader.columns, [opts.column], 'column');
  if (opts.id_column !== undefined) assertColumnsExist(files.input, reader.columns, [opts.id_column], 'id_column');
  const memo = new RoundTripMemo(ctx.itemCache, engine, { version: BACKTRANSLATE_VERSION, source: opts.source, pivot: opts.pivot });
  const method = `backtranslate:${engine.name}`;
  const mark = opts.on_unchanged === 'mark';
  const counts: Counts = { rowsIn: 0, added: 0, unchanged: 0, emptyText: 0 };
  const ragged = new RaggedRowLog(20);
  const writer = await createTable(files.output, markedColumns(reader.columns, mark ? [UNCHANGED_COLUMN] : []));

  const writeBatch = async (batch: readonly TableRow[]): Promise<void> => {
    const trips = await memo.roundTrips(batch.flatMap((row) => sentencesOf(row.record[opts.column])), ctx.signal);
    for (const row of batch) {
      await writer.write(originalRecord(row.record, mark ? { [UNCHANGED_COLUMN]: '' } : {}));
      await writeRoundTrip(writer, row, trips, opts, method, counts);
    }
  };

  try {
    let batch: TableRow[] = [];
    for await (const row of reader) {
      ctx.signal.throwIfAborted();
      counts.rowsIn++;
      if (isRagged(row, reader.columns)) ragged.add(row.line);
      if (ragged.count > 0) continue; // the run fails; only keep finding ragged rows
      batch.push(row);
      if (batch.length >= opts.batch_size) {
        await writeBatch(batch);
        batch = [];
      }
    }
    if (ragged.count > 0) {
      throw raggedRowsError(files.input, reader.columns.length, ragged, 'E_TABLE_RAGGED_ROW', 'fix the quoting of those rows (or drop them with the dropna stage) before augmenting');
    }
    await writeBatch(batch);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }

  ctx.log(`${memo.translated} sentences translated, ${memo.cached} from the cache (${method} ${opts.source}->${opts.pivot}->${opts.source})`);
  ctx.log(`${counts.rowsIn} rows in, ${counts.added} augmented rows added, ${counts.unchanged} round trips unchanged (${opts.on_unchanged})`);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'backtranslate',
    method,
    input: relative(ctx.root, files.input),
    output: relative(ctx.root, files.output),
    languages: { source: opts.source, pivot: opts.pivot },
    rows_in: counts.rowsIn,
    rows_out: counts.rowsIn + counts.added,
    rows_added: counts.added,
    unchanged: { count: counts.unchanged, action: opts.on_unchanged },
    empty_text: counts.emptyText,
    sentences: { translated: memo.translated, cached: memo.cached },
    engine: engine.stats(),
  });
}

/** The sentences of a cell: its non-empty lines, trimmed (blank lines separate batch entries). */
function sentencesOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

async function writeRoundTrip(
  writer: TableWriter,
  row: TableRow,
  trips: ReadonlyMap<string, string>,
  opts: BacktranslateOptions,
  method: string,
  counts: Counts,
): Promise<void> {
  const text = row.record[opts.column];
  if (typeof text !== 'string' || text.trim() === '') {
    counts.emptyText++;
    return;
  }
  // Line structure is kept: each non-empty line is replaced by its own round trip.
  const back = text
    .split(/(\r?\n)/)
    .map((part) => (part.trim() === '' || /^\r?\n$/.test(part) ? part : (trips.get(part.trim()) as string)))
    .join('');
  const unchanged = collapseSpace(back) === collapseSpace(text); // engines normalise spacing
  if (unchanged) counts.unchanged++;
  if (unchanged && opts.on_unchanged === 'drop') return;
  const extra = opts.on_unchanged === 'mark' ? { [UNCHANGED_COLUMN]: String(unchanged) } : {};
  const identity = rowIdentity(row.record, row.index, opts.id_column);
  await writer.write(augmentedRecord(row.record, opts.column, back, identity, method, extra));
  counts.added++;
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
