import type { StageContext } from '../../core/builtin.js';
import { augmentedRecord, markedColumns, originalRecord, rowIdentity } from '../../table/augment-marks.js';
import { streamTable } from '../../table/index.js';
import { tableFiles } from '../../table/stage-tables.js';
import { augmentText, type SkippedCopy } from './augment-text.js';
import type { SynonymsOptions } from './definition.js';
import { openSynonymSource } from './open-source.js';

/**
 * Streams the input table once: every row is written as it is, followed by its augmented copies.
 * Memory holds one batch of rows (plus the bounded WordNet memo), whatever the file size.
 */
export async function run(ctx: StageContext<SynonymsOptions>): Promise<void> {
  const opts = ctx.options;
  const stopwordFile = typeof opts.stopwords === 'string' ? [opts.stopwords] : [];
  const files = tableFiles(ctx, [...(opts.dictionary ? [opts.dictionary] : []), ...stopwordFile]);
  const stream = {
    stage: 'synonyms',
    ...files,
    required: { column: [opts.column], id_column: opts.id_column === undefined ? undefined : [opts.id_column] },
    ragged: { action: 'fail', maxListed: 20, code: 'E_TABLE_RAGGED_ROW', hint: 'fix the quoting of those rows (or drop them with the dropna stage) before augmenting' },
  } as const;
  let opened: Awaited<ReturnType<typeof openSynonymSource>> | undefined;
  try {
    await streamTable(ctx, stream, async (table) => {
      opened = await openSynonymSource(opts, ctx.wdir);
      for (const warning of opened.warnings) ctx.log(warning);
      const source = opened.source;
      const details = opened.details;
      const method = `synonyms:${source.name}`;
      const plan = { p: opts.p, maxPerRow: opts.max_per_row, copies: opts.copies, seed: opts.seed };
      const counts = { added: 0, wordsReplaced: 0, emptyText: 0, cappedCopies: 0, cappedReplacements: 0 };
      const skipped: Record<SkippedCopy, number> = { no_replaceable_word: 0, duplicate_copy: 0 };
      return {
        outputColumns: markedColumns(table.columns),
        async batch(rows, writer) {
          for (const row of rows) {
            await writer.write(originalRecord(row.record));
            const text = row.record[opts.column];
            if (typeof text !== 'string' || text.trim() === '') {
              counts.emptyText++;
              continue;
            }
            const identity = rowIdentity(row.record, row.index, opts.id_column);
            const copies = await augmentText(source, text, plan, identity);
            for (const copy of copies.texts) await writer.write(augmentedRecord(row.record, opts.column, copy, identity, method));
            counts.added += copies.texts.length;
            counts.wordsReplaced += copies.wordsReplaced;
            counts.cappedCopies += copies.cappedCopies;
            counts.cappedReplacements += copies.cappedReplacements;
            for (const reason of copies.skipped) skipped[reason]++;
          }
        },
        summary: ({ rowsIn }) => ({
          log: [
            `${rowsIn} rows in, ${counts.added} augmented rows added (${method}), ${counts.wordsReplaced} words replaced`,
            ...(counts.cappedReplacements === 0
              ? []
              : [
                  `warning: max_per_row ${opts.max_per_row} held back ${counts.cappedReplacements} of the replacements p ${opts.p} ` +
                    `asked for, in ${counts.cappedCopies} of ${counts.added} copies; raise max_per_row to get them`,
                ]),
          ],
          report: {
            method,
            ...details,
            seed: opts.seed,
            copies: opts.copies,
            p: opts.p,
            rows_in: rowsIn,
            rows_out: rowsIn + counts.added,
            rows_added: counts.added,
            words_replaced: counts.wordsReplaced,
            max_per_row: opts.max_per_row,
            capped_by_max_per_row: { copies: counts.cappedCopies, replacements: counts.cappedReplacements },
            copies_not_written: { ...skipped, empty_text: counts.emptyText * opts.copies },
          },
        }),
      };
    });
  } finally {
    await opened?.close();
  }
}
