import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** The example project of this repository, copied without its outputs, cache or lock files. */
function exampleCopy(): TempProject {
  const p = TempProject.init();
  for (const path of ['params.yaml', 'datasets/raw', 'pipelines/text.yaml', 'pipelines/report.yaml']) {
    cpSync(join(repo, path), p.path(path), { recursive: true });
  }
  return p;
}

/** Output ids by stage, from a lock file's text. */
function outIds(lockText: string): Record<string, string[]> {
  const stages = (parse(lockText) as { stages: Record<string, { outs?: { id: string }[] }> }).stages;
  return Object.fromEntries(Object.entries(stages).map(([name, s]) => [name, (s.outs ?? []).map((o) => o.id)]));
}

describe('the example project', () => {
  it('reproduces the committed lock files byte for byte, at any --jobs, and a second run does nothing', { timeout: 240_000 }, () => {
    project = exampleCopy();
    project.dvcts('repro', '--jobs', '1').expectOk();
    for (const lock of ['pipelines/text.lock', 'pipelines/report.lock']) {
      expect(outIds(project.read(lock))).toEqual(outIds(readFileSync(join(repo, lock), 'utf8')));
    }
    expect(project.dvcts('repro').expectOk().ran).toEqual([]);
    project.sh('rm -rf datasets/work datasets/splits datasets/augmented datasets/sotu-splits reports .dvcts/cache pipelines/*.lock');
    project.dvcts('repro', '--jobs', '2').expectOk();
    expect(outIds(project.read('pipelines/text.lock'))).toEqual(outIds(readFileSync(join(repo, 'pipelines/text.lock'), 'utf8')));
    expect(project.read('reports/summary.md')).toContain('| datasets/splits/train.csv | 1391 |');
    const metrics = JSON.parse(project.dvcts('metrics', 'show', '--json').expectOk().stdout) as { metrics: { path: string; values: Record<string, unknown> }[] };
    expect(metrics.metrics.map((m) => m.path)).toContain('reports/text/split.json');
  });
});
