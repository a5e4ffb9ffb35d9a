import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dvctsIn, TempProject } from '../helpers/project.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let base: TempProject | undefined;
afterEach(() => {
  base?.cleanup();
  base = undefined;
});

/** Runs a command in `cwd`; throws with its stderr when it fails. */
function sh(cwd: string, command: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const git = (cwd: string, args: string) => sh(cwd, `git -c user.name=walkthrough -c user.email=walkthrough@dvcts.invalid ${args}`);
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length;

/**
 * A fresh `git clone` of this repository's committed state (uncommitted edits are not in it) in
 * `base/name`, set up as README command 1 does on a fresh machine: the installed packages and the
 * build are linked rather than installed again, and the raw data tracked with `dvcts add` (the
 * digits and the penguins) is written and stored in the cache by the commands scripts/setup.sh runs.
 */
function freshClone(name: string): string {
  base ??= new TempProject('dvcts-example-');
  const dir = base.path(name);
  sh(base.root, `git clone -q ${JSON.stringify(repo)} ${name}`);
  linkInstall(dir);
  sh(dir, 'node scripts/example-digits.mjs && node scripts/example-penguins.mjs');
  dvctsIn(dir, 'add', 'datasets/raw/digits', 'datasets/raw/penguins.csv').expectOk();
  return dir;
}

/** The packages and build of this checkout, linked into a clone (git-ignored there: a link is no folder to `dist/`). */
function linkInstall(dir: string): void {
  for (const linked of ['node_modules', 'dist']) symlinkSync(join(repo, linked), join(dir, linked));
  appendFileSync(join(dir, '.git/info/exclude'), '/node_modules\n/dist\n');
}

/** Exactly one of `metrics diff --json`'s changes. */
function metricChange(dir: string, path: string, key: string): { old?: unknown; new?: unknown } | undefined {
  const diff = JSON.parse(dvctsIn(dir, 'metrics', 'diff', '--json').expectOk().stdout) as { changes: { path: string; key: string }[] };
  return diff.changes.find((c) => c.path === path && c.key === key);
}

describe('the example project', () => {
  it('reproduces the committed lock files byte for byte at --jobs 1 on a fresh clone, and a second run does nothing', { timeout: 360_000 }, () => {
    const dir = freshClone('example');
    dvctsIn(dir, 'repro', '--jobs', '1').expectOk();
    // every lock, pointer and .gitignore as committed: nothing for git to see
    expect(git(dir, 'status --porcelain')).toBe('');
    expect(dvctsIn(dir, 'status').expectOk().stdout).toContain('up to date');
    expect(dvctsIn(dir, 'repro').expectOk().ran).toEqual([]);
    // the trained models (wasm, what auto picks without a GPU) beat the majority class clearly
    expect(JSON.parse(readFileSync(join(dir, 'reports/train/poems-test.json'), 'utf8')).accuracy).toBeGreaterThan(0.85);
    expect(JSON.parse(readFileSync(join(dir, 'reports/train/digits-test.json'), 'utf8')).accuracy).toBeGreaterThan(0.85);
    // the penguins table has real gaps: rows 4 and 340 lack every measurement, 8 more lack the
    // sex (NA) and row 337 has it as "." (datasets/README.md, read off vega-datasets' JSON)
    const clean = JSON.parse(readFileSync(join(dir, 'reports/tables/penguins_clean.json'), 'utf8'));
    expect([clean.rows_in, clean.rows_out, clean.dropped.by_column]).toEqual([344, 333, { beak_depth_mm: 2, beak_length_mm: 2, body_mass_g: 2, flipper_length_mm: 2, sex: 11 }]);
    expect(readFileSync(join(dir, 'reports/summary.md'), 'utf8')).toContain('| datasets/splits/train.csv | 1391 |');
    // the plots page: the inlined chart library and both models' plots
    const page = readFileSync(join(dir, 'reports/plots/index.html'), 'utf8');
    for (const title of ['Poems: learning curves', 'Digits: confusion matrix (test split)']) expect(page).toContain(title);
  });

  it('follows the README walkthrough: param change, data change, checkout --rev, diff, push and pull', { timeout: 600_000 }, () => {
    const dir = freshClone('dvcts');
    dvctsIn(dir, 'repro').expectOk();
    expect(git(dir, 'status --porcelain')).toBe('');
    git(dir, 'switch -q -c walkthrough');

    // 1. a param: only the stages that read it rerun (and the plots page drawn from their plots)
    const params = readFileSync(join(dir, 'params.yaml'), 'utf8');
    expect(params).toContain('poems: { epochs: 5, lr: 0.005,');
    writeFileSync(join(dir, 'params.yaml'), params.replace('poems: { epochs: 5, lr: 0.005,', 'poems: { epochs: 5, lr: 0.01,'));
    expect(dvctsIn(dir, 'status').expectOk().stdout).toMatch(/poems_train[\s\S]*train\.poems\.lr/);
    expect(dvctsIn(dir, 'repro').expectOk().ran).toEqual(['plots', 'poems_evaluate', 'poems_train']);
    const paramsDiff = JSON.parse(dvctsIn(dir, 'params', 'diff', '--json').expectOk().stdout) as { changes: { key: string; old: unknown; new: unknown }[] };
    expect(paramsDiff.changes.map((c) => [c.key, c.old, c.new])).toEqual([['train.poems.lr', 0.005, 0.01]]);
    const loss = metricChange(dir, 'reports/train/poems.json', 'train.loss');
    expect(loss?.old).not.toEqual(loss?.new);
    git(dir, 'commit -qam "poems: lr 0.01"');
    expect(git(dir, 'status --porcelain')).toBe('');

    // 2. the data: drop the 52 penguins of Torgersen island, re-add, reproduce, commit
    sh(dir, "sed -i '/,Torgersen,/d' datasets/raw/penguins.csv");
    dvctsIn(dir, 'add', 'datasets/raw/penguins.csv').expectOk();
    expect(dvctsIn(dir, 'repro').expectOk().ran).toEqual(['counts', 'penguins_clean', 'penguins_split', 'summary']);
    // 5 of the 11 incomplete rows were Torgersen's (rows 4, 9, 10, 11, 12)
    expect(metricChange(dir, 'reports/tables/penguins_clean.json', 'dropped.total')).toMatchObject({ old: 11, new: 6 });
    git(dir, 'commit -qam "penguins: without Torgersen"');
    expect(git(dir, 'status --porcelain')).toBe('');
    const raw = join(dir, 'datasets/raw/penguins.csv');
    const cleaned = join(dir, 'datasets/work/penguins.clean.csv');
    expect([lines(raw), lines(cleaned)]).toEqual([1 + 344 - 52, 1 + 333 - 47]);

    // 3. what changed since the commit before, and that version brought back
    const diff = JSON.parse(dvctsIn(dir, 'diff', 'HEAD~1', '--json').expectOk().stdout) as { added: { path: string }[]; deleted: { path: string }[]; modified: { path: string }[] };
    expect(diff.modified.map((c) => c.path)).toEqual(expect.arrayContaining(['datasets/raw/penguins.csv', 'datasets/work/penguins.clean.csv', 'datasets/penguins-splits/train.csv', 'reports/counts.tsv']));
    expect(diff.modified.map((c) => c.path).filter((p) => p.includes('poems') || p.includes('digits'))).toEqual([]);
    expect([diff.added, diff.deleted]).toEqual([[], []]);
    dvctsIn(dir, 'checkout', '--rev', 'HEAD~1').expectOk();
    expect([lines(raw), lines(cleaned)]).toEqual([1 + 344, 1 + 333]);
    expect(git(dir, 'status --porcelain')).toBe(''); // git's files untouched
    dvctsIn(dir, 'checkout').expectOk();
    expect([lines(raw), lines(cleaned)]).toEqual([1 + 344 - 52, 1 + 333 - 47]);
    expect(dvctsIn(dir, 'status').expectOk().stdout).toContain('up to date');

    // 4. a folder remote beside the clone; a second clone pulls everything and has nothing to run
    dvctsIn(dir, 'remote', 'add', '-d', 'storage', '../dvcts-storage').expectOk();
    dvctsIn(dir, 'push').expectOk();
    git(dir, 'commit -qam "data remote"');
    sh(base!.root, 'git clone -q -b walkthrough dvcts teammate');
    const mate = base!.path('teammate');
    linkInstall(mate);
    dvctsIn(mate, 'pull').expectOk();
    expect(readFileSync(join(mate, 'datasets/raw/penguins.csv'), 'utf8')).toBe(readFileSync(raw, 'utf8'));
    expect(readFileSync(join(mate, 'reports/train/poems.json'), 'utf8')).toBe(readFileSync(join(dir, 'reports/train/poems.json'), 'utf8'));
    expect(dvctsIn(mate, 'status').expectOk().stdout).toContain('up to date');
    expect(dvctsIn(mate, 'repro').expectOk().ran).toEqual([]);
    expect(git(mate, 'status --porcelain')).toBe('');
  });
});
