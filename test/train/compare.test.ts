import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitProject } from '../versioning/git-project.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(repo, 'test-artifacts');

// Shell stages stand in for training here: the commands compare files, whatever wrote them.
// The metrics and plots files are stage outputs (git-ignored, in the cache); params.yaml is in git.
const FIT_SH = `mkdir -p out
printf '{"acc": %s, "loss": %s, "backend": "wasm", "confusion_matrix": {"labels": ["a", "b"], "matrix": [[%s, 1], [2, 5]]}}\\n' "$1" "$2" "$3" > out/metrics.json
printf 'epoch,loss,acc\\n1,0.9,0.5\\n2,%s,%s\\n' "$2" "$1" > out/curves.csv
printf 'actual,predicted\\na,a\\na,b\\nb,b\\nb,%s\\n' "$4" > out/predictions.csv
`;
const PIPELINE = `stages:
  fit:
    cmd: sh fit.sh \${train.acc} \${train.loss} \${train.hits} \${train.last}
    deps: [fit.sh]
    metrics: [out/metrics.json]
    plots:
      - out/curves.csv: { x: epoch, title: Learning curves, y_label: loss and accuracy }
      - out/predictions.csv: { template: confusion, x: actual, y: predicted }
`;
const params = (acc: number, loss: number, hits: number, last: string): string =>
  `train: { acc: ${acc}, loss: ${loss}, hits: ${hits}, last: ${last}, unused: 1 }\nsplit: { seed: 42 }\n`;

let p: GitProject;
beforeAll(() => {
  p = GitProject.create();
  p.write({ 'fit.sh': FIT_SH, 'pipelines/p.yaml': PIPELINE, 'params.yaml': params(0.75, 0.5, 3, 'a') });
  p.dvcts('repro').expectOk();
  p.commit('v1');
  p.git('tag', 'v1');
  p.write({ 'params.yaml': params(0.875, 0.25, 4, 'b') });
  p.dvcts('repro').expectOk();
  p.commit('v2');
  p.git('tag', 'v2');
});
afterAll(() => p.cleanup());

const json = (...args: string[]): any => JSON.parse(p.dvcts(...args, '--json').expectOk().stdout);

describe('metrics diff / params diff across commits', () => {
  it('metrics diff v1 v2 reads each commit\'s metrics from the cache through its lock file, even with the workspace file gone', () => {
    rmSync(p.path('out/metrics.json'));
    const result = json('metrics', 'diff', 'v1', 'v2');
    expect(result).toMatchObject({ a: 'v1', b: 'v2' });
    const byKey = Object.fromEntries(result.changes.map((c: any) => [c.key, c]));
    expect(byKey.acc).toEqual({ path: 'out/metrics.json', key: 'acc', old: 0.75, new: 0.875, change: 0.125 });
    expect(byKey.loss).toEqual({ path: 'out/metrics.json', key: 'loss', old: 0.5, new: 0.25, change: -0.25 });
    expect(byKey['confusion_matrix.matrix.0.0']).toMatchObject({ old: 3, new: 4, change: 1 });
    expect(byKey.backend).toBeUndefined(); // unchanged: left out ...
    expect(json('metrics', 'diff', 'v1', 'v2', '--all').changes.map((c: any) => c.key)).toContain('backend'); // ... unless --all
    p.dvcts('checkout').expectOk();
  });

  it('metrics diff without revisions compares HEAD with the workspace; --md prints a Markdown table', () => {
    p.write({ 'params.yaml': params(0.5, 0.25, 4, 'b') });
    p.dvcts('repro').expectOk();
    expect(p.dvcts('metrics', 'diff', '--md').expectOk().stdout).toBe(
      '| Path | Metric | HEAD | workspace | Change |\n|---|---|---|---|---|\n| out/metrics.json | acc | 0.875 | 0.5 | -0.375 |\n',
    );
    p.git('checkout', '--', 'params.yaml');
    p.dvcts('repro').expectOk();
    expect(p.dvcts('metrics', 'diff').expectOk().stdout).toBe('No metric changed between HEAD and workspace.\n');
  });

  it('params diff v1 v2 shows the tracked params that changed (interpolated ones are tracked), from git at each commit', () => {
    const result = json('params', 'diff', 'v1', 'v2');
    expect(result.changes).toEqual([
      { path: 'params.yaml', key: 'train.acc', old: 0.75, new: 0.875, change: 0.125 },
      { path: 'params.yaml', key: 'train.hits', old: 3, new: 4, change: 1 },
      { path: 'params.yaml', key: 'train.last', old: 'a', new: 'b' },
      { path: 'params.yaml', key: 'train.loss', old: 0.5, new: 0.25, change: -0.25 },
    ]);
    expect(json('params', 'diff', 'v1', 'v2', '--all').changes.map((c: any) => c.key)).not.toContain('train.unused'); // never tracked
    expect(p.dvcts('params', 'diff', 'v1', 'nope').code).toBe(2);
  });
});

