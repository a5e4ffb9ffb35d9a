import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLockFile, readLockFile } from '../../src/lockfile/lock-file.js';
import type { LockEntry } from '../../src/lockfile/types.js';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

const entry = (cmd: string): LockEntry => ({ cmd: [cmd], deps: [], params: { 'params.yaml': { lr: 0.1 } }, outs: [] });

describe('lock files', () => {
  it('are read back after an edit even though parsed copies are kept', async () => {
    root = mkdtempSync(join(tmpdir(), 'dvcts-lock-'));
    mkdirSync(join(root, 'pipelines'));
    const path = join(root, 'pipelines', 'p.lock');
    writeFileSync(path, await formatLockFile(new Map([['a', entry('echo one')]])));
    expect((await readLockFile(root, 'pipelines/p.lock')).get('a')?.cmd).toEqual(['echo one']);
    expect((await readLockFile(root, 'pipelines/p.lock')).get('a')?.cmd).toEqual(['echo one']); // from the copy
    writeFileSync(path, await formatLockFile(new Map([['a', entry('echo two')]])));
    expect((await readLockFile(root, 'pipelines/p.lock')).get('a')?.cmd).toEqual(['echo two']);
  });

  it('keep their checked entries in the parsed copy, in the order a fresh read gives', async () => {
    root = mkdtempSync(join(tmpdir(), 'dvcts-lock-'));
    const id = '0123456789abcdef0123456789abcdef';
    const dep = `      - path: in.txt\n        hash: xxh128\n        id: ${id}\n        size: 3\n`;
    // Names as a user could write them: integer-like ones come first in a JS object, by value.
    const text = `schema: dvcts-lock/1\nstages:\n  b:\n    cmd: one\n    deps:\n${dep}  "10":\n    cmd: two\n  a:\n    cmd: [x, y]\n  "2":\n    cmd: three\n`;
    writeFileSync(join(root, 'p.lock'), text);
    const fresh = await readLockFile(root, 'p.lock');
    expect([...fresh.keys()]).toEqual(['2', '10', 'b', 'a']);
    expect(fresh.get('b')).toEqual({ cmd: ['one'], deps: [{ path: 'in.txt', hash: 'xxh128', id, size: 3 }], params: {}, outs: [] });
    expect(fresh.get('a')?.cmd).toEqual(['x', 'y']);
    const copied = await readLockFile(root, 'p.lock');
    expect([...copied.entries()]).toEqual([...fresh.entries()]);
    // The copy answers without checking again: an entry planted in it is what the next read gives.
    const copyPath = join(root, '.dvcts', 'tmp', 'parsed', 'lock-entries.p.lock.json');
    writeFileSync(copyPath, readFileSync(copyPath, 'utf8').replace('"cmd":["one"]', '"cmd":["planted"]'));
    expect((await readLockFile(root, 'p.lock')).get('b')?.cmd).toEqual(['planted']);
  });

  it('that are not valid are a clear error naming the file', async () => {
    root = mkdtempSync(join(tmpdir(), 'dvcts-lock-'));
    writeFileSync(join(root, 'bad.lock'), 'schema: dvcts-lock/1\nstages: [oops\n');
    await expect(readLockFile(root, 'bad.lock')).rejects.toMatchObject({ code: 'E_LOCK_INVALID', data: { path: 'bad.lock' } });
    writeFileSync(join(root, 'bad.lock'), 'schema: other\nstages: {}\n');
    await expect(readLockFile(root, 'bad.lock')).rejects.toMatchObject({ code: 'E_LOCK_INVALID' });
  });
});
