import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../../helpers/project.js';

/**
 * The `apy` engine against the real Apertium APy server (Debian's apertium-apy), run with the
 * dvcts process inside a private network namespace of this test (unshare -n, loopback only).
 */
const WITH_APY = join(import.meta.dirname, 'with-apy.sh');
const SENTENCES = readFileSync(join(import.meta.dirname, '../../fixtures/sotu-sentences.csv'), 'utf8').trimEnd().split('\n').slice(0, 11).join('\n') + '\n';

const PIPELINE = `stages:
  via_apy:
    uses: backtranslate
    deps: [small.csv]
    outs: [apy.csv]
    metrics: [apy.json]
    with: { column: text, engine: apy, url: "http://127.0.0.1:2737", id_column: id }
  via_cli:
    uses: backtranslate
    deps: [small.csv]
    outs: [cli.csv]
    with: { column: text, engine: apertium, id_column: id }
  pair_missing:
    uses: backtranslate
    deps: [small.csv]
    outs: [fra.csv]
    with: { column: text, engine: apy, url: "http://127.0.0.1:2737", pivot: fra }
`;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const rowsOf = (csv: string): Record<string, string>[] => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
const roundTrips = (csv: string): string[] => rowsOf(csv).filter((r) => r.aug_method !== '').map((r) => r.text!);

/**
 * The reference: each sentence sent to the same APy on its own, one request per direction, as
 * APy's documentation shows (markUnknown=no, as the engine asks; spacing collapsed, as it does).
 */
const ONE_BY_ONE = `
import { readFileSync, writeFileSync } from 'node:fs';
const translate = async (pair, q) => {
  const answer = await fetch('http://127.0.0.1:2737/translate', { method: 'POST', body: new URLSearchParams({ langpair: pair, q, markUnknown: 'no' }) });
  return (await answer.json()).responseData.translatedText.replace(/\\s+/g, ' ').trim();
};
const trips = [];
for (const sentence of JSON.parse(readFileSync('sentences.json', 'utf8'))) trips.push(await translate('spa|eng', await translate('eng|spa', sentence)));
writeFileSync('one-by-one.json', JSON.stringify(trips));
`;

describe('backtranslate with engine: apy, against a real apertium-apy in a private network namespace', () => {
  it('translates a batch as if each sentence were sent alone, and names a pair the server lacks', { timeout: 180_000 }, () => {
    const p = (project = TempProject.init({ 'pipelines/bt.yaml': PIPELINE, 'small.csv': SENTENCES, 'one-by-one.mjs': ONE_BY_ONE }));
    p.write({ 'sentences.json': JSON.stringify(rowsOf(SENTENCES).map((r) => r.text)) });
    const node = `"${process.execPath}"`;
    const run = spawnSync('unshare', ['-n', 'sh', WITH_APY, `${node} "${CLI}" repro --keep-going --jobs 1; status=$?; ${node} one-by-one.mjs && exit $status`], {
      cwd: p.root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(1); // pair_missing fails, the others run
    expect(run.stderr).toMatch(/Stage 'pair_missing' failed: APy at http:\/\/127\.0\.0\.1:2737 has no eng-fra language pair.*\[E_ENGINE_MISSING\]/);
    const viaApy = roundTrips(p.read('apy.csv'));
    expect(viaApy).toHaveLength(10);
    // Batched as blank-line separated paragraphs, each sentence comes back as if sent alone.
    expect(viaApy).toEqual(JSON.parse(p.read('one-by-one.json')));
    // The CLI engine is another translator setup: most, not all, round trips agree with it.
    const cli = roundTrips(p.read('cli.csv'));
    expect(viaApy.filter((t, i) => t === cli[i]).length).toBeGreaterThanOrEqual(8);
    expect(JSON.parse(p.read('apy.json'))).toMatchObject({ method: 'backtranslate:apy', rows_in: 10, sentences: { translated: 10, cached: 0 } });
    // Nothing of APy outlives the namespace: no server process is left on this machine.
    expect(spawnSync('pgrep', ['-f', 'apertium-apy -p 2737']).status).toBe(1);
  });
});
