import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFor, sample } from '../../../src/stages/synonyms/seeded-random.js';
import { countWords, segmentByDictionary } from '../../../src/stages/synonyms/segment.js';
import { parseSynonymDictionary } from '../../../src/stages/synonyms/synonym-dictionary.js';
import { keepsNumberForm } from '../../../src/stages/synonyms/number-form.js';
import { protectedSpans } from '../../../src/stages/synonyms/protected-spans.js';
import { englishPieces, matchCase } from '../../../src/stages/synonyms/text-pieces.js';
import { WordNetLexicon } from '../../../src/stages/synonyms/wordnet-lexicon.js';

describe('seeded randomness', () => {
  it('is a pure function of (seed, row identity, copy), pinned to known values', () => {
    const draw = (seed: number, id: string, copy: number): number[] => {
      const random = randomFor(seed, id, copy);
      return [random(), random(), random()];
    };
    expect(draw(7, 'row-1', 0)).toEqual(draw(7, 'row-1', 0));
    expect(draw(7, 'row-1', 1)).not.toEqual(draw(7, 'row-1', 0));
    expect(draw(8, 'row-1', 0)).not.toEqual(draw(7, 'row-1', 0));
    // Pinned: a change here changes every committed augmentation (bump the stage version).
    expect(Math.floor(randomFor(1, '0', 0)() * 1e9)).toBe(484969102);
    expect(sample(randomFor(1, '0', 0), ['a', 'b', 'c', 'd', 'e'], 3)).toEqual(['c', 'd', 'b']);
  });
});

describe('dictionary segmentation', () => {
  const { dictionary } = parseSynonymDictionary('天地 乾坤\n天地英雄 好汉\n英雄，豪杰\ncat, feline\n', 'inline');

  it('takes the longest dictionary word and keeps everything else as it is', () => {
    const pieces = segmentByDictionary('天地英雄气，天地间英雄。', dictionary);
    expect(pieces).toEqual([
      { text: '天地英雄', word: true },
      { text: '气，', word: false },
      { text: '天地', word: true },
      { text: '间', word: false },
      { text: '英雄', word: true },
      { text: '。', word: false },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe('天地英雄气，天地间英雄。');
    expect(countWords(pieces)).toBe(5); // 3 dictionary words + 气 + 间
  });

  it('matches words of spaced scripts only on word boundaries', () => {
    const pieces = segmentByDictionary('A cat in the category; Cat.', dictionary);
    expect(pieces.filter((p) => p.word).map((p) => p.text)).toEqual(['cat']);
  });

  it('gives each word the other members of all its groups', () => {
    expect(dictionary.synonymsOf('天地')).toEqual(['乾坤']);
    expect(dictionary.synonymsOf('英雄')).toEqual(['豪杰']);
    expect(dictionary.synonymsOf('气')).toBeUndefined();
  });
});

describe('English pieces and case', () => {
  it('cuts words without losing a byte', () => {
    const text = "Well-being isn't free: it costs $5.";
    const pieces = englishPieces(text);
    expect(pieces.filter((p) => p.word).map((p) => p.text)).toEqual(['Well-being', "isn't", 'free', 'it', 'costs']);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('protects URLs, addresses, domains, handles, hashtags, numbers and mixed tokens, not plain words', () => {
    const text = 'See http://x.org/a?b=c, mail jm@jmason.org at lists.freshrpms.net: @bob #win 3.5 v2 Computers4Sure iPhone a_b x/y. Plain well-being words.';
    const spans = protectedSpans(text).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(['http://x.org/a?b=c', 'jm@jmason.org', 'lists.freshrpms.net', '@bob', '#win', '3.5', 'v2', 'Computers4Sure', 'iPhone', 'a_b', 'x/y']);
    expect(englishPieces(text).filter((p) => p.word).map((p) => p.text)).toEqual(['See', 'mail', 'at', 'Plain', 'well-being', 'words']);
    expect(protectedSpans('访问www.example.com获取10年').map((s) => s.end - s.start)).toEqual([15, 2]);
  });

  it('tells numerals from digits', () => {
    expect(keepsNumberForm('十', '10')).toBe(false);
    expect(keepsNumberForm('10', '十')).toBe(false);
    expect(keepsNumberForm('ten', '10')).toBe(false);
    expect(keepsNumberForm('十', '拾')).toBe(true);
    expect(keepsNumberForm('年', '载')).toBe(true);
  });

  it('carries the original case over to the synonym', () => {
    expect(matchCase('Nation', 'country')).toBe('Country');
    expect(matchCase('NATION', 'land')).toBe('LAND');
    expect(matchCase('nation', 'land')).toBe('land');
    expect(matchCase('I', 'one')).toBe('One');
  });
});

describe('WordNet lexicon', () => {
  let lexicon: WordNetLexicon;
  beforeAll(async () => {
    lexicon = await WordNetLexicon.open({ senses: 10, senseShare: 0, multiWord: false, digits: false });
  });
  afterAll(() => lexicon.close());

  it('takes synonyms from synsets of the asked part of speech only', async () => {
    const verb = await lexicon.synonyms('act', 'v');
    const noun = await lexicon.synonyms('act', 'n');
    expect(verb).toContain('behave');
    expect(verb).not.toContain('deed');
    expect(noun).toContain('deed');
    expect(noun).not.toContain('behave');
  });

  it('drops names, numerals and the word itself', async () => {
    expect(await lexicon.synonyms('two', 'n')).not.toContain('II');
    expect(await lexicon.synonyms('farmer', 'n')).not.toContain('Fannie Farmer');
    expect(await lexicon.synonyms('strong', 'a')).not.toContain('strong');
    expect(await lexicon.synonyms('qwertyuiop', 'n')).toEqual([]);
  });
});
