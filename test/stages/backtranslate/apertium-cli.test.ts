import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backtranslateStage, type BacktranslateOptions } from '../../../src/stages/backtranslate/definition.js';
import { run } from '../../../src/stages/backtranslate/run.js';
import { FIXTURES, testProject, withDefaults, type TestProject } from '../synonyms/stage-context.js';

const options = (given: Partial<BacktranslateOptions>): BacktranslateOptions =>
  withDefaults(backtranslateStage.options, { column: 'text', ...given });
const rowsOf = (csv: string): Record<string, string>[] =>
  Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

/** The reference: one sentence alone through the shell pipe `apertium eng-spa | apertium spa-eng`. */
function roundTripAlone(sentence: string): string {
  // `cat |`: apertium opens /dev/stdin, which fails on the socket Node gives a child as stdin.
  const pipe = 'cat | apertium -u eng-spa | apertium -u spa-eng';
  return execFileSync('bash', ['-c', pipe], { input: sentence, encoding: 'utf8' }).replace(/\s+/g, ' ').trim();
}

let project: TestProject;
beforeEach(async () => {
  project = await testProject();
  await copyFile(join(FIXTURES, 'sotu-sentences.csv'), project.path('sotu.csv'));
});
afterEach(() => project.remove());

async function backtranslate(given: Partial<BacktranslateOptions>, input = 'sotu.csv'): Promise<{ rows: Record<string, string>[]; report: any }> {
  await run(project.context(options(given), { deps: [input], outs: ['out.csv'], metrics: ['report.json'] }));
  return {
    rows: rowsOf(await readFile(project.path('out.csv'), 'utf8')),
    report: JSON.parse(await readFile(project.path('report.json'), 'utf8')),
  };
}

describe('backtranslate with the Apertium CLI (real eng -> spa -> eng)', () => {
  it('adds one round trip after each row, mapped 1:1 to its own sentence', async () => {
    const { rows, report } = await backtranslate({ id_column: 'id' });
    expect(rows).toHaveLength(80);
    for (let i = 0; i < rows.length; i += 2) {
      const [original, trip] = [rows[i], rows[i + 1]] as Record<string, string>[];
      expect(original.aug_method).toBe('');
      expect(trip.aug_method).toBe('backtranslate:apertium');
      expect(trip.aug_source).toBe(original.id);
      expect(trip.president).toBe(original.president);
      expect(trip.bt_unchanged).toBe(String(trip.text === original.text));
    }
    // Batched sentences come back exactly as when each is translated alone.
    for (const i of [0, 17, 39]) {
      const original = rows[2 * i] as Record<string, string>;
      expect(rows[2 * i + 1]?.text).toBe(roundTripAlone(original.text as string));
    }
    expect(report.sentences).toEqual({ translated: 40, cached: 0 });
    expect(report.engine.apertium_pipelines).toBe(1);
    expect(report.rows_out).toBe(80);
  });

  it('a rerun after adding 10 rows translates those 10 only', async () => {
    const all = (await readFile(join(FIXTURES, '../../datasets/raw/sotu.csv'), 'utf8')).trimEnd().split('\n');
    await writeFile(project.path('grow.csv'), `${all.slice(0, 41).join('\n')}\n`);
    const first = await backtranslate({}, 'grow.csv');
    expect(first.report.sentences).toEqual({ translated: 40, cached: 0 });
    await writeFile(project.path('grow.csv'), `${all.slice(0, 51).join('\n')}\n`);
    const second = await backtranslate({}, 'grow.csv');
    expect(second.report.sentences).toEqual({ translated: 10, cached: 40 });
    expect(second.rows.slice(0, 80)).toEqual(first.rows);
    expect(project.logs).toContain('10 sentences translated, 40 from the cache (backtranslate:apertium eng->spa->eng)');
  });

  it('marks or drops round trips that come back unchanged, and keeps line structure', async () => {
    await writeFile(
      project.path('mixed.csv'),
      'id,text\na,xyzzy frobnicates\nb,"The nation is strong.\nWe must act now."\nc,\n',
    );
    const marked = await backtranslate({}, 'mixed.csv');
    expect(marked.rows.map((r) => [r.aug_source, r.bt_unchanged])).toEqual([
      ['', ''],
      ['0', 'true'],
      ['', ''],
      ['1', 'false'],
      ['', ''],
    ]);
    expect(marked.rows[3]?.text.split('\n')).toHaveLength(2);
    expect(marked.report.unchanged).toEqual({ count: 1, action: 'mark' });
    expect(marked.report.empty_text).toBe(1);

    const dropped = await backtranslate({ on_unchanged: 'drop' }, 'mixed.csv');
    expect(dropped.rows.map((r) => r.aug_source)).toEqual(['', '', '1', '']);
    expect(Object.keys(dropped.rows[0] ?? {})).not.toContain('bt_unchanged');
    expect(dropped.report.unchanged).toEqual({ count: 1, action: 'drop' });
  });
});

describe('backtranslate bad input', () => {
  it('apertium missing from PATH: E_ENGINE_MISSING naming the packages to install', async () => {
    const emptyBin = project.path('empty-bin');
    await mkdir(emptyBin);
    const path = process.env.PATH;
    process.env.PATH = emptyBin;
    try {
      const failure = run(project.context(options({}), { deps: ['sotu.csv'], outs: ['out.csv'] }));
      await expect(failure).rejects.toMatchObject({
        code: 'E_ENGINE_MISSING',
        message: expect.stringContaining('apertium not found on PATH: apt-get install apertium apertium-eng-spa'),
        data: { engine: 'apertium', path: emptyBin },
      });
    } finally {
      process.env.PATH = path;
    }
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a language pair that is not installed: E_ENGINE_MISSING naming both directions', async () => {
    const failure = run(project.context(options({ pivot: 'fra' }), { deps: ['sotu.csv'], outs: ['out.csv'] }));
    await expect(failure).rejects.toMatchObject({ code: 'E_ENGINE_MISSING', data: { missing: ['eng-fra', 'fra-eng'] } });
  });

  it('a missing column: E_TABLE_UNKNOWN_COLUMN naming the file and option', async () => {
    const failure = run(project.context(options({ column: 'speech' }), { deps: ['sotu.csv'], outs: ['out.csv'] }));
    await expect(failure).rejects.toMatchObject({
      code: 'E_TABLE_UNKNOWN_COLUMN',
      data: { file: project.path('sotu.csv'), option: 'column', missing: ['speech'] },
    });
  });

  it('check(): options that the engine ignores, and a key written where its variable name belongs', () => {
    const stage = { deps: ['in.csv'], outs: ['out.csv'], metrics: [] };
    const codes = (o: Partial<BacktranslateOptions>): unknown[] =>
      (backtranslateStage.check?.(options(o), stage) ?? []).map((p) => [p.code, p.path]);
    expect(codes({ url: 'http://x' })).toEqual([['E_OPTION_UNUSED', ['url']]]);
    expect(codes({ engine: 'apy', api_key_env: 'LT_API_KEY' })).toEqual([['E_OPTION_UNUSED', ['api_key_env']]]);
    expect(codes({ engine: 'libretranslate', api_key_env: 'sk-9f8a7b6c-key' })).toEqual([['E_API_KEY_ENV_NAME', ['api_key_env']]]);
    expect(codes({ engine: 'libretranslate', api_key_env: 'LT_API_KEY' })).toEqual([]);
  });
});
