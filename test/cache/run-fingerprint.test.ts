import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalRunText, runFingerprint, type RunInputs } from '../../src/cache/run-fingerprint.js';

/**
 * The run-cache key is pinned: if this test fails, the canonical form changed, and every
 * recorded run would silently stop matching. Bump RUN_FINGERPRINT_VERSION and update the
 * expectations below (by hand, not by copying the code's output unread).
 */
const SHELL_STAGE: RunInputs = {
  cmd: ['python3 train.py --lr 0.1'],
  deps: [
    { path: 'data/b.csv', hash: 'xxh128', id: '0123456789abcdef0123456789abcdef' },
    { path: 'data/a', hash: 'xxh128', id: 'fedcba9876543210fedcba9876543210.dir' },
  ],
  params: { 'params.yaml': { 'train.lr': 0.1, 'train.epochs': 3, name: 'ü' } },
  outs: ['model.bin', 'metrics.json'],
};

const BUILTIN_STAGE: RunInputs = {
  uses: 'split',
  with: { seed: 42, ratios: { val: 0.1, train: 0.9 } },
  version: '1',
  deps: [],
  params: {},
  outs: ['splits'],
};

// Written from the rule (version line; keys sorted at every depth; deps as [path, hash, id] in
// declared order; outs in declared order; absent definition fields are null; no spaces).
const SHELL_TEXT =
  'dvcts-run/1\n' +
  '{"definition":{"cmd":["python3 train.py --lr 0.1"],"uses":null,"version":null,"with":null},' +
  '"deps":[["data/b.csv","xxh128","0123456789abcdef0123456789abcdef"],["data/a","xxh128","fedcba9876543210fedcba9876543210.dir"]],' +
  '"outs":["model.bin","metrics.json"],' +
  '"params":{"params.yaml":{"name":"ü","train.epochs":3,"train.lr":0.1}}}\n';
const BUILTIN_TEXT =
  'dvcts-run/1\n' +
  '{"definition":{"cmd":null,"uses":"split","version":"1","with":{"ratios":{"train":0.9,"val":0.1},"seed":42}},' +
  '"deps":[],"outs":["splits"],"params":{}}\n';

/** XXH64 (seed 0) of the text by the reference C tool: lane A of a content id. */
function xxhsum64(text: string): string {
  return execFileSync('xxhsum', ['-H64'], { input: Buffer.from(text, 'utf8') }).toString().split(/\s/)[0]!;
}

describe('run-cache canonical form, version dvcts-run/1', () => {
  it('is pinned for a shell stage and a built-in stage', () => {
    expect(canonicalRunText(SHELL_STAGE)).toBe(SHELL_TEXT);
    expect(canonicalRunText(BUILTIN_STAGE)).toBe(BUILTIN_TEXT);
  });

  it('fingerprints are content ids of that text (lane A checked with xxhsum) and pinned', async () => {
    const shell = await runFingerprint(SHELL_STAGE);
    const builtin = await runFingerprint(BUILTIN_STAGE);
    expect(shell.slice(0, 16)).toBe(xxhsum64(SHELL_TEXT));
    expect(builtin.slice(0, 16)).toBe(xxhsum64(BUILTIN_TEXT));
    expect([shell, builtin]).toEqual(['f204181f20746ccc454aecdc8428efbe', '12b8cba8b071a5b224e440f2fc800c3c']);
  });

  it('does not depend on key order in params or options', async () => {
    const reordered: RunInputs = { ...BUILTIN_STAGE, with: { ratios: { train: 0.9, val: 0.1 }, seed: 42 } };
    expect(await runFingerprint(reordered)).toBe(await runFingerprint(BUILTIN_STAGE));
  });
});
