import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LockFiles } from '../../src/api/lock-files.js';
import type { StageSpec } from '../../src/core/spec.js';
import { readLockFile } from '../../src/lockfile/lock-file.js';
import type { LockEntry } from '../../src/lockfile/types.js';

// Counts the real atomic writes of lock files: stages that finish while a write waits for its turn
// must join it, not queue a rewrite of the whole file each (quadratic for thousands of stages).
const written = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock(import('../../src/util/atomic-write.js'), async (importOriginal) => {
  const original = await importOriginal();
  return {
    ...original,
    writeFileAtomic: async (...args: Parameters<typeof original.writeFileAtomic>) => {
      written.paths.push(args[0]);
      return original.writeFileAtomic(...args);
    },
  };
});

const stage = (name: string): StageSpec => ({ id: `pipelines/p.yaml:${name}`, name, file: 'pipelines/p.yaml', lockFile: 'pipelines/p.lock', wdir: '', cmd: [`echo ${name}`], deps: [], outs: [], params: [], frozen: false, alwaysChanged: false });
const entry = (name: string): LockEntry => ({ cmd: [`echo ${name}`], deps: [], params: {}, outs: [] });

describe('lock file writes', () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('join a write that has not started, and each record is on disk when its promise settles', async () => {
    root = await mkdtemp(join(tmpdir(), 'dvcts-lock-writes-'));
    const stages = Array.from({ length: 50 }, (_, i) => stage(`s${i}`));
    const locks = await LockFiles.load(root, stages);
    const lockPath = join(root, 'pipelines/p.lock');
    const writes = () => written.paths.filter((p) => p === lockPath).length;

    await locks.record(stages[0]!, entry('s0'));
    expect(writes()).toBe(1);
    expect([...(await readLockFile(root, 'pipelines/p.lock')).keys()]).toEqual(['s0']);

    // 49 stages finishing at once: one write while the first is in flight, at most one after it.
    const first = locks.record(stages[1]!, entry('s1'));
    const rest = stages.slice(2).map((s) => locks.record(s, entry(s.name)));
    await first;
    expect((await readLockFile(root, 'pipelines/p.lock')).size).toBe(50);
    await Promise.all(rest);
    expect(writes()).toBe(2);
    expect((await readLockFile(root, 'pipelines/p.lock')).get('s49')).toEqual(entry('s49'));
  });
});
