import { describe, expect, it } from 'vitest';
import type { DirStamps } from '../../src/cache/dir-stamps.js';
import type { StateCache } from '../../src/cache/state.js';
import { WorkspaceHasher } from '../../src/cache/workspace-hasher.js';

// The state cache keys a file by its root-relative posix path. A status of 32k stages makes the key
// of a normalised path by cutting the root off; any other spelling must give the key path.relative
// gives (expected values worked by hand).
describe('state keys', () => {
  const hasher = new WorkspaceHasher('/p/root', {} as StateCache, {} as DirStamps, () => false);

  it('are the path under the root, however it was spelt', () => {
    expect(hasher.stateKey('/p/root/a/b.txt')).toBe('a/b.txt');
    expect(hasher.stateKey('/p/root/a/./b.txt')).toBe('a/b.txt');
    expect(hasher.stateKey('/p/root/./a/b.txt')).toBe('a/b.txt');
    expect(hasher.stateKey('/p/root/a/../b.txt')).toBe('b.txt');
    expect(hasher.stateKey('/p/root/a//b.txt')).toBe('a/b.txt');
    expect(hasher.stateKey('/p/root/a/')).toBe('a');
    expect(hasher.stateKey('/p/root/.hidden/..x')).toBe('.hidden/..x');
  });

  it('are the absolute path for a path outside the root', () => {
    expect(hasher.stateKey('/p/rootx/a')).toBe('/p/rootx/a');
    expect(hasher.stateKey('/p/root/../other/a')).toBe('/p/root/../other/a');
  });
});
