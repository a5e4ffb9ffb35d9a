import { augmentedRecord, markedColumns, originalRecord, rowIdentity } from '../../table/augment-marks.js';
import { tableFiles } from '../../table/stage-tables.js';
import { streamTable, type TableRow, type TableWriter } from '../../table/index.js';
import type { StageContext } from '../../core/builtin.js';
import { BACKTRANSLATE_VERSION, type BacktranslateOptions } from './definition.js';
import { openEngine } from './open-engine.js';
import { RoundTripMemo } from './round-trip-memo.js';

/** Added column with on_unchanged: mark — "true" when the round trip gave the text back. */
export const UNCHANGED_COLUMN = 'bt_unchanged';

interface Counts {
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
  const engine = await openEngine(opts); // first: a missing engine is reported before any reading
  const memo = new RoundTripMemo(ctx.itemCache, engine, { version: BACKTRANSLATE_VERSION, source: opts.source, pivot: opts.pivot });
  const method = `backtranslate:${engine.name}`;
  const mark = opts.on_unchanged === 'mark';
  const counts: Counts = { added: 0, unchanged: 0, emptyText: 0 };
  const stream = {
    stage: 'backtranslate',
    ...tableFiles(ctx, []),
    required: { column: [opts.column], id_column: opts.id_column === undefined ? undefined : [opts.id_column] },
    ragged: { action: 'fail', maxListed: 20, code: 'E_TABLE_RAGGED_ROW', hint: 'fix the quoting of those rows (or drop them with the dropna stage) before augmenting' },
  } as const;
  await streamTable(ctx, stream, (table) => {
    let pending: TableRow[] = [];
    const writePending = async (writer: TableWriter): Promise<void> => {
      const trips = await memo.roundTrips(pending.flatMap((row) => sentencesOf(row.record[opts.column])), ctx.signal);
      for (const row of pending) {
        await writer.write(originalRecord(row.record, mark ? { [UNCHANGED_COLUMN]: '' } : {}));
        await writeRoundTrip(writer, row, trips, opts, method, counts);
      }
      pending = [];
    };
    return {
      outputColumns: markedColumns(table.columns, mark ? [UNCHANGED_COLUMN] : []),
      async batch(rows, writer) {
        for (const row of rows) {
          pending.push(row);
          if (pending.length >= opts.batch_size) await writePending(writer);
        }
      },
      end: writePending,
      summary: ({ rowsIn }) => ({
        log: [
          `${memo.translated} sentences translated, ${memo.cached} from the cache (${method} ${opts.source}->${opts.pivot}->${opts.source})`,
          `${rowsIn} rows in, ${counts.added} augmented rows added, ${counts.unchanged} round trips unchanged (${opts.on_unchanged})`,
        ],
        report: {
          method,
          languages: { source: opts.source, pivot: opts.pivot },
          rows_in: rowsIn,
          rows_out: rowsIn + counts.added,
          rows_added: counts.added,
          unchanged: { count: counts.unchanged, action: opts.on_unchanged },
          empty_text: counts.emptyText,
          sentences: { translated: memo.translated, cached: memo.cached },
          engine: engine.stats(),
        },
      }),
    };
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
