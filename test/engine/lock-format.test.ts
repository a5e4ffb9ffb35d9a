import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatLockFile, sortKeysDeep } from '../../src/lockfile/lock-file.js';
import type { LockEntry, LockedPath } from '../../src/lockfile/types.js';

// The oracle: the whole document stringified at once by the yaml package, as lock files were
// written before each stage's part was kept (committed lock files must not change by a byte).
function oracle(entries: Map<string, LockEntry>): string {
  const path = (p: LockedPath) => ({ path: p.path, hash: p.hash, id: p.id, size: p.size, ...(p.nfiles !== undefined ? { nfiles: p.nfiles } : {}) });
  const stages: Record<string, unknown> = {};
  for (const name of [...entries.keys()].sort()) {
    const e = entries.get(name)!;
    stages[name] = {
      ...(e.cmd ? { cmd: e.cmd.length === 1 ? e.cmd[0] : e.cmd } : {}),
      ...(e.uses !== undefined ? { uses: e.uses, version: e.version, with: sortKeysDeep(e.with ?? {}) } : {}),
      ...(e.deps.length > 0 ? { deps: e.deps.map(path) } : {}),
      ...(Object.keys(e.params).length > 0 ? { params: sortKeysDeep(e.params) } : {}),
      ...(e.outs.length > 0 ? { outs: e.outs.map(path) } : {}),
    };
  }
  return `# Written by dvcts after each successful stage run. Commit it; do not edit.\n${stringify({ schema: 'dvcts-lock/1', stages }, { lineWidth: 0 })}`;
}

const file = (p: string, nfiles?: number): LockedPath => ({ path: p, hash: 'xxh128', id: `${'ab'.repeat(16)}` as LockedPath['id'], size: 12, ...(nfiles !== undefined ? { nfiles } : {}) });

describe('lock file text', () => {
  it('is byte for byte the whole document stringified, for awkward values too, and stays so as entries change', async () => {
    const entries = new Map<string, LockEntry>([
      ['plain', { cmd: ['cp a b'], deps: [file('a')], params: {}, outs: [file('b')] }],
      ['multi@x', { cmd: ['echo one', 'python3 - <<EOF\n  indented line\n\nafter a blank line\nEOF\n'], deps: [], params: { 'params.yaml': { 'train.lr': 0.5, 'z.list': [1, 'two', { k: null }] } }, outs: [file('out dir/', 3)] }],
      ['built', { uses: 'split', version: '2', with: { seed: 7, ratios: { train: 0.7, val: 0.1 }, empty: {}, text: ' leading space', yes: 'yes', colon: 'a: b', hash: '#x', quote: "it's \"q\"", unicode: '诗', multi: 'l1\nl2' }, deps: [file('data/in.csv')], params: {}, outs: [file('s/train.csv'), file('s/test.csv')] }],
      ['no-cmd', { deps: [], params: {}, outs: [] }],
      ['1e3', { cmd: ['true'], deps: [], params: {}, outs: [] }],
    ]);
    expect(await formatLockFile(entries)).toBe(oracle(entries));
    // Again from the kept parts, then with one entry replaced and one renamed (same object, new name).
    expect(await formatLockFile(entries)).toBe(oracle(entries));
    entries.set('plain', { cmd: ['cp a c'], deps: [file('a')], params: {}, outs: [file('c')] });
    entries.set('renamed', entries.get('1e3')!);
    entries.delete('1e3');
    expect(await formatLockFile(entries)).toBe(oracle(entries));
    expect(await formatLockFile(new Map())).toBe(oracle(new Map()));
  });
});