describe('plots', () => {
  it('plots diff v1 v2 writes one offline page that draws in headless Chromium without errors or network', () => {
    const out = p.dvcts('plots', 'diff', 'v1', 'v2', '-o', 'plots-out').expectOk();
    expect(out.stdout).toBe('2 plot(s) drawn: plots-out/index.html\n');
    mkdirSync(artifacts, { recursive: true });
    const page = chromium(p.path('plots-out/index.html'), join(artifacts, 'plots-diff.png'), {
      lines: 'document.querySelectorAll("svg .mark-line.role-mark path").length',
      points: 'document.querySelectorAll("svg .mark-symbol.role-mark path").length',
      cells: 'document.querySelectorAll("svg .mark-rect.role-mark path").length',
      counts: '[...document.querySelectorAll("svg .mark-text.role-mark text")].map((t) => t.textContent).join(",")',
      errors: 'document.querySelectorAll(".error").length',
    });
    expect(page.exceptions).toEqual([]);
    expect(page.console.filter((m: any) => m.level === 'error' || m.level === 'warning')).toEqual([]);
    expect(page.requests.every((u: string) => u.startsWith('file://'))).toBe(true);
    // curves: 2 y fields × 2 revisions = 4 lines of 2 epochs; confusion: 2 revisions × 2 × 2 cells
    expect(page.values).toMatchObject({ lines: 4, points: 8, cells: 8, errors: 0 });
    // v1 predictions a,a a,b b,b b,a -> cells (actual, predicted) = 1 1 1 1; v2 ... b,b -> 1 1 0 2
    expect(page.values.counts.split(',').sort()).toEqual(['0', '1', '1', '1', '1', '1', '1', '2']);
  });

  it('plots show draws the workspace, with the confusion matrix of a metrics file when no confusion plot is declared', () => {
    p.write({ 'pipelines/p.yaml': PIPELINE.replace('      - out/predictions.csv: { template: confusion, x: actual, y: predicted }\n', '') });
    p.dvcts('repro').expectOk();
    const result = JSON.parse(p.dvcts('plots', 'show', '--json').expectOk().stdout);
    expect(result.plots).toEqual([
      { id: 'out/curves.csv', kind: 'curves' },
      { id: 'out/metrics.json (confusion_matrix)', kind: 'confusion' },
    ]);
    const page = chromium(result.page, join(artifacts, 'plots-show.png'), { cells: 'document.querySelectorAll("svg .mark-rect.role-mark path").length' });
    expect(page.values.cells).toBe(4);
    expect(page.exceptions).toEqual([]);
  });
});

function chromium(file: string, screenshot: string, values: Record<string, string>): any {
  const r = spawnSync(
    process.execPath,
    ['--experimental-websocket', join(repo, 'test/helpers/chromium-page.mjs'), `file://${file}`, screenshot, 'document.body.dataset.rendered', JSON.stringify(values)],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`chromium-page failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
