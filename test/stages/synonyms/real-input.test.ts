import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nlp from 'compromise';
import Papa from 'papaparse';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { synonymsStage, type SynonymsOptions } from '../../../src/stages/synonyms/definition.js';
import { EnglishTagger } from '../../../src/stages/synonyms/english-tagger.js';
import { run } from '../../../src/stages/synonyms/run.js';
import { englishPieces, taggerTokens } from '../../../src/stages/synonyms/text-pieces.js';
import { damagedTokens, posMismatches, replacementHunks } from '../../helpers/replacement-audit.mjs';
import { FIXTURES, testProject, withDefaults, type TestProject } from './stage-context.js';

// Issue 12, "text built-ins on real-world input": real e-mail text (SpamAssassin corpus), real
// State of the Union sentences, real Chinese synonym-file lines.
const EMAILS = 'spam-assassin-paragraphs.csv';
const DICTIONARY = join(import.meta.dirname, '../../../datasets/raw/zh-synonyms.txt');
const options = (given: Partial<SynonymsOptions>): SynonymsOptions => withDefaults(synonymsStage.options, given);

interface Pair {
  readonly source: string;
  readonly copy: string;
}

let project: TestProject;
beforeEach(async () => {
  project = await testProject();
  await copyFile(join(FIXTURES, EMAILS), project.path('emails.csv'));
  await copyFile(join(FIXTURES, 'sotu-sentences.csv'), project.path('sotu.csv'));
  await copyFile(join(FIXTURES, 'tang-poems.csv'), project.path('poems.csv'));
});
afterEach(() => project.remove());

