import type { TableRow } from '../../table/index.js';
import type { DropnaOptions } from './definition.js';
import { NaFieldTest } from './na-field-test.js';

/**
 * Decides which chosen columns of a row are missing. Built once per run: column positions are
 * resolved up front, and a delimited row's fields are tested on their bytes (see NaFieldTest),
 * so the per-row work is a few comparisons, with no decoding and no allocation.
 */
export class MissingValueTest {
  private readonly test: NaFieldTest;
  /** Indices (into the chosen columns) of the missing values found by the last `countMissing`. */
  readonly found: Uint32Array;

  constructor(
    private readonly positions: readonly number[],
    private readonly names: readonly string[],
    opts: Pick<DropnaOptions, 'na_values' | 'whitespace_is_empty'>,
  ) {
    this.test = new NaFieldTest(opts);
    this.found = new Uint32Array(positions.length);
  }

  /** How many chosen values of `row` are missing; their indices are the first ones in `found`. */
  countMissing(row: TableRow): number {
    let count = 0;
    const delimited = row.fieldCount !== null;
    for (let k = 0; k < this.positions.length; k++) {
      const missing = delimited ? row.testField(this.positions[k] as number, this.test) : this.test.text(row.record[this.names[k] as string]);
      if (missing) this.found[count++] = k;
    }
    return count;
  }
}
