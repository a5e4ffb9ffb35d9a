import type { TableRow } from '../tabular/index.js';
import type { DropnaOptions } from './definition.js';

/**
 * Decides which chosen columns of a row are missing. Built once per run: column positions are
 * resolved up front so the per-row work is a few array reads and one Set lookup per column.
 */
export class MissingValueTest {
  private readonly naValues: ReadonlySet<string>;

  constructor(
    private readonly positions: readonly number[],
    private readonly names: readonly string[],
    private readonly opts: Pick<DropnaOptions, 'na_values' | 'whitespace_is_empty'>,
  ) {
    this.naValues = new Set(opts.na_values);
  }

  /** Indices (into the chosen columns) of the missing values of `row`. */
  missingIn(row: TableRow): number[] {
    const missing: number[] = [];
    const fields = row.fields;
    for (let k = 0; k < this.positions.length; k++) {
      const value = fields ? fields[this.positions[k] as number] : row.record[this.names[k] as string];
      if (this.isMissing(value)) missing.push(k);
    }
    return missing;
  }

  private isMissing(value: unknown): boolean {
    if (value === undefined || value === null) return true;
    if (typeof value !== 'string') return typeof value === 'number' && Number.isNaN(value);
    if (this.naValues.has(value)) return true;
    return this.opts.whitespace_is_empty && value.length > 0 && value.trim() === '' && this.naValues.has('');
  }
}