/** Runs the stage and pairs every augmented row with its source row's text. */
async function augment(input: string, given: Partial<SynonymsOptions>, deps: string[] = [input]): Promise<{ pairs: Pair[]; report: any }> {
  await run(project.context(options({ column: 'text', id_column: 'id', ...given }), { deps, outs: ['out.csv'], metrics: ['report.json'] }));
  const rows = Papa.parse<Record<string, string>>(await readFile(project.path('out.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  const sources = new Map(rows.filter((r) => r.aug_method === '').map((r) => [r.id, r.text as string]));
  const pairs = rows.filter((r) => r.aug_method !== '').map((r) => ({ source: sources.get(r.aug_source as string) as string, copy: r.text as string }));
  return { pairs, report: JSON.parse(await readFile(project.path('report.json'), 'utf8')) };
}

describe('synonyms never damage tokens (real e-mail text)', () => {
  it('replaces nothing inside URLs, addresses, domains, handles, numbers or mixed tokens', async () => {
    const { pairs, report } = await augment('emails.csv', { seed: 1, p: 0.15, copies: 2 });
    expect(report.words_replaced).toBeGreaterThan(1000); // the corpus is augmented, not skipped
    const damaged = pairs.flatMap(({ source, copy }) => damagedTokens(source, copy));
    expect(damaged).toEqual([]); // version 1 damaged 13% of its replacements here
  });

  it('leaves the tokens of the issue whole, with WordNet and with a dictionary', async () => {
    const text = 'Mail lists.freshrpms.net and spamassassin.taint.org today; Computers4Sure is sure to sell @fresh #net http://x.org/a?buy+net 10 nets';
    await writeFile(project.path('one.csv'), Papa.unparse([{ id: 'a', text }]) + '\n');
    await writeFile(project.path('en.txt'), 'net nett\ntaint contamination\nsure certain\nbuy purchase\n10 ten\nfresh new\n');
    const wordnet = await augment('one.csv', { seed: 3, p: 1, max_per_row: 20, copies: 5 });
    const dictionary = await augment('one.csv', { dictionary: 'en.txt', seed: 3, p: 1, max_per_row: 20, copies: 5 }, ['one.csv', 'en.txt']);
    expect(wordnet.pairs.length).toBeGreaterThan(0);
    expect(dictionary.pairs.length).toBeGreaterThan(0);
    const copies = [...wordnet.pairs, ...dictionary.pairs].map((p) => p.copy);
    for (const copy of copies) {
      for (const token of ['lists.freshrpms.net', 'spamassassin.taint.org', 'Computers4Sure', '@fresh', '#net', 'http://x.org/a?buy+net', ' 10 ']) {
        expect(copy).toContain(token);
      }
    }
    expect(dictionary.pairs.some((p) => p.copy.includes('certain to sell'))).toBe(true); // a free-standing word still changes
  });
});

describe('synonyms keep the part of speech (real sentences)', () => {
  let tagger: EnglishTagger;
  beforeAll(async () => {
    tagger = await EnglishTagger.open();
  });

  /** Penn tag class (NN*, VB*, JJ*, RB*) of each word, by its character range. */
  const wordClasses = (text: string): { start: number; end: number; cls: string }[] => {
    const pieces = englishPieces(text);
    const { tokens, wordAt } = taggerTokens(pieces);
    const tagged = tagger.tag(tokens);
    const out: { start: number; end: number; cls: string }[] = [];
    let at = 0;
    pieces.forEach((piece, i) => {
      if (piece.word) out.push({ start: at, end: at + piece.text.length, cls: (tagged[wordAt[i] as number]?.tag ?? '').slice(0, 2) });
      at += piece.text.length;
    });
    return out;
  };

  it('each replaced word, re-tagged in its copy, has the tag class it had in the source', async () => {
    for (const input of ['sotu.csv', 'emails.csv']) {
      const { pairs, report } = await augment(input, { seed: 2, p: 0.2, copies: 2 });
      expect(report.words_replaced).toBeGreaterThan(40);
      const changed: string[] = [];
      for (const { source, copy } of pairs) {
        const before = wordClasses(source);
        const after = wordClasses(copy);
        for (const hunk of replacementHunks(source, copy)) {
          const was = before.find((w) => w.start < hunk.end && w.end > hunk.start);
          const now = after.find((w) => w.start < hunk.augEnd && w.end > hunk.augStart);
          // A hunk is one replaced word; a synonym sharing a prefix ("confidence" -> "self-confidence") is an insertion.
          if (was && now && was.cls !== now.cls) changed.push(`${source.slice(hunk.start, hunk.end)}/${was.cls} -> ${copy.slice(hunk.augStart, hunk.augEnd)}/${now.cls}`);
        }
      }
      expect(changed).toEqual([]);
    }
  });

  it('an independent tagger (compromise) agrees on the part of speech of at least 87% of the replacements', async () => {
    const { pairs, report } = await augment('emails.csv', { seed: 1, p: 0.15, copies: 1 });
    const mismatches = pairs.flatMap(({ source, copy }) => posMismatches(nlp, source, copy));
    // Version 1 (before issue 12) disagreed on 15.9% over seeds 1-3 (npm run bench synonyms-quality),
    // this version on 12.1% here. Most of what is left are compromise's own errors: words it does
    // not know and calls nouns ("salvage", "acquaint"), "is subject to" read as a verb.
    expect(mismatches.length / report.words_replaced).toBeLessThan(0.13);
  });

  it('the issue sentences: no phrase for a word, no rare sense, a verb stays a verb', async () => {
    const rows = [
      { id: 'a', text: 'Please contact the list admin for the user to report the problem.' },
      { id: 'b', text: 'Nobody wanted to buy.' },
      { id: 'c', text: 'We report the results to the user.' },
    ];
    await writeFile(project.path('issue.csv'), Papa.unparse(rows) + '\n');
    const { pairs } = await augment('issue.csv', { seed: 5, p: 1, max_per_row: 10, copies: 8 });
    const copies = pairs.map((p) => p.copy);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy).not.toMatch(/drug user|written report|grease|palms|bribe/);
      expect(copy.split(' ').length).toBe(rows.find((r) => copy.startsWith(r.text.split(' ')[0] as string))?.text.split(' ').length);
    }
  });

  it('multi_word: true lets a phrase replace a word', async () => {
    const off = await augment('sotu.csv', { seed: 4, p: 0.3, copies: 3, senses: 5, sense_share: 0 });
    const on = await augment('sotu.csv', { seed: 4, p: 0.3, copies: 3, senses: 5, sense_share: 0, multi_word: true });
    const words = (s: string): number => s.split(/\s+/).length;
    expect(off.pairs.filter((p) => words(p.copy) !== words(p.source))).toEqual([]);
    expect(on.pairs.some((p) => words(p.copy) > words(p.source))).toBe(true);
  });
});

describe('synonym dictionaries from the real world', () => {
  it('skips degenerate groups (赞叹,赞叹), counts them, warns once, and augments with the rest', async () => {
    const clean = await readFile(DICTIONARY, 'utf8');
    await writeFile(project.path('clean.txt'), clean);
    await writeFile(project.path('real.txt'), `赞叹,赞叹\n${clean}称赞\n惊叹,惊叹,惊叹\n`);
    const lines = clean.split('\n').length;
    const given = { seed: 11, p: 0.3, copies: 2 };
    const expected = await augment('poems.csv', { ...given, dictionary: 'clean.txt' }, ['poems.csv', 'clean.txt']);
    project.logs.length = 0;
    const real = await augment('poems.csv', { ...given, dictionary: 'real.txt' }, ['poems.csv', 'real.txt']);
    expect(real.pairs).toEqual(expected.pairs);
    expect(real.report.dictionary_groups_skipped).toEqual({ count: 3, lines: [1, lines + 1, lines + 2] });
    const warnings = project.logs.filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`lines 1, ${lines + 1}, ${lines + 2}`);
  });

  it('`dictionary:` alone implies `source: dictionary`; with `source: wordnet` it is refused', async () => {
    const stage = { deps: ['poems.csv', 'zh.txt'], outs: ['out.csv'], metrics: [] };
    expect(synonymsStage.check?.(options({ column: 'text', dictionary: 'zh.txt' }), stage)).toEqual([]);
    const both = synonymsStage.check?.(options({ column: 'text', source: 'wordnet', dictionary: 'zh.txt' }), stage) ?? [];
    expect(both.map((p) => p.code)).toEqual(['E_DICTIONARY_UNUSED']);
    await copyFile(DICTIONARY, project.path('zh.txt'));
    const { pairs, report } = await augment('poems.csv', { dictionary: 'zh.txt', seed: 11, p: 0.3 }, ['poems.csv', 'zh.txt']);
    expect(report.method).toBe('synonyms:dictionary');
    expect(pairs.length).toBeGreaterThan(5);
  });

  it('never swaps a numeral for digits or back, unless swap_numerals is set', async () => {
    const rows = [
      { id: 'su', text: '十年生死两茫茫，不思量，自难忘。' }, // Su Shi, 江城子
      { id: 'n', text: '10年生死两茫茫' },
    ];
    await writeFile(project.path('nums.csv'), Papa.unparse(rows) + '\n');
    await writeFile(project.path('nums.txt'), '十,10\n生死,存亡\n');
    const given = { dictionary: 'nums.txt', p: 1, max_per_row: 5, copies: 4, seed: 1 };
    const kept = await augment('nums.csv', given, ['nums.csv', 'nums.txt']);
    expect(kept.pairs.length).toBeGreaterThan(0); // 生死 -> 存亡 still happens
    for (const { source, copy } of kept.pairs) expect(copy.slice(0, 2)).toBe(source.slice(0, 2));
    const swapped = await augment('nums.csv', { ...given, swap_numerals: true }, ['nums.csv', 'nums.txt']);
    const copies = swapped.pairs.map((p) => p.copy);
    expect(copies).toContain('10年存亡两茫茫，不思量，自难忘。');
    expect(copies.some((c) => c.startsWith('十年') && !c.includes('，'))).toBe(true);
  });
});

