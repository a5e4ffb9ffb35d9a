import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synonymsStage, type SynonymsOptions } from '../../../src/stages/synonyms/definition.js';
import { run } from '../../../src/stages/synonyms/run.js';
import { expectGolden, goldenCase } from './golden.js';
import { FIXTURES, testProject, withDefaults, type TestProject } from './stage-context.js';

const DICTIONARY = join(import.meta.dirname, '../../../datasets/raw/zh-synonyms.txt');
const options = (given: Partial<SynonymsOptions>): SynonymsOptions => withDefaults(synonymsStage.options, given);

function rowsOf(csv: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
}

let project: TestProject;
beforeEach(async () => {
  project = await testProject();
  await copyFile(join(FIXTURES, 'sotu-sentences.csv'), project.path('sotu.csv'));
  await copyFile(join(FIXTURES, 'tang-poems.csv'), project.path('poems.csv'));
  await copyFile(DICTIONARY, project.path('zh-synonyms.txt'));
});
afterEach(() => project.remove());

async function runEnglish(given: Partial<SynonymsOptions>, input = 'sotu.csv', output = 'out.csv'): Promise<string> {
  await run(project.context(options({ column: 'text', ...given }), { deps: [input], outs: [output], metrics: ['report.json'] }));
  return readFile(project.path(output), 'utf8');
}

