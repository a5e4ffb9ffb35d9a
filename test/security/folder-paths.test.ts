import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/cache/index.js';
import { objectPath, Sandbox } from './sandbox.js';

// Above the small-file limit (256 KiB): checkout links it in its second phase instead of staging it.
const BIG = Buffer.alloc(300 * 1024, 'b');

/** Overwrites a (read-only) cache object in place with other bytes of the same size. */
function corrupt(path: string): void {
  const bytes = readFileSync(path);
  bytes[0] = bytes[0] === 0x21 ? 0x22 : 0x21;
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, 0o444);
}

/**
 * The security guarantees on the many-files path (folders added, checked out and compared in one
 * sorted walk): every object placed in a folder is verified, small (staged) or large (linked),
 * and nothing is written through a symlink, inside the folder or above it.
 */
describe('folders on the many-files path', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/dir/small.txt': 'small\n', 'data/dir/sub/x.txt': 'x\n' });
    writeFileSync(sb.p.path('data/dir/big.bin'), BIG);
    sb.p.dvcts('add', 'data/dir').expectOk();
    sb.p.commit('base');
  });
  afterEach(() => sb.cleanup());

  for (const [what, bytes] of [
    ['small', 'small\n'],
    ['large', BIG],
  ] as const) {
    for (const linkTypes of ['[copy]', '[hardlink, copy]']) {
      it(`a corrupt ${what} object of a folder is not checked out (cache.type ${linkTypes})`, async () => {
        sb.p.write({ '.dvcts/config.yaml': `cache:\n  type: ${linkTypes}\n` });
        const id = await hashBytes(Buffer.from(bytes));
        sb.p.sh('rm -rf data/dir');
        corrupt(objectPath(sb.p, id));
        const run = sb.p.dvcts('checkout');
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('E_OBJECT_CORRUPT');
        expect(run.stderr).toContain(id);
        // Refused before any file was placed, and no staging folder left behind.
        expect(existsSync(sb.p.path('data/dir'))).toBe(false);
        expect(readdirSync(sb.p.path('data')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      });
    }
  }

  it('a link inside a tracked folder stops its checkout (E_SYMLINK), nothing written through it', () => {
    sb.p.sh('rm -rf data/dir/sub && ln -s ../../../outside/victim data/dir/sub');
    const before = sb.snapshot();
    for (const force of [[], ['-f']]) {
      const run = sb.p.dvcts('checkout', ...force);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('E_SYMLINK');
      expect(run.stderr).toContain('data/dir/sub');
    }
    sb.expectSafe(before);
  });

  it('add of a folder holding a link to an outside folder is refused, nothing stored from it', () => {
    sb.p.sh('ln -s ../../../outside/victim data/dir/sub/out');
    const before = sb.snapshot();
    const add = sb.p.dvcts('add', 'data/dir');
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('E_SYMLINK');
    expect(sb.p.read('data/dir.dvcts')).toBe(before['project/data/dir.dvcts']);
    sb.expectSafe(before);
  });
});
