import { relative } from 'node:path';
import { markedColumns, originalRecord, augmentedRecord, rowIdentity } from '../augment/marks.js';
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
} from '../tabular/index.js';
import type { StageContext } from '../types.js';
import { augmentText, type SkippedCopy } from './augment-text.js';
import type { SynonymsOptions } from './definition.js';
import { openSynonymSource } from './open-source.js';

/**
 * Streams the input table once: every row is written as it is, followed by its augmented copies.
 * Memory holds one row at a time (plus the bounded WordNet memo), whatever the file size.
 */
export async function run(ctx: StageContext<SynonymsOptions>): Promise<void> {
  const opts = ctx.options;
  const stopwordFile = typeof opts.stopwords === 'string' ? [opts.stopwords] : [];
  const files = tableFiles(ctx, [...(opts.dictionary ? [opts.dictionary] : []), ...stopwordFile]);
  const reader = await openTable(files.input);
  assertColumnsExist(files.input, reader.columns, [opts.column], 'column');
  if (opts.id_column !== undefined) assertColumnsExist(files.input, reader.columns, [opts.id_column], 'id_column');

  const opened = await openSynonymSource(opts, ctx.wdir);
  const method = `synonyms:${opened.source.name}`;
  const plan = { p: opts.p, maxPerRow: opts.max_per_row, copies: opts.copies, seed: opts.seed };
  const counts = { rowsIn: 0, added: 0, wordsReplaced: 0, emptyText: 0 };
  const skipped: Record<SkippedCopy, number> = { no_replaceable_word: 0, duplicate_copy: 0 };
  const ragged = new RaggedRowLog(20);
  const writer = await createTable(files.output, markedColumns(reader.columns));
  try {
    for await (const row of reader) {
      ctx.signal.throwIfAborted();
      counts.rowsIn++;
      if (isRagged(row, reader.columns)) {
        ragged.add(row.line);
        continue;
      }
      if (ragged.count > 0) continue; // the run fails; only keep finding ragged rows
      await writer.write(originalRecord(row.record));
      const text = row.record[opts.column];
      if (typeof text !== 'string' || text.trim() === '') {
        counts.emptyText++;
        continue;
      }
      const identity = rowIdentity(row.record, row.index, opts.id_column);
      const copies = await augmentText(opened.source, text, plan, identity);
      for (const copy of copies.texts) await writer.write(augmentedRecord(row.record, opts.column, copy, identity, method));
      counts.added += copies.texts.length;
      counts.wordsReplaced += copies.wordsReplaced;
      for (const reason of copies.skipped) skipped[reason]++;
    }
    if (ragged.count > 0) {
      throw raggedRowsError(files.input, reader.columns.length, ragged, 'E_TABLE_RAGGED_ROW', 'fix the quoting of those rows (or drop them with the dropna stage) before augmenting');
    }
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    await opened.close();
  }

  ctx.log(`${counts.rowsIn} rows in, ${counts.added} augmented rows added (${method}), ${counts.wordsReplaced} words replaced`);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'synonyms',
    method,
    input: relative(ctx.root, files.input),
    output: relative(ctx.root, files.output),
    ...opened.details,
    seed: opts.seed,
    copies: opts.copies,
    p: opts.p,
    rows_in: counts.rowsIn,
    rows_out: counts.rowsIn + counts.added,
    rows_added: counts.added,
    words_replaced: counts.wordsReplaced,
    copies_not_written: { ...skipped, empty_text: counts.emptyText * opts.copies },
  });
}
