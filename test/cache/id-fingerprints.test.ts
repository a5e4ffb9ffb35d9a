import { describe, expect, it } from 'vitest';
import { IdFingerprints } from '../../src/cache/id-fingerprints.js';

// Ids as the store names them: 32 hex digits; digits 2-9 are the fingerprint.
const id = (i: number): string => `ab${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}${'0'.repeat(22)}`;

describe('IdFingerprints', () => {
  it('has every id added, across growth, and not the ids never added', () => {
    const set = new IdFingerprints();
    for (let i = 0; i < 5000; i++) set.add(id(i));
    for (let i = 0; i < 5000; i++) expect(set.mayHave(id(i))).toBe(true);
    // Multiplying by an odd constant is a bijection on 32 bits: these fingerprints differ from all above.
    let hits = 0;
    for (let i = 5000; i < 10000; i++) if (set.mayHave(id(i))) hits++;
    expect(hits).toBe(0);
  });

  it('answers "may have" for another id with the same digits 2-9 (the caller confirms on disk)', () => {
    const set = new IdFingerprints();
    set.add('ab12345678ffffffffffffffffffffff');
    expect(set.mayHave('cd12345678000000000000000000000')).toBe(true);
    expect(set.mayHave('ab12345679ffffffffffffffffffffff')).toBe(false);
  });

  it('keeps an id whose digits 2-9 are all zero (the empty slot value)', () => {
    const set = new IdFingerprints();
    expect(set.mayHave('ab00000000' + 'f'.repeat(22))).toBe(false);
    set.add('ab00000000' + 'f'.repeat(22));
    expect(set.mayHave('ab00000000' + 'f'.repeat(22))).toBe(true);
  });
});
