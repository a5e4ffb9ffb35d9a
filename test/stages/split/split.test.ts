import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { largestRemainder } from '../../../src/stages/split/allocate.js';
import { splitStage } from '../../../src/stages/split/definition.js';
import { openTable } from '../../../src/table/index.js';
import { runStage, runStageError, tempProject, withDefaults, writeText } from '../stage-harness.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/poems/${name}`, import.meta.url));
const POEMS = fixture('poems.utf8.csv');

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

async function split(input: string, options: Record<string, unknown>, out = 'splits'): Promise<{ report: any; log: string[] }> {
  const { log } = await runStage(splitStage, project.root, { deps: [input], outs: [project.path(out)], metrics: [project.path('m.json')] }, options);
  return { report: JSON.parse(await readFile(project.path('m.json'), 'utf8')), log };
}

async function column(path: string, name: string): Promise<string[]> {
  const values: string[] = [];
  for await (const row of await openTable(path)) values.push(String(row.record[name]));
  return values;
}

describe('split', () => {
  it('matches the committed golden split byte for byte (seed 42, stratified by dynasty)', async () => {
    await split(POEMS, { seed: 42, stratify: 'dynasty' });
    for (const name of ['train.csv', 'val.csv', 'test.csv']) {
      const got = await readFile(project.path(`splits/${name}`));
      expect(got.equals(await readFile(fixture(`golden-split/${name}`))), name).toBe(true);
    }
  });

  it('keeps class proportions with largest-remainder counts, every row exactly once', async () => {
    const { report } = await split(POEMS, { seed: 7, stratify: 'dynasty' });
    const ids = await column(POEMS, 'id');
    // The fixture has 60 tang and 60 song poems: 0.7/0.1/0.2 of 60 is 42/6/12 exactly.
    const expected: Record<string, number> = { train: 42, val: 6, test: 12 };
    const seen: string[] = [];
    for (const name of ['train', 'val', 'test']) {
      const rows = await column(project.path(`splits/${name}.csv`), 'id');
      const dynasties = await column(project.path(`splits/${name}.csv`), 'dynasty');
      seen.push(...rows);
      for (const c of ['tang', 'song']) {
        expect(dynasties.filter((d) => d === c).length, `${name}/${c} in the file`).toBe(expected[name]);
        expect(report.splits[name].classes[c], `${name}/${c} in the report`).toBe(expected[name]);
      }
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect(report).toMatchObject({ rows_in: ids.length, warnings: [] });
  });

  it('gives a different split for a different seed', async () => {
    await split(POEMS, { seed: 1 }, 'a');
    await split(POEMS, { seed: 2 }, 'b');
    expect((await readFile(project.path('a/test.csv'))).equals(await readFile(project.path('b/test.csv')))).toBe(false);
  });

  it('keeps every row of a group in one split, and allows other split names', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},src${i % 20},${i % 2 ? 'a' : 'b'}`);
    await writeText(project.path('aug.csv'), ['id,source,label', ...rows, ''].join('\n'));
    const { report } = await split(project.path('aug.csv'), { ratios: { fit: 0.5, holdout: 0.5 }, group: 'source', seed: 3 });
    const where = new Map<string, string>();
    for (const name of ['fit', 'holdout']) {
      for (const source of await column(project.path(`splits/${name}.csv`), 'source')) {
        expect(where.get(source) ?? name).toBe(name);
        where.set(source, name);
      }
    }
    expect(where.size).toBe(20);
    expect(report).toMatchObject({ units: { kind: 'group', count: 20 }, splits: { fit: { rows: 30 }, holdout: { rows: 30 } } });
  });

  it('splits JSONL into JSONL', async () => {
    await writeText(project.path('in.jsonl'), Array.from({ length: 10 }, (_, i) => `{"i":${i}}\n`).join(''));
    await split(project.path('in.jsonl'), { seed: 5 });
    expect((await readdir(project.path('splits'))).sort()).toEqual(['test.jsonl', 'train.jsonl', 'val.jsonl']);
    expect((await readFile(project.path('splits/train.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(7);
  });

  it('warns when a class is too small to appear in every split', async () => {
    await writeText(project.path('in.csv'), 'id,label\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n7,a\n8,a\n9,a\n10,a\n11,rare\n');
    const { report, log } = await split(project.path('in.csv'), { stratify: 'label' });
    expect(report.warnings).toEqual(['class "rare" has 1 unit(s), too few to appear in every split: none in val, test']);
    expect(log.some((l) => l.startsWith('warning: class "rare"'))).toBe(true);
  });

  it('fails on an empty table and on a missing column', async () => {
    await writeText(project.path('empty.csv'), 'id,label\n');
    const empty = await runStageError(splitStage, project.root, { deps: [project.path('empty.csv')], outs: [project.path('s')] }, {});
    expect(empty).toMatchObject({ code: 'E_SPLIT_EMPTY', data: { file: project.path('empty.csv'), line: 1 } });

    const missing = await runStageError(splitStage, project.root, { deps: [POEMS], outs: [project.path('s')] }, { stratify: 'label' });
    expect(missing).toMatchObject({ code: 'E_TABLE_UNKNOWN_COLUMN', data: { option: 'stratify', missing: ['label'] } });
    expect(missing.data.available).toContain('dynasty');
  });

  it('fails on ragged rows with their lines', async () => {
    await writeText(project.path('r.csv'), 'a,b\n1,2\n3\n');
    const error = await runStageError(splitStage, project.root, { deps: [project.path('r.csv')], outs: [project.path('s')] }, {});
    expect(error).toMatchObject({ code: 'E_SPLIT_RAGGED', data: { line: 3, lines: [3] } });
  });

  it('check() rejects ratios that do not sum to 1 and names that are not file names', () => {
    const problems = splitStage.check?.(withDefaults(splitStage, { ratios: { train: 0.7, 'v/al': 0.2 } }), { deps: ['a'], outs: ['b'], metrics: [] }) ?? [];
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['E_SPLIT_RATIOS_SUM', ['ratios']],
      ['E_SPLIT_NAME', ['ratios', 'v/al']],
    ]);
    expect(splitStage.check?.(withDefaults(splitStage, {}), { deps: ['a'], outs: ['b'], metrics: [] })).toEqual([]);
  });
});

describe('largestRemainder', () => {
  it('sums to n and gives leftovers to the largest remainders', () => {
    expect(largestRemainder(10, [0.7, 0.1, 0.2])).toEqual([7, 1, 2]);
    expect(largestRemainder(3, [0.7, 0.1, 0.2])).toEqual([2, 0, 1]);
    expect(largestRemainder(1, [0.5, 0.5])).toEqual([1, 0]);
  });

  it('is what the stage writes: 7 rows at 0.7/0.1/0.2 are 4.9/0.7/1.4, floors 4/0/1, the 2 left go to .9 and .7', async () => {
    await writeText(project.path('seven.csv'), `id\n${[1, 2, 3, 4, 5, 6, 7].join('\n')}\n`);
    await split(project.path('seven.csv'), { seed: 1 });
    const counts = await Promise.all(['train', 'val', 'test'].map(async (n) => (await column(project.path(`splits/${n}.csv`), 'id')).length));
    expect(counts).toEqual([5, 1, 1]);
  });
});