describe('max_per_row capping p', () => {
  it('reports how many replacements it held back and warns once', async () => {
    // 天地英雄气，千秋尚凛然。: 3 dictionary words (天地 英雄 千秋) + 4 other characters = 7 words;
    // p 1 asks for all 3 replaceable words, max_per_row 1 allows 1: 2 held back in each copy.
    await writeFile(project.path('one.csv'), 'id,text\nx,天地英雄气，千秋尚凛然。\n');
    await copyFile(DICTIONARY, project.path('zh.txt'));
    const capped = await augment('one.csv', { dictionary: 'zh.txt', p: 1, max_per_row: 1, copies: 2, seed: 3 }, ['one.csv', 'zh.txt']);
    expect(capped.pairs).toHaveLength(2);
    expect(capped.report.capped_by_max_per_row).toEqual({ copies: 2, replacements: 4 });
    expect(project.logs.filter((l) => l.startsWith('warning: max_per_row'))).toHaveLength(1);

    project.logs.length = 0;
    const free = await augment('one.csv', { dictionary: 'zh.txt', p: 1, max_per_row: 3, copies: 2, seed: 3 }, ['one.csv', 'zh.txt']);
    expect(free.report.capped_by_max_per_row).toEqual({ copies: 0, replacements: 0 });
    expect(project.logs.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });
});
