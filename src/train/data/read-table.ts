import { relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { assertColumnsExist, openTable } from '../../table/index.js';

/** Some columns of a CSV/TSV/JSONL table, as strings, with the line of each row (for errors). */
export interface Columns {
  readonly file: string;
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly lines: readonly number[];
}

/**
 * Reads `columns` of a table in one streaming pass. A missing column is E_TABLE_UNKNOWN_COLUMN
 * (naming the option and the columns that exist); an empty value in a `required` column is
 * E_TRAIN_VALUE_MISSING at file:line (drop such rows first, e.g. with `dropna`).
 */
export async function readColumns(
  root: string,
  path: string,
  columns: readonly { readonly name: string; readonly option: string; readonly required: boolean }[],
): Promise<Columns> {
  const file = relative(root, path) || path;
  const table = await openTable(path);
  for (const c of columns) assertColumnsExist(file, table.columns, [c.name], c.option);
  const values: Record<string, string[]> = Object.fromEntries(columns.map((c) => [c.name, []]));
  const lines: number[] = [];
  for await (const batch of table.batches()) {
    for (const row of batch) {
      for (const c of columns) {
        const raw = row.record[c.name];
        const value = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
        if (c.required && value.trim() === '') {
          throw new DvctsError('E_TRAIN_VALUE_MISSING', `${file}:${row.line}: the ${c.option} column "${c.name}" is empty`, {
            data: { file, line: row.line, column: c.name },
            hint: 'drop rows with missing values first (a `dropna` stage) or fill them in',
          });
        }
        values[c.name]!.push(value);
      }
      lines.push(row.line);
    }
  }
  return { file, values, lines };
}
