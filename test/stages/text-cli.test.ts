import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

// Issue 12 from the command line: the pipeline a user wrote after trying real data.
const FIXTURES = join(import.meta.dirname, '../fixtures');
const DICTIONARY = readFileSync(join(import.meta.dirname, '../../datasets/raw/zh-synonyms.txt'), 'utf8');

const PIPELINE = `stages:
  decode:
    uses: encoding
    deps: [raw/poems.gbk.csv]
    outs: [work/poems.csv]
    with: { from: GBK, to: UTF-8 }
  augment:
    uses: synonyms
    deps: [work/poems.csv, raw/zh-synonyms.txt]
    outs: [aug/poems.csv]
    metrics: [reports/augment.json]
    with: { column: text, dictionary: raw/zh-synonyms.txt, p: 0.2, seed: 3 }
  whole_folder:
    uses: dropna
    deps: [work]
    outs: [clean.csv]
`;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('text built-ins from the CLI on real data', () => {
  it('GBK by its usual name, a real dictionary with degenerate lines and no `source:`, a folder dep refused clearly', () => {
    project = TempProject.init({
      'pipelines/text.yaml': PIPELINE,
      'raw/poems.gbk.csv': readFileSync(join(FIXTURES, 'poems/poems.gbk.csv')),
      'raw/zh-synonyms.txt': `赞叹,赞叹\n${DICTIONARY}`,
    });
    const ok = project.dvcts('repro', 'augment').expectOk();
    expect(ok.stdout + ok.stderr).toMatch(/warning: raw\/zh-synonyms\.txt: skipped 1 line\(s\) without two different words \(line 1\)/);
    expect(project.read('work/poems.csv')).toBe(readFileSync(join(FIXTURES, 'poems/poems.utf8.csv'), 'utf8'));
    const rows = Papa.parse<Record<string, string>>(project.read('aug/poems.csv'), { header: true, skipEmptyLines: true }).data;
    expect(rows.filter((r) => r.aug_method === 'synonyms:dictionary').length).toBeGreaterThan(10);
    expect(JSON.parse(project.read('reports/augment.json')).dictionary_groups_skipped).toEqual({ count: 1, lines: [1] });

    const folder = project.dvcts('repro', 'whole_folder');
    expect(folder.code).toBe(1);
    const said = folder.stdout + folder.stderr;
    expect(said).toContain('is a directory, but this stage reads one file');
    expect(said).toContain('poems.csv');
    expect(said).not.toMatch(/\n\s+at /); // no stack trace
  });
});
