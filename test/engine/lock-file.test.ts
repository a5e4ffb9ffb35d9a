import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('that are not valid are a clear error naming the file', async () => {
    root = mkdtempSync(join(tmpdir(), 'dvcts-lock-'));
    writeFileSync(join(root, 'bad.lock'), 'schema: dvcts-lock/1\nstages: [oops\n');
    await expect(readLockFile(root, 'bad.lock')).rejects.toMatchObject({ code: 'E_LOCK_INVALID', data: { path: 'bad.lock' } });
    writeFileSync(join(root, 'bad.lock'), 'schema: other\nstages: {}\n');
    await expect(readLockFile(root, 'bad.lock')).rejects.toMatchObject({ code: 'E_LOCK_INVALID' });
  });
});
