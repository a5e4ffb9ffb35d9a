import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { DvctsError } from '../../src/core/errors.js';
import type { OutSpec, StageSpec } from '../../src/core/spec.js';
import { ParamsReader } from '../../src/pipeline/params.js';
import type { RunEvent } from '../../src/scheduler/events.js';
import { executeStage } from '../../src/scheduler/execute-stage.js';
import { confinedPath } from '../../src/util/confined-path.js';
import { Sandbox } from './sandbox.js';

/**
 * Defence in depth: the places that delete or write data check every path again, so a stage that
 * skipped validation (built by code, a future bug) still cannot delete the project.
 */
describe('the last check before a delete or write', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/raw.txt': 'raw\n' });
    sb.p.sh('ln -s ../outside lnk');
    sb.p.commit('start');
  });
  afterEach(() => sb.cleanup());

  const stage = (outs: string[]): StageSpec => ({
    id: 'pipelines/x.yaml:s',
    name: 's',
    file: 'pipelines/x.yaml',
    lockFile: 'pipelines/x.lock',
    wdir: '',
    cmd: ['echo ran > ran.txt'],
    deps: [],
    outs: outs.map((path): OutSpec => ({ path, kind: 'out', cache: true, persist: false })),
    params: [],
    frozen: false,
    alwaysChanged: true,
  });

  it('a stage whose outputs were never validated fails before deleting anything', async () => {
    const cache = await openCache({ root: sb.p.root });
    for (const [out, code] of [
      ['', 'E_PATH_RESERVED'],
      ['.git', 'E_PATH_RESERVED'],
      ['.dvcts/cache', 'E_PATH_RESERVED'],
      ['pipelines', 'E_PATH_RESERVED'],
      ['../outside', 'E_PATH_OUTSIDE'],
      ['lnk/secret.txt', 'E_PATH_SYMLINK'],
      ['data/./raw.txt', 'E_PATH_INVALID'],
    ] as const) {
      const before = sb.snapshot();
      const events: RunEvent[] = [];
      const outcome = await executeStage(stage([out]), {
        root: sb.p.root,
        cache,
        params: new ParamsReader(sb.p.root),
        force: true,
        dry: false,
        emit: (e) => events.push(e),
        lockedEntry: () => undefined,
        record: async () => undefined,
      });
      expect(outcome, out).toBe('failed');
      const failed = events.find((e) => e.type === 'stage-failed');
      expect(failed?.type === 'stage-failed' && failed.failure.code, out).toBe(code);
      sb.expectSafe(before);
      expect(sb.p.sh('ls'), out).not.toContain('ran.txt');
    }
  });

  it('confinedPath names the link a path goes through', async () => {
    const e = await confinedPath(sb.p.root, 'lnk/deeper/x.txt', 'write').catch((error: unknown) => error);
    expect(e).toBeInstanceOf(DvctsError);
    expect((e as DvctsError).code).toBe('E_PATH_SYMLINK');
    expect((e as DvctsError).data).toEqual({ path: 'lnk/deeper/x.txt', link: 'lnk' });
    expect(await confinedPath(sb.p.root, 'data/new/x.txt', 'write')).toBe(sb.p.path('data/new/x.txt'));
  });

  it('the cache refuses to check out into .dvcts or through a link', async () => {
    const cache = await openCache({ root: sb.p.root });
    const info = await cache.save(sb.p.path('data/raw.txt'));
    const before = sb.snapshot();
    for (const [dest, code] of [
      [sb.p.path(`.dvcts/cache/objects/${info.id.slice(0, 2)}/victim`), 'E_PATH_RESERVED'],
      [sb.p.path('lnk/secret.txt'), 'E_PATH_SYMLINK'],
      [sb.outside + '/secret.txt', 'E_PATH_OUTSIDE'],
    ] as const) {
      const e = await cache.checkout(info, dest).catch((error: unknown) => error);
      expect((e as DvctsError).code, dest).toBe(code);
    }
    sb.expectSafe(before);
  });

  it('unprotect never makes cache objects writable or follows a link', () => {
    sb.p.dvcts('add', 'data/raw.txt').expectOk();
    const objects = sb.p.sh('find .dvcts/cache/objects -type f -perm -u+w');
    for (const [path, code] of [['.dvcts/cache', 'E_PATH_RESERVED'], ['lnk/secret.txt', 'E_PATH_SYMLINK']]) {
      const run = sb.p.dvcts('unprotect', path!);
      expect(run.code, path).toBe(1);
      expect(run.stderr).toContain(code);
    }
    expect(sb.p.sh('find .dvcts/cache/objects -type f -perm -u+w')).toBe(objects);
  });
});
