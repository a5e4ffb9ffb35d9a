import { join, relative } from 'node:path';
import {
  createTable,
  extensionOf,
  openTable,
  reportPathOf,
  writeJsonReport,
  type TableWriter,
} from '../../table/index.js';
import type { StageContext } from '../../core/builtin.js';
import { assignUnits } from './allocate.js';
import type { SplitOptions } from './definition.js';
import { scanTable } from './scan.js';

/** Two streaming passes: count (scan.ts), then write each row to its split in input order. */
export async function run(ctx: StageContext<SplitOptions>): Promise<void> {
  const opts = ctx.options;
  const input = ctx.deps[0] as string;
  const outDir = ctx.outs[0] as string;
  const names = Object.keys(opts.ratios);
  const ratios = names.map((n) => opts.ratios[n] as number);

  const scan = await scanTable(input, {
    ...(opts.stratify !== undefined ? { stratify: opts.stratify } : {}),
    ...(opts.group !== undefined ? { group: opts.group } : {}),
    ...(opts.format ? { format: opts.format } : {}),
  });
  const { splitOfUnit, countsByStratum } = assignUnits(scan.unitStratum, scan.strata, ratios, String(opts.seed));

  const rowsPerSplit = names.map(() => new Array<number>(scan.strata.length).fill(0));
  const writers: TableWriter[] = [];
  try {
    const table = await openTable(input, { format: scan.format });
    for (const name of names) {
      writers.push(await createTable(join(outDir, name + extensionOf(scan.format)), scan.columns, { format: scan.format, newline: table.newline }));
    }
    const stratumOfClass = new Map(scan.strata.map((s, i) => [s, i]));
    for await (const batch of table.batches()) {
      ctx.signal.throwIfAborted();
      for (const row of batch) {
        const unit = scan.rowUnit ? (scan.rowUnit[row.index] as number) : row.index;
        const split = splitOfUnit[unit] as number;
        const stratum = scan.rowUnit ? stratumOfClass.get(classOf(row.record, opts.stratify)) : scan.unitStratum[unit];
        const perClass = rowsPerSplit[split] as number[];
        perClass[stratum ?? 0] = (perClass[stratum ?? 0] as number) + 1;
        const writer = writers[split] as TableWriter;
        await writer.writeRow(row);
      }
    }
    for (const writer of writers) await writer.commit();
  } catch (e) {
    await Promise.all(writers.map((w) => w.abort()));
    throw e;
  }

  const warnings = smallClassWarnings(scan.strata, countsByStratum, names, ratios, opts.stratify !== undefined);
  for (const w of warnings) ctx.log(`warning: ${w}`);
  if (scan.mixedGroups > 0) ctx.log(`warning: ${scan.mixedGroups} group(s) mix classes; each follows its first row's class`);
  ctx.log(names.map((n, i) => `${n}: ${sum(rowsPerSplit[i] as number[])}`).join(', '));

  const className = (s: string): string => (opts.stratify === undefined ? '(all)' : s);
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'split',
    input: relative(ctx.root, input),
    output: relative(ctx.root, outDir),
    seed: opts.seed,
    ratios: opts.ratios,
    stratify: opts.stratify ?? null,
    group: opts.group ?? null,
    rows_in: scan.rows,
    rows_out: scan.rows,
    units: { kind: opts.group === undefined ? 'row' : 'group', count: scan.unitStratum.length },
    mixed_groups: scan.mixedGroups,
    splits: Object.fromEntries(
      names.map((n, i) => [
        n,
        {
          file: relative(ctx.root, join(outDir, n + extensionOf(scan.format))),
          rows: sum(rowsPerSplit[i] as number[]),
          classes: Object.fromEntries(scan.strata.map((s, k) => [className(s), (rowsPerSplit[i] as number[])[k]])),
        },
      ]),
    ),
    warnings,
  });
}

function classOf(record: Readonly<Record<string, unknown>>, column: string | undefined): string {
  if (column === undefined) return '';
  const value = record[column];
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A class with too few units to give every split with a positive ratio at least one. */
function smallClassWarnings(
  strata: readonly string[],
  countsByStratum: readonly number[][],
  names: readonly string[],
  ratios: readonly number[],
  stratified: boolean,
): string[] {
  const warnings: string[] = [];
  strata.forEach((s, k) => {
    const counts = countsByStratum[k] as number[];
    const empty = names.filter((_, i) => (ratios[i] as number) > 0 && counts[i] === 0);
    if (empty.length === 0) return;
    const who = stratified ? `class "${s}"` : 'the table';
    warnings.push(`${who} has ${sum(counts)} unit(s), too few to appear in every split: none in ${empty.join(', ')}`);
  });
  return warnings;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
