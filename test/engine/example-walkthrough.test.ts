import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshExampleClone, git, lines, linkInstall, sh } from '../helpers/example-clone.js';
import { dvctsIn, TempProject } from '../helpers/project.js';

let base: TempProject | undefined;
afterEach(() => base?.cleanup());

/** The change `metrics diff --json` reports for one key of one file (undefined: unchanged). */
function metricChange(dir: string, path: string, key: string): { old?: unknown; new?: unknown } | undefined {
  const diff = JSON.parse(dvctsIn(dir, 'metrics', 'diff', '--json').expectOk().stdout) as { changes: { path: string; key: string }[] };
  return diff.changes.find((c) => c.path === path && c.key === key);
}

describe('the README walkthrough', () => {
  it('in a fresh clone: param change, data change, diff, checkout --rev, push and pull, each step checked', { timeout: 600_000 }, () => {
    const parent = (base = new TempProject('dvcts-walkthrough-')).root;
    const dir = freshExampleClone(parent, 'dvcts');
    dvctsIn(dir, 'repro').expectOk();
    expect(git(dir, 'status --porcelain')).toBe('');
    git(dir, 'switch -q -c walkthrough');

    // 1. a param: only the stages that read it rerun (and the plots page drawn from their plots)
    sh(dir, "sed -i 's/lr: 0.005, batch_size: 64/lr: 0.01, batch_size: 64/' params.yaml"); // the README's command
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
    sh(parent, 'git clone -q -b walkthrough dvcts teammate');
    const mate = join(parent, 'teammate');
    linkInstall(mate);
    dvctsIn(mate, 'pull').expectOk();
    expect(readFileSync(join(mate, 'datasets/raw/penguins.csv'), 'utf8')).toBe(readFileSync(raw, 'utf8'));
    expect(readFileSync(join(mate, 'reports/train/poems.json'), 'utf8')).toBe(readFileSync(join(dir, 'reports/train/poems.json'), 'utf8'));
    expect(dvctsIn(mate, 'status').expectOk().stdout).toContain('up to date');
    expect(dvctsIn(mate, 'repro').expectOk().ran).toEqual([]);
    expect(git(mate, 'status --porcelain')).toBe('');
  });
});
