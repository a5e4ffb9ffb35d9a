import { DvctsError } from '../../core/errors.js';
import { assertColumnsExist, isRagged, openTable, raggedRowsError, RaggedRowLog, type TableFormat } from '../../table/index.js';
import { GrowableU32 } from './growable.js';

/** What the first pass learns: strata, units (rows or groups) and which unit each row belongs to. */
export interface Scan {
  readonly columns: readonly string[];
  readonly format: TableFormat;
  readonly rows: number;
  readonly strata: readonly string[];
  /** Stratum of each unit. */
  readonly unitStratum: Uint32Array;
  /** Unit of each row when grouping (otherwise the unit is the row index). */
  readonly rowUnit: Uint32Array | undefined;
  /** Groups whose rows disagree on the class; each is placed by its first row's class. */
  readonly mixedGroups: number;
}

/**
 * The counting pass: keeps small integers per row and one entry per class and per group value,
 * never the rows' text.
 */
export async function scanTable(path: string, opts: { stratify?: string; group?: string; format?: TableFormat }): Promise<Scan> {
  const table = await openTable(path, { ...(opts.format ? { format: opts.format } : {}) });
  if (opts.stratify !== undefined) assertColumnsExist(path, table.columns, [opts.stratify], 'stratify');
  if (opts.group !== undefined) assertColumnsExist(path, table.columns, [opts.group], 'group');

  const strataIds = new Map<string, number>();
  const groupIds = new Map<string, number>();
  const unitStratum = new GrowableU32();
  const rowUnit = opts.group !== undefined ? new GrowableU32() : undefined;
  const ragged = new RaggedRowLog(50);
  let rows = 0;
  let mixedGroups = 0;
  const mixed = new Set<number>();

  for await (const batch of table.batches()) {
    for (const row of batch) {
      rows++;
      if (isRagged(row, table.columns)) {
        ragged.add(row.line);
        continue;
      }
      const className = opts.stratify === undefined ? '' : textOf(row.record[opts.stratify]);
      let stratum = strataIds.get(className);
      if (stratum === undefined) strataIds.set(className, (stratum = strataIds.size));
      if (!rowUnit) {
        unitStratum.push(stratum);
        continue;
      }
      const key = textOf(row.record[opts.group as string]);
      let unit = groupIds.get(key);
      if (unit === undefined) {
        groupIds.set(key, (unit = unitStratum.length));
        unitStratum.push(stratum);
      } else if (unitStratum.get(unit) !== stratum && !mixed.has(unit)) {
        mixed.add(unit);
        mixedGroups++;
      }
      rowUnit.push(unit);
    }
  }

  if (ragged.count > 0) {
    throw raggedRowsError(path, table.columns.length, ragged, 'E_SPLIT_RAGGED', 'fix those lines (the dropna stage can drop them)');
  }
  if (rows === 0) {
    throw new DvctsError('E_SPLIT_EMPTY', `${path}: the table has no data rows, so there is nothing to split`, {
      data: { file: path, line: 1 },
      hint: 'check the stage that produces this file',
    });
  }
  return {
    columns: table.columns,
    format: table.format,
    rows,
    strata: [...strataIds.keys()],
    unitStratum: unitStratum.view(),
    rowUnit: rowUnit?.view(),
    mixedGroups,
  };
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
