import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backtranslateStage, type BacktranslateOptions } from '../../../src/stages/backtranslate/definition.js';
import { run } from '../../../src/stages/backtranslate/run.js';
import { FIXTURES, testProject, withDefaults, type TestProject } from '../synonyms/stage-context.js';
import { startTranslationServer, type TranslationServer } from './translation-server.js';

const options = (given: Partial<BacktranslateOptions>): BacktranslateOptions =>
  withDefaults(backtranslateStage.options, { column: 'text', ...given });
const rowsOf = (csv: string): Record<string, string>[] =>
  Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
const KEY_VARIABLE = 'DVCTS_TEST_LT_KEY';

let project: TestProject;
let server: TranslationServer | undefined;
beforeEach(async () => {
  project = await testProject();
  const all = (await readFile(join(FIXTURES, 'sotu-sentences.csv'), 'utf8')).trimEnd().split('\n');
  await writeFile(project.path('small.csv'), `${all.slice(0, 11).join('\n')}\n`); // header + 10 rows
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete process.env[KEY_VARIABLE];
  await project.remove();
});

/** `cacheless`: a memo that never hits, so every run really asks the engine. */
async function backtranslate(given: Partial<BacktranslateOptions>, input = 'small.csv', cacheless = false): Promise<{ rows: Record<string, string>[]; report: any }> {
  const ctx = project.context(options(given), { deps: [input], outs: ['out.csv'], metrics: ['report.json'] });
  const noCache = { get: async () => undefined, put: async () => {}, putMany: async () => {} };
  await run(cacheless ? { ...ctx, itemCache: noCache } : ctx);
  return {
    rows: rowsOf(await readFile(project.path('out.csv'), 'utf8')),
    report: JSON.parse(await readFile(project.path('report.json'), 'utf8')),
  };
}

const tripsOf = (rows: Record<string, string>[]): string[] => rows.filter((r) => r.aug_method !== '').map((r) => r.text as string);

describe('backtranslate over HTTP (a real APy/LibreTranslate-protocol server on 127.0.0.1)', () => {
  it('apy: one request per direction for the whole batch, same translations as the CLI', async () => {
    server = await startTranslationServer();
    const apy = await backtranslate({ engine: 'apy', url: server.url }, 'small.csv', true);
    expect(server.requests).toHaveLength(2);
    expect(new URLSearchParams(server.requests[0]?.body).get('langpair')).toBe('eng|spa');
    expect(new URLSearchParams(server.requests[1]?.body).get('langpair')).toBe('spa|eng');
    expect(apy.rows.filter((r) => r.aug_method === 'backtranslate:apy')).toHaveLength(10);

    const cli = await backtranslate({ engine: 'apertium' }, 'small.csv', true);
    expect(tripsOf(apy.rows)).toEqual(tripsOf(cli.rows));
  });

  it('apy: a stalled request times out and is retried', async () => {
    server = await startTranslationServer({ stall: 1 });
    const { rows, report } = await backtranslate({ engine: 'apy', url: server.url, timeout_ms: 4000, retries: 2 });
    expect(tripsOf(rows)).toHaveLength(10);
    expect(report.engine.http_retries).toBe(1);
    expect(server.requests).toHaveLength(3); // stalled + retried forward, then back
  });

  it('apy: E_ENGINE_UNREACHABLE once the retries are spent, writing nothing', async () => {
    server = await startTranslationServer({ stall: 100 });
    const ctx = project.context(options({ engine: 'apy', url: server.url, timeout_ms: 200, retries: 1 }), { deps: ['small.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_UNREACHABLE', data: { url: `${server.url}/translate`, attempts: 2 } });
    expect(server.requests).toHaveLength(2);
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('apy: a pair the server lacks is E_ENGINE_MISSING', async () => {
    server = await startTranslationServer();
    const ctx = project.context(options({ engine: 'apy', url: server.url, pivot: 'fra' }), { deps: ['small.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_MISSING', data: { engine: 'apy', pair: 'eng|fra' } });
  });

  it('libretranslate: q as an array, the key from the environment variable the YAML names', async () => {
    server = await startTranslationServer({ apiKey: 'secret-123' });
    process.env[KEY_VARIABLE] = 'secret-123';
    const { rows } = await backtranslate({ engine: 'libretranslate', url: server.url, source: 'en', pivot: 'es', api_key_env: KEY_VARIABLE });
    expect(server.requests).toHaveLength(2);
    const first = JSON.parse(server.requests[0]?.body ?? '{}');
    expect(first).toMatchObject({ source: 'en', target: 'es', format: 'text', api_key: 'secret-123' });
    expect(first.q).toHaveLength(10);
    expect(tripsOf(rows)).toHaveLength(10);
    expect(rows[1]?.aug_method).toBe('backtranslate:libretranslate');
  });

  it('libretranslate: an unset key variable is E_API_KEY_MISSING naming the variable', async () => {
    server = await startTranslationServer({ apiKey: 'secret-123' });
    const ctx = project.context(options({ engine: 'libretranslate', url: server.url, source: 'en', pivot: 'es', api_key_env: KEY_VARIABLE }), {
      deps: ['small.csv'],
      outs: ['out.csv'],
    });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_API_KEY_MISSING', data: { option: 'api_key_env', variable: KEY_VARIABLE } });
    expect(server.requests).toHaveLength(0);
  });

  it('libretranslate: a refused key is E_ENGINE_AUTH', async () => {
    server = await startTranslationServer({ apiKey: 'secret-123' });
    process.env[KEY_VARIABLE] = 'wrong';
    const ctx = project.context(options({ engine: 'libretranslate', url: server.url, source: 'en', pivot: 'es', api_key_env: KEY_VARIABLE }), {
      deps: ['small.csv'],
      outs: ['out.csv'],
    });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_AUTH', data: { status: 403 } });
  });
});
