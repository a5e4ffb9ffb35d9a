import type { StageContext } from '../../core/builtin.js';
import { streamTable, type TableRow } from '../../table/index.js';
import type { DropnaOptions } from './definition.js';
import { MissingValueTest } from './missing.js';

export async function run(ctx: StageContext<DropnaOptions>): Promise<void> {
  const opts = ctx.options;
  const stream = {
    stage: 'dropna',
    input: ctx.deps[0] as string,
    output: ctx.outs[0] as string,
    ...(opts.format ? { format: opts.format } : {}),
    ...(opts.max_line_bytes !== undefined ? { maxLineBytes: opts.max_line_bytes } : {}),
    required: { columns: opts.columns },
    keepNewline: true,
    ragged: { action: opts.on_ragged, maxListed: opts.max_listed, code: 'E_DROPNA_RAGGED' as const, hint: 'fix those lines, or set on_ragged: drop to drop them' },
  };
  await streamTable(ctx, stream, (table) => {
    const chosen = opts.columns ?? table.columns;
    const test = new MissingValueTest(chosen.map((c) => table.columns.indexOf(c)), chosen, opts);
    const droppedByColumn = new Array<number>(chosen.length).fill(0);
    const kept: TableRow[] = [];
    let rowsOut = 0;
    let droppedMissing = 0;
    return {
      async batch(rows, writer) {
        kept.length = 0;
        for (const row of rows) {
          const missing = test.countMissing(row);
          if (opts.how === 'any' ? missing === 0 : missing < chosen.length) {
            kept.push(row);
            continue;
          }
          droppedMissing++;
          for (let j = 0; j < missing; j++) {
            const k = test.found[j] as number;
            droppedByColumn[k] = (droppedByColumn[k] as number) + 1;
          }
        }
        rowsOut += kept.length;
        await writer.writeRows(kept); // one wait per batch, not per row
      },
      summary: ({ rowsIn, ragged }) => ({
        log: [`${rowsIn} rows in, ${rowsOut} out (${droppedMissing} missing values, ${ragged.count} ragged)`],
        report: {
          columns: [...chosen],
          how: opts.how,
          na_values: [...opts.na_values],
          rows_in: rowsIn,
          rows_out: rowsOut,
          dropped: {
            total: rowsIn - rowsOut,
            missing: droppedMissing,
            ragged: ragged.count,
            by_column: Object.fromEntries(chosen.map((c, k) => [c, droppedByColumn[k]])),
            ragged_lines: ragged.lines,
          },
        },
      }),
    };
  });
}
