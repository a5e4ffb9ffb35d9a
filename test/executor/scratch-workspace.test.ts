import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObjectId } from '../../src/core/ids.js';
import { ScratchWorkspace, type RemoteStore } from '../../src/executor/scratch-workspace.js';

describe('a worker places only job inputs that pass the one path rule', () => {
  it('refuses paths that leave the workspace or enter .git/.dvcts, before fetching anything', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dvcts-scratch-'));
    let fetches = 0;
    const remote = { name: 'r', location: 'r', fetchObjects: async () => (fetches++, { incomplete: [] }) } as unknown as RemoteStore;
    try {
      const ws = await ScratchWorkspace.create(scratch, join(scratch, 'cache'), 'job');
      const id = '0'.repeat(32) as ObjectId;
      for (const [path, code] of [['../escape.txt', 'E_PATH_OUTSIDE'], ['/etc/passwd', 'E_PATH_OUTSIDE'], ['data/.git/hooks/x', 'E_PATH_RESERVED'], ['a//b', 'E_PATH_INVALID']] as const) {
        await expect(ws.materialise([{ path, id } as never], remote, { stage: 's', worker: 'w' }), path).rejects.toMatchObject({ code });
      }
      expect(fetches).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