describe('synonyms with WordNet (English, real State of the Union sentences)', () => {
  it('matches the committed golden output byte for byte (seed 7, p 0.15, 2 copies)', async () => {
    const golden = await goldenCase('sotu-wordnet-seed7.csv');
    expect(golden.input).toBe('test/fixtures/sotu-sentences.csv'); // the file copied to sotu.csv above
    await runEnglish(golden.with as Partial<SynonymsOptions>);
    await expectGolden(golden.name, await readFile(project.path('out.csv')));
  });

  it('keeps every original row in place, followed by its marked copies', async () => {
    const rows = rowsOf(await runEnglish({ seed: 1, copies: 2 }));
    const input = rowsOf(await readFile(project.path('sotu.csv'), 'utf8'));
    const originals = rows.filter((r) => r.aug_method === '');
    expect(originals.map((r) => r.text)).toEqual(input.map((r) => r.text));
    for (const [i, row] of rows.entries()) {
      if (row.aug_method === '') continue;
      expect(row.aug_method).toBe('synonyms:wordnet');
      const source = input[Number(row.aug_source)];
      expect(source?.id).toBe(row.id); // other columns come from the source row
      expect(row.text).not.toBe(source?.text);
      expect(rows.slice(0, i).some((r) => r.aug_method === '' && r.id === row.id)).toBe(true);
    }
  });

  it('keeps case, spacing and punctuation: only words change', async () => {
    const rows = rowsOf(await runEnglish({ seed: 3, p: 0.3, max_per_row: 5 }));
    const shape = (s: string): string => s.replace(/[A-Za-z]+(?:['’-][A-Za-z]+)*/g, 'w').replace(/w( w)*/g, 'w');
    for (const row of rows.filter((r) => r.aug_method !== '')) {
      const source = rows.find((r) => r.aug_method === '' && r.id === row.id) as Record<string, string>;
      expect(shape(row.text as string)).toBe(shape(source.text as string));
      expect((row.text as string)[0]).toBe((row.text as string)[0]?.toUpperCase());
    }
  });

  it('depends on the seed and the row identity only, not on row order', async () => {
    const forward = rowsOf(await runEnglish({ seed: 5, id_column: 'id' }));
    const csv = await readFile(project.path('sotu.csv'), 'utf8');
    const [header, ...lines] = csv.trimEnd().split('\n');
    await writeFile(project.path('reversed.csv'), `${[header, ...lines.reverse()].join('\n')}\n`);
    const backward = rowsOf(await runEnglish({ seed: 5, id_column: 'id' }, 'reversed.csv', 'out2.csv'));
    const augmented = (rows: Record<string, string>[]): string[] =>
      rows.filter((r) => r.aug_method !== '').map((r) => `${r.aug_source}\t${r.text}`).sort();
    expect(augmented(backward)).toEqual(augmented(forward));

    const otherSeed = rowsOf(await runEnglish({ seed: 6, id_column: 'id' }, 'sotu.csv', 'out3.csv'));
    expect(augmented(otherSeed)).not.toEqual(augmented(forward));
  });

  it('never replaces stop words, given as a list or as a file', async () => {
    const csv = await readFile(project.path('sotu.csv'), 'utf8');
    const everyWord = [...new Set(csv.match(/[A-Za-z]+(?:['’-][A-Za-z]+)*/g) ?? [])];
    const rows = rowsOf(await runEnglish({ seed: 2, p: 1, stopwords: everyWord }));
    expect(rows.filter((r) => r.aug_method !== '')).toEqual([]);

    await writeFile(project.path('stop.txt'), `# all but one word\n${everyWord.filter((w) => w !== 'business').join('\n')}\n`);
    await run(
      project.context(options({ column: 'text', seed: 2, stopwords: 'stop.txt' }), {
        deps: ['sotu.csv', 'stop.txt'],
        outs: ['out2.csv'],
      }),
    );
    const changed = rowsOf(await readFile(project.path('out2.csv'), 'utf8')).filter((r) => r.aug_method !== '');
    expect(changed.map((r) => r.text)).toEqual([
      'Their obvious importance, as constituting the very substance of the concern of the Government, makes comment and emphasis on my part unnecessary.',
    ]);
  });

  it('writes a JSON report with rows in/out and why copies were not written', async () => {
    await runEnglish({ seed: 7, copies: 3 });
    const report = JSON.parse(await readFile(project.path('report.json'), 'utf8'));
    expect(report.rows_in).toBe(40);
    expect(report.rows_out).toBe(40 + report.rows_added);
    expect(report.rows_added).toBeGreaterThan(40);
    expect(report.rows_added + report.copies_not_written.duplicate_copy + report.copies_not_written.no_replaceable_word).toBe(120);
    expect(report.method).toBe('synonyms:wordnet');
    expect(project.logs.join('\n')).toMatch(/40 rows in, \d+ augmented rows added/);
  });

  it('reads TSV and JSONL and writes the same rows', async () => {
    const csvRows = rowsOf(await runEnglish({ seed: 9, id_column: 'id' }));
    const input = rowsOf(await readFile(project.path('sotu.csv'), 'utf8'));
    await writeFile(project.path('sotu.jsonl'), input.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await runEnglish({ seed: 9, id_column: 'id' }, 'sotu.jsonl', 'out.jsonl');
    const jsonRows = (await readFile(project.path('out.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(jsonRows).toEqual(csvRows);
    await writeFile(project.path('sotu.tsv'), Papa.unparse(input, { delimiter: '\t', newline: '\n' }) + '\n');
    const tsv = await runEnglish({ seed: 9, id_column: 'id' }, 'sotu.tsv', 'out.tsv');
    expect(Papa.parse<Record<string, string>>(tsv, { header: true, delimiter: '\t', skipEmptyLines: true }).data).toEqual(csvRows);
  });
});

describe('synonyms with a dictionary (Chinese Tang poetry)', () => {
  const zh = (given: Partial<SynonymsOptions> = {}): SynonymsOptions =>
    options({ column: 'text', source: 'dictionary', dictionary: 'zh-synonyms.txt', seed: 11, p: 0.3, ...given });

  it('segments by longest match and matches the committed golden output', async () => {
    const golden = await goldenCase('tang-dictionary-seed11.csv');
    expect([golden.input, golden.dictionary]).toEqual(['test/fixtures/tang-poems.csv', 'datasets/raw/zh-synonyms.txt']);
    const given = { ...golden.with, dictionary: 'zh-synonyms.txt' } as Partial<SynonymsOptions>;
    await run(project.context(options(given), { deps: ['poems.csv', 'zh-synonyms.txt'], outs: ['out.csv'] }));
    const out = await readFile(project.path('out.csv'));
    await expectGolden(golden.name, out);
    const rows = rowsOf(out.toString('utf8'));
    const added = rows.filter((r) => r.aug_method === 'synonyms:dictionary');
    expect(added.length).toBeGreaterThan(5);
    // 天地英雄气 -> one of the groups' words replaces 天地 or 英雄, punctuation stays.
    const first = added.filter((r) => r.aug_source === '0').map((r) => r.text);
    for (const text of first) expect(text).toMatch(/^(天地|乾坤|宇宙)(英雄|豪杰|俊杰)气，(千秋|千古|万古)尚凛然。$/);
  });

  it('fails with E_DICTIONARY_MISSING naming the file', async () => {
    const ctx = project.context(zh({ dictionary: 'nope.txt' }), { deps: ['poems.csv', 'nope.txt'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_DICTIONARY_MISSING', data: { file: project.path('nope.txt') } });
  });

  it('fails with E_DICTIONARY_EMPTY when no line holds two different words', async () => {
    await writeFile(project.path('bad.txt'), '# groups\n英雄\n赞叹,赞叹\n');
    const ctx = project.context(zh({ dictionary: 'bad.txt' }), { deps: ['poems.csv', 'bad.txt'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_DICTIONARY_EMPTY', data: { file: project.path('bad.txt'), skipped: 2, lines: [2, 3] } });
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('synonyms bad input', () => {
  it('a missing column fails with E_TABLE_UNKNOWN_COLUMN naming the file and option, writing nothing', async () => {
    const ctx = project.context(options({ column: 'speech' }), { deps: ['sotu.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({
      code: 'E_TABLE_UNKNOWN_COLUMN',
      data: { file: project.path('sotu.csv'), option: 'column', missing: ['speech'] },
    });
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a ragged row fails with its line number and leaves no output', async () => {
    await writeFile(project.path('ragged.csv'), 'id,text\n1,The nation is strong.\n2,too,many,fields\n3,We act now.\n');
    const ctx = project.context(options({ column: 'text' }), { deps: ['ragged.csv'], outs: ['out.csv'] });
    await expect(run(ctx)).rejects.toMatchObject({ code: 'E_TABLE_RAGGED_ROW', data: { file: project.path('ragged.csv'), line: 3 } });
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('check(): a dictionary source needs a dictionary, and the file must be a dep', () => {
    const stage = { deps: ['data/poems.csv'], outs: ['data/out.csv'], metrics: [] };
    const noFile = synonymsStage.check?.(options({ column: 'text', source: 'dictionary' }), stage) ?? [];
    expect(noFile.map((p) => [p.code, p.path])).toEqual([['E_DICTIONARY_REQUIRED', ['source']]]);
    const notDep = synonymsStage.check?.(options({ column: 'text', source: 'dictionary', dictionary: 'data/zh.txt' }), stage) ?? [];
    expect(notDep.map((p) => [p.code, p.path])).toEqual([['E_OPTION_FILE_NOT_DEP', ['dictionary']]]);
    const ok = synonymsStage.check?.(options({ column: 'text', source: 'dictionary', dictionary: 'data/zh.txt' }), {
      ...stage,
      deps: ['data/poems.csv', 'data/zh.txt'],
    });
    expect(ok).toEqual([]);
    const onlyDictionary = synonymsStage.check?.(options({ column: 'text', source: 'dictionary', dictionary: 'data/zh.txt' }), {
      ...stage,
      deps: ['data/zh.txt'],
    });
    expect(onlyDictionary?.map((p) => p.code)).toEqual(['E_STAGE_FILES']);
  });
});
