import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateOptions } from '../../../src/pipeline/validate-options.js';
import { dropnaStage } from '../../../src/stages/dropna/definition.js';
import { encodingStage } from '../../../src/stages/encoding/definition.js';
import { runStage, runStageError, tempProject, writeText } from '../stage-harness.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/poems/${name}`, import.meta.url));

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

/** Problems the pipeline loader would report for these `with:` options (schema, then check()). */
function problemsOf(options: Record<string, unknown>): { code: string; path: readonly (string | number)[]; hint?: string }[] {
  const schema = validateOptions(encodingStage.options, options);
  if (schema.problems.length > 0) return [...schema.problems];
  return encodingStage.check?.(schema.value as never, { deps: ['in.txt'], outs: ['out.txt'], metrics: [] }) ?? [];
}

describe('encoding names as users write them', () => {
  it('accepts any case and the common aliases', () => {
    for (const [from, to] of [
      ['GBK', 'UTF-8'],
      ['Big5', 'utf8'],
      ['CP936', 'Utf-8'],
      ['Shift-JIS', 'UTF_16LE'],
      ['ISO-8859-1', 'Windows-1252'],
      ['AUTO', 'GB18030'],
    ]) {
      expect(problemsOf({ from, to }), `${from} -> ${to}`).toEqual([]);
    }
  });

  it('refuses an unknown name at its option, with a suggestion', () => {
    expect(problemsOf({ from: 'GBKK' })).toEqual([expect.objectContaining({ code: 'E_OPTION_VALUE', path: ['from'], hint: expect.stringContaining('"gbk"') })]);
    expect(problemsOf({ to: 'utf-9' })).toEqual([expect.objectContaining({ code: 'E_OPTION_VALUE', path: ['to'] })]);
  });

  it('`from: GBK` and `from: Big5` convert real data like the lower-case names', async () => {
    await runStage(encodingStage, project.root, { deps: [fixture('poems.gbk.csv')], outs: [project.path('a.csv')] }, { from: 'GBK', to: 'UTF-8' });
    expect((await readFile(project.path('a.csv'))).equals(await readFile(fixture('poems.utf8.csv')))).toBe(true);

    const text = '床前明月光，疑是地上霜。\n';
    await writeText(project.path('big5.txt'), iconv.encode(text, 'big5'));
    await runStage(encodingStage, project.root, { deps: [project.path('big5.txt')], outs: [project.path('b.txt')] }, { from: 'Big5' });
    expect(await readFile(project.path('b.txt'), 'utf8')).toBe(text);
  });

  it('a character the target cannot encode is blamed on `to:`, not `from:`', async () => {
    await writeText(project.path('emoji.txt'), 'id,text\n1,春眠不觉晓 😀\n');
    const error = await runStageError(encodingStage, project.root, { deps: [project.path('emoji.txt')], outs: [project.path('out.txt')] }, { from: 'utf-8', to: 'GBK' });
    expect(error).toMatchObject({ code: 'E_ENCODING_UNENCODABLE', data: { line: 2 } });
    expect((error as { hint?: string }).hint).toMatch(/`to:`/);
    expect((error as { hint?: string }).hint).not.toMatch(/`from:`/);
  });
});

describe('a directory given where one file is read', () => {
  it('says it is a directory and names files inside it (encoding and table stages)', async () => {
    await mkdir(project.path('splits'));
    for (const name of ['train.csv', 'val.csv', 'test.csv']) await writeText(project.path(`splits/${name}`), 'id,text\n1,a\n');
    const io = { deps: [project.path('splits')], outs: [project.path('out.csv')] };
    for (const stage of [encodingStage, dropnaStage] as const) {
      const error = await runStageError(stage as never, project.root, io, {});
      expect(error, stage.name).toMatchObject({ code: 'E_INPUT_IS_DIRECTORY', data: { file: project.path('splits'), files: ['test.csv', 'train.csv', 'val.csv'] } });
      expect(error.message).toContain('is a directory');
    }
  });
});
