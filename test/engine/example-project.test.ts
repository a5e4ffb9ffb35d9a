import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/**
 * The example project of this repository, copied without its outputs, cache or lock files. The
 * raw digits (git-ignored, tracked by datasets/raw/digits.dvcts) are written afresh by the script
 * scripts/setup.sh runs, as on a fresh clone.
 */
function exampleCopy(): TempProject {
  const p = TempProject.init();
  const digits = join(repo, 'datasets/raw/digits');
  for (const path of ['params.yaml', 'datasets/raw', 'pipelines/text.yaml', 'pipelines/report.yaml', 'pipelines/models.yaml', 'pipelines/images.yaml']) {
    cpSync(join(repo, path), p.path(path), { recursive: true, filter: (source) => source !== digits });
  }
  const written = spawnSync(process.execPath, [join(repo, 'scripts/example-digits.mjs'), p.path('datasets/raw/digits')], { cwd: repo, encoding: 'utf8' });
  if (written.status !== 0) throw new Error(written.stderr);
  return p;
}

const LOCKS = ['pipelines/text.lock', 'pipelines/report.lock', 'pipelines/models.lock', 'pipelines/images.lock'];

/** Each lock file written in the copy must equal the committed one, byte for byte. */
function expectCommittedLocks(p: TempProject): void {
  for (const lock of LOCKS) expect(p.read(lock), lock).toBe(readFileSync(join(repo, lock), 'utf8'));
}

describe('the example project', () => {
  it('reproduces the committed lock files byte for byte, at any --jobs, and a second run does nothing', { timeout: 240_000 }, () => {
    project = exampleCopy();
    project.dvcts('repro', '--jobs', '1').expectOk();
    // the digits written on this machine are the ones the committed pointer records
    expect(project.dvcts('status').expectOk().stdout).toContain('up to date');
    expectCommittedLocks(project);
    expect(project.dvcts('repro').expectOk().ran).toEqual([]);
    project.sh('rm -rf datasets/work datasets/splits datasets/augmented datasets/sotu-splits datasets/images reports models .dvcts/cache pipelines/*.lock');
    project.dvcts('repro', '--jobs', '2').expectOk();
    expectCommittedLocks(project);
    // the trained model (wasm, what auto picks without a GPU) beats the majority class (~50%) clearly
    expect(JSON.parse(project.read('reports/train/poems-test.json')).accuracy).toBeGreaterThan(0.85);
    expect(project.read('reports/summary.md')).toContain('| datasets/splits/train.csv | 1391 |');
    const metrics = JSON.parse(project.dvcts('metrics', 'show', '--json').expectOk().stdout) as { metrics: { path: string; values: Record<string, unknown> }[] };
    expect(metrics.metrics.map((m) => m.path)).toContain('reports/text/split.json');
  });
});
