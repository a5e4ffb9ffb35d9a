import { spawnSync } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SynonymsOptions } from '../../../src/stages/synonyms/definition.js';
import { FIXTURES, testProject, withDefaults, type TestProject } from './stage-context.js';

/**
 * natural's package entry point imports dotenv, which reads `.env` from the working directory
 * into process.env and prints "injected env" to stdout. A user's project may well have a `.env`
 * (API keys): running `synonyms` there must neither load it nor print anything.
 * Own test file, so the stage's modules are imported here for the first time.
 */
const PROBE = 'DVCTS_DOTENV_PROBE';
let project: TestProject;
let cwd: string;

beforeEach(async () => {
  project = await testProject();
  cwd = process.cwd();
  await writeFile(project.path('.env'), `${PROBE}=leaked\n`);
  await copyFile(join(FIXTURES, 'sotu-sentences.csv'), project.path('sotu.csv'));
});
afterEach(async () => {
  process.chdir(cwd);
  vi.restoreAllMocks();
  await project.remove();
});

it('the hazard is real: importing natural whole in a folder with .env loads it and prints', () => {
  const natural = pathToFileURL(createRequire(import.meta.url).resolve('natural')).href;
  const script = `await import(${JSON.stringify(natural)}); console.error(process.env.${PROBE});`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project.root, encoding: 'utf8' });
  expect(child.stdout).toMatch(/injected env/);
  expect(child.stderr.trim()).toBe('leaked');
});

it('running synonyms (WordNet) in a folder with .env neither loads it nor prints', async () => {
  process.chdir(project.root);
  const writes: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  const { synonymsStage } = await import('../../../src/stages/synonyms/definition.js');
  const { loadRunner } = await import('../../../src/core/builtin.js');
  const { run } = await loadRunner<SynonymsOptions>(synonymsStage.runner);
  await run(project.context(withDefaults(synonymsStage.options, { column: 'text', seed: 1 }), { deps: ['sotu.csv'], outs: ['out.csv'] }));
  vi.restoreAllMocks();

  expect((await readFile(project.path('out.csv'), 'utf8')).length).toBeGreaterThan(0);
  expect(process.env[PROBE]).toBeUndefined();
  expect(writes).toEqual([]);
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  expect(loaded.filter((path) => path.includes(`${'/'}dotenv${'/'}`))).toEqual([]);
});
