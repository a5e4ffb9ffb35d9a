import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
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

// APy itself is tested against the real server (apy-server.test.ts). LibreTranslate cannot be
// installed here, so its protocol is tested against an emulator whose translations come from
// the apertium CLI; the HTTP client's timeouts and retries are tested through it too.
describe('backtranslate over LibreTranslate\'s protocol (an emulator on 127.0.0.1, translating with the apertium CLI)', () => {
  const lt = { engine: 'libretranslate', source: 'en', pivot: 'es' } as const;

  it('a stalled request times out and is retried', async () => {
    server = await startTranslationServer({ stall: 1 });
    const { rows, report } = await backtranslate({ ...lt, url: server.url, timeout_ms: 4000, retries: 2 });
    expect(tripsOf(rows)).toHaveLength(10);
    expect(report.engine.http_retries).toBe(1);
    expect(server.requests).toHaveLength(3); // stalled + retried forward, then back
  });

  it('E_ENGINE_UNREACHABLE once the retries are spent, writing nothing', async () => {
    server = await startTranslationServer({ stall: 100 });
    const ctx = project.context(options({ ...lt, url: server.url, timeout_ms: 200, retries: 1 }), { deps: ['small.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_UNREACHABLE', data: { url: `${server.url}/translate`, attempts: 2 } });
    expect(server.requests).toHaveLength(2);
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a request that never answers times out even while garbage collection runs (Node drops AbortSignal.timeout inside AbortSignal.any)', async () => {
    server = await startTranslationServer({ stall: 100 });
    const client = pathToFileURL(join(import.meta.dirname, '../../../dist/stages/backtranslate/http-client.js')).href;
    const script = `
      const { HttpClient } = await import(${JSON.stringify(client)});
      setInterval(() => globalThis.gc(), 5);
      const watchdog = setTimeout(() => { console.log('hung'); process.exit(2); }, 8000);
      const http = new HttpClient({ timeoutMs: 300, retries: 0, backoffMs: 10 });
      await http.post(${JSON.stringify(`${server.url}/translate`)}, '{}', 'application/json', new AbortController().signal).catch((e) => console.log(e.code));
      clearTimeout(watchdog);
      process.exit(0);`;
    const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect([status, out.trim()]).toEqual([0, 'E_ENGINE_UNREACHABLE']);
  });

  it('a language the server does not have is E_ENGINE_MISSING', async () => {
    server = await startTranslationServer();
    const ctx = project.context(options({ ...lt, url: server.url, pivot: 'fr' }), { deps: ['small.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_MISSING', data: { engine: 'libretranslate', pair: 'en|fr' } });
  });

  it('q as an array, the key from the environment variable the YAML names', async () => {
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

  it('an unset key variable is E_API_KEY_MISSING naming the variable', async () => {
    server = await startTranslationServer({ apiKey: 'secret-123' });
    const ctx = project.context(options({ engine: 'libretranslate', url: server.url, source: 'en', pivot: 'es', api_key_env: KEY_VARIABLE }), {
      deps: ['small.csv'],
      outs: ['out.csv'],
    });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_API_KEY_MISSING', data: { option: 'api_key_env', variable: KEY_VARIABLE } });
    expect(server.requests).toHaveLength(0);
  });

  it('a refused key is E_ENGINE_AUTH', async () => {
    server = await startTranslationServer({ apiKey: 'secret-123' });
    process.env[KEY_VARIABLE] = 'wrong';
    const ctx = project.context(options({ engine: 'libretranslate', url: server.url, source: 'en', pivot: 'es', api_key_env: KEY_VARIABLE }), {
      deps: ['small.csv'],
      outs: ['out.csv'],
    });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_ENGINE_AUTH', data: { status: 403 } });
  });
});
