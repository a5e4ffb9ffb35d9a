import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshExampleClone, git } from '../helpers/example-clone.js';
import { dvctsIn, TempProject } from '../helpers/project.js';

let base: TempProject | undefined;
afterEach(() => base?.cleanup());

describe('the example project', () => {
  it('reproduces the committed lock files byte for byte at --jobs 1 on a fresh clone, and a second run does nothing', { timeout: 360_000 }, () => {
    base = new TempProject('dvcts-example-');
    const dir = freshExampleClone(base.root, 'example');
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
});
