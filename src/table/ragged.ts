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
export function raggedRowsError(path: string, expected: number, log: RaggedRowLog, code: string, hint: string): DvctsError {
  const shown = log.lines.map((l) => `${path}:${l}`).join(', ');
  const more = log.count > log.lines.length ? ` and ${log.count - log.lines.length} more` : '';
  return new DvctsError(
    code,
    `${log.count} row${log.count > 1 ? 's have' : ' has'} a different number of fields than the header (${expected}): ${shown}${more}`,
    { data: { file: path, line: log.lines[0], lines: [...log.lines], count: log.count, expected }, hint },
  );
}
