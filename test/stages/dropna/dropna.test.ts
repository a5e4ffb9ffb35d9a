import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropnaStage } from '../../../src/stages/dropna/definition.js';
import { runStage, runStageError, tempProject, writeText } from '../stage-harness.js';

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

const TABLE = [
  'id,text,label',
  '1,"床前明月光, 疑是地上霜",tang', // kept; quoting must survive
  '2,,tang', // empty text
  '3,NA,song',
  '4,  ,song', // whitespace only
  '5,春眠不觉晓,', // empty label
  '6,N/A,null', // both missing
  '7,"say ""hi""",song',
  '',
].join('\n');

async function dropna(options: Record<string, unknown>, input = 'in.csv', out = 'out.csv'): Promise<{ text: string; report: any }> {
  await runStage(dropnaStage, project.root, { deps: [project.path(input)], outs: [project.path(out)], metrics: [project.path('m.json')] }, options);
  return { text: await readFile(project.path(out), 'utf8'), report: JSON.parse(await readFile(project.path('m.json'), 'utf8')) };
}

describe('dropna', () => {
  it('drops rows with any missing value, keeps quoting, and counts drops per column', async () => {
    await writeText(project.path('in.csv'), TABLE);
    const { text, report } = await dropna({});
    expect(text).toBe('id,text,label\n1,"床前明月光, 疑是地上霜",tang\n7,"say ""hi""",song\n');
    expect(report).toMatchObject({
      rows_in: 7,
      rows_out: 2,
      dropped: { total: 5, missing: 5, ragged: 0, by_column: { id: 0, text: 4, label: 2 } },
    });
  });

  it('honours columns, how: all, na_values and whitespace_is_empty', async () => {
    await writeText(project.path('in.csv'), TABLE);
    const onlyLabel = await dropna({ columns: ['label'] });
    expect(onlyLabel.report).toMatchObject({ rows_out: 5, dropped: { by_column: { label: 2 } } });

    const all = await dropna({ columns: ['text', 'label'], how: 'all' });
    expect(all.text.split('\n').map((l) => l.split(',')[0])).toEqual(['id', '1', '2', '3', '4', '5', '7', '']);

    const custom = await dropna({ columns: ['text'], na_values: [''], whitespace_is_empty: false });
    expect(custom.report).toMatchObject({ rows_out: 6, dropped: { by_column: { text: 1 } } });
  });

  it('treats null, an absent key and na_values as missing in JSONL', async () => {
    await writeText(project.path('in.jsonl'), '{"a":"x","b":1}\n{"a":null,"b":2}\n{"b":3}\n{"a":"NA","b":4}\n{"a":"y","b":5}\n');
    const { text, report } = await dropna({ columns: ['a'] }, 'in.jsonl', 'out.jsonl');
    expect(text).toBe('{"a":"x","b":1}\n{"a":"y","b":5}\n');
    expect(report).toMatchObject({ rows_in: 5, rows_out: 2 });
  });

  it('fails on ragged rows, naming every line (up to max_listed), and writes nothing', async () => {
    await writeText(project.path('in.csv'), 'a,b\n1,2\n3\n4,5\n6,7,8\n9\n');
    const error = await runStageError(dropnaStage, project.root, { deps: [project.path('in.csv')], outs: [project.path('out.csv')] }, { max_listed: 2 });
    expect(error.code).toBe('E_DROPNA_RAGGED');
    expect(error.data).toMatchObject({ file: project.path('in.csv'), line: 3, lines: [3, 5], count: 3, expected: 2 });
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('drops ragged rows with on_ragged: drop', async () => {
    await writeText(project.path('in.csv'), 'a,b\n1,2\n3\n4,5\n');
    const { text, report } = await dropna({ on_ragged: 'drop' });
    expect(text).toBe('a,b\n1,2\n4,5\n');
    expect(report).toMatchObject({ dropped: { ragged: 1, ragged_lines: [3] } });
  });

  it('names the available columns when a chosen one does not exist', async () => {
    await writeText(project.path('in.csv'), TABLE);
    const error = await runStageError(dropnaStage, project.root, { deps: [project.path('in.csv')], outs: [project.path('o.csv')] }, { columns: ['text', 'lable'] });
    expect(error).toMatchObject({
      code: 'E_TABLE_UNKNOWN_COLUMN',
      data: { file: project.path('in.csv'), option: 'columns', missing: ['lable'], available: ['id', 'text', 'label'] },
    });
  });

  it('check() wants one dep and one out', () => {
    expect(dropnaStage.check?.({} as never, { deps: [], outs: ['o'], metrics: ['m.json'] })?.map((p) => p.code)).toEqual(['E_DROPNA_ARITY']);
  });
});
