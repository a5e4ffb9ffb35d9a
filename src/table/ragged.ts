import { DvctsError } from '../core/errors.js';

/** Remembers ragged rows' line numbers, up to a limit, while still counting them all. */
export class RaggedRowLog {
  readonly lines: number[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  add(line: number): void {
    this.count++;
    if (this.lines.length < this.limit) this.lines.push(line);
  }
}

/** The error for rows whose field count differs from the header's, naming their lines. */
/** The codes that report ragged rows; each declares the same data as E_TABLE_RAGGED_ROW. */
export type RaggedRowsCode = 'E_TABLE_RAGGED_ROW' | 'E_DROPNA_RAGGED' | 'E_SPLIT_RAGGED';

export function raggedRowsError(path: string, expected: number, log: RaggedRowLog, code: RaggedRowsCode, hint: string): DvctsError {
  const shown = log.lines.map((l) => `${path}:${l}`).join(', ');
  const more = log.count > log.lines.length ? ` and ${log.count - log.lines.length} more` : '';
  return new DvctsError(
    code as 'E_TABLE_RAGGED_ROW',
    `${log.count} row${log.count > 1 ? 's have' : ' has'} a different number of fields than the header (${expected}): ${shown}${more}`,
    { data: { file: path, line: log.lines[0], lines: [...log.lines], count: log.count, expected }, hint },
  );
}
