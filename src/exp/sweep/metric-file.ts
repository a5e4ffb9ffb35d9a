import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { parse } from 'yaml';
import { DvctsError, ExitCode } from '../../core/errors.js';
import { lookupPath, parseKeyPath } from '../../pipeline/key-path.js';
import { projectPath } from '../../pipeline/paths.js';

/** `FILE:KEY`: a metrics file of the project and a key in it (a column, for a per-epoch table). */
export interface MetricRef {
  readonly file: string;
  readonly key: string;
}

export function parseMetricRef(option: string, text: string): MetricRef {
  const colon = text.lastIndexOf(':');
  const file = colon > 0 ? projectPath('', text.slice(0, colon)) : undefined;
  const key = text.slice(colon + 1);
  if (file === undefined || !file.ok || file.path === '' || key === '') {
    throw new DvctsError('E_SWEEP_OPTION', `--${option} ${text}: expected FILE:KEY, a file inside the project and a key in it`, {
      data: { option },
      hint: `e.g. --${option} reports/train.json:val.accuracy`,
      exitCode: ExitCode.usage,
    });
  }
  return { file: file.path, key };
}

/** The objective of a finished trial: a finite number at KEY of the JSON/YAML file FILE. */
export async function readObjective(root: string, ref: MetricRef, trial: string): Promise<number> {
  const fail = (why: string): DvctsError =>
    new DvctsError('E_SWEEP_OBJECTIVE', `trial ${trial}: the objective ${ref.file}:${ref.key} ${why}`, { data: { file: ref.file, key: ref.key, trial } });
  let doc: unknown;
  try {
    doc = parse(await readFile(join(root, ref.file), 'utf8'));
  } catch (e) {
    throw fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file was not written' : `file is not JSON/YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const segments = parseKeyPath(ref.key);
  const found = segments ? lookupPath(doc, segments) : { found: false as const };
  if (!found.found) throw fail('key is not in the file');
  if (typeof found.value !== 'number' || !Number.isFinite(found.value)) throw fail(`is not a finite number (${JSON.stringify(found.value)})`);
  return found.value;
}

/**
 * Rows of a per-epoch table (CSV, or TSV by extension) as (step, value) pairs of one column. The
 * step is the row's `epoch` or `step` column when it has one, else its 1-based position. A file
 * not written yet, or a row still being written, reads as fewer rows.
 */
export async function readSteps(root: string, ref: MetricRef): Promise<{ step: number; value: number }[]> {
  let text: string;
  try {
    text = await readFile(join(root, ref.file), 'utf8');
  } catch {
    return [];
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1); // a line without its newline may be half-written
  const { data } = Papa.parse<Record<string, string>>(complete, { header: true, skipEmptyLines: true, delimiter: /\.tsv$/i.test(ref.file) ? '\t' : ',' });
  return data.flatMap((row, i) => {
    const value = Number(row[ref.key]);
    const step = Number(row.epoch ?? row.step ?? i + 1);
    return row[ref.key] !== undefined && row[ref.key] !== '' && Number.isFinite(value) && Number.isFinite(step) ? [{ step, value }] : [];
  });
}
