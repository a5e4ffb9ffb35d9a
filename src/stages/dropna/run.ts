import { relative } from 'node:path';
import {
  assertColumnsExist,
  createTable,
  isRagged,
  openTable,
  raggedRowsError,
  RaggedRowLog,
  reportPathOf,
  tableFormatOf,
  writeJsonReport,
  type TableRow,
} from '../tabular/index.js';
import type { StageContext } from '../types.js';
import type { DropnaOptions } from './definition.js';
import { MissingValueTest } from './missing.js';

export async function run(ctx: StageContext<DropnaOptions>): Promise<void> {
  const opts = ctx.options;
  const input = ctx.deps[0] as string;
  const output = ctx.outs[0] as string;
  const table = await openTable(input, { ...(opts.format ? { format: opts.format } : {}) });
  const chosen = opts.columns ?? table.columns;
  assertColumnsExist(input, table.columns, chosen, 'columns');
  const test = new MissingValueTest(chosen.map((c) => table.columns.indexOf(c)), chosen, opts);

  const writer = await createTable(output, table.columns, { format: tableFormatOf(output, opts.format ?? table.format), newline: table.newline });
  const ragged = new RaggedRowLog(opts.max_listed);
  const droppedByColumn = new Array<number>(chosen.length).fill(0);
  let rowsIn = 0;
  let rowsOut = 0;
  let droppedMissing = 0;
  try {
    const kept: TableRow[] = [];
    for await (const batch of table.batches()) {
      ctx.signal.throwIfAborted();
      kept.length = 0;
      for (const row of batch) {
        rowsIn++;
        if (isRagged(row, table.columns)) {
          ragged.add(row.line);
          continue;
        }
        if (ragged.count > 0 && opts.on_ragged === 'fail') continue; // failing anyway: only look for more ragged lines
        const missing = test.countMissing(row);
        const drop = opts.how === 'any' ? missing > 0 : missing === chosen.length;
        if (drop) {
          droppedMissing++;
          for (let j = 0; j < missing; j++) {
            const k = test.found[j] as number;
            droppedByColumn[k] = (droppedByColumn[k] as number) + 1;
          }
          continue;
        }
        kept.push(row);
      }
      rowsOut += kept.length;
      await writer.writeRows(kept); // one wait per batch, not per row
    }
    if (ragged.count > 0 && opts.on_ragged === 'fail') {
      throw raggedRowsError(input, table.columns.length, ragged, 'E_DROPNA_RAGGED', 'fix those lines, or set on_ragged: drop to drop them');
    }
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }

  ctx.log(`${rowsIn} rows in, ${rowsOut} out (${droppedMissing} missing values, ${ragged.count} ragged)`);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'dropna',
    input: relative(ctx.root, input),
    output: relative(ctx.root, output),
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
  });
}
