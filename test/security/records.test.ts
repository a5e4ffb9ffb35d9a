import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { craftedLock, craftedPointer, objectPath, pointerId, Sandbox } from './sandbox.js';

/**
 * Cases 2-4 of the security issue: lock and pointer files come from git, so checking out someone's
 * branch (with `checkout --rev`, or `git checkout` running the post-checkout hook) must never
 * write outside the project, into .git/ or .dvcts/, or through a committed symlink.
 */
describe('crafted lock and pointer files', () => {
  let sb: Sandbox;
  let fileId: string;
  let dirId: string;
  const ghostStage = 'stages:\n  ghost:\n    cmd: echo\n';

  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/a.txt': 'alpha\n', 'data/dir/x.txt': 'x\n', 'data/dir/y.txt': 'y\n' });
    sb.p.dvcts('add', 'data/a.txt', 'data/dir').expectOk();
    sb.p.commit('base');
    fileId = pointerId(sb.p.read('data/a.txt.dvcts'));
    dirId = pointerId(sb.p.read('data/dir.dvcts'));
  });
  afterEach(() => sb.cleanup());

  /** Lock and pointer records that each try to write somewhere they must not. */
  function writeAttack(): void {
    sb.p.write({
      'pipelines/x.yaml': ghostStage,
      'pipelines/x.lock': craftedLock('ghost', [
        { path: '../pwned', id: fileId, size: 6 },
        { path: '../outside/victim', id: dirId, size: 4, nfiles: 2 },
        { path: '.', id: dirId, size: 4, nfiles: 2 },
        { path: '.git', id: dirId, size: 4, nfiles: 2 },
        { path: '.dvcts/cache', id: dirId, size: 4, nfiles: 2 },
      ]),
      'evil.dvcts': craftedPointer('.git/info/x', fileId, 6),
      'overwrite.dvcts': craftedPointer(`.dvcts/cache/objects/${dirId.slice(0, 2)}/${dirId.slice(2)}`, fileId, 6),
    });
  }

  it('checkout and checkout -f in the work tree: nothing is written where the records say', () => {
    writeAttack();
    const before = sb.snapshot();
    const manifest = sb.p.sh(`cat ${objectPath(sb.p, dirId)}`);
    for (const args of [['checkout'], ['checkout', '-f']]) {
      const run = sb.p.dvcts(...args);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('pipelines/x.lock:5:15: error[E_PATH_OUTSIDE]');
      expect(run.stderr).toContain('pipelines/x.lock:9:15: error[E_PATH_OUTSIDE]');
      expect(run.stderr).toContain('pipelines/x.lock:14:15: error[E_PATH_RESERVED]');
      expect(run.stderr).toContain('pipelines/x.lock:19:15: error[E_PATH_RESERVED]');
      expect(run.stderr).toContain('pipelines/x.lock:24:15: error[E_PATH_RESERVED]');
      expect(run.stderr).toContain('evil.dvcts:2:9: error[E_PATH_RESERVED]');
      expect(run.stderr).toContain('overwrite.dvcts:2:9: error[E_PATH_RESERVED]');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      sb.expectSafe(before);
      expect(sb.p.sh(`cat ${objectPath(sb.p, dirId)}`)).toBe(manifest);
    }
  });

  it('checkout --rev of a branch with crafted records writes nothing outside', () => {
    sb.p.git('checkout', '-q', '-b', 'evil');
    writeAttack();
    sb.p.commit('evil records');
    sb.p.git('checkout', '-q', 'main');
    const before = sb.snapshot();
    for (const args of [['checkout', '--rev', 'evil'], ['checkout', '--rev', 'evil', '-f']]) {
      const run = sb.p.dvcts(...args);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('pipelines/x.lock:5:15: error[E_PATH_OUTSIDE]');
      expect(run.stderr).toContain('evil.dvcts:2:9: error[E_PATH_RESERVED]');
      sb.expectSafe(before);
    }
  });

  it('git checkout of such a branch with the hooks installed writes nothing outside', () => {
    sb.p.dvcts('install').expectOk();
    sb.p.git('checkout', '-q', '-b', 'evil');
    writeAttack();
    sb.p.commit('evil records');
    sb.p.git('checkout', '-q', 'main');
    const before = sb.snapshot();
    // The hook's exit status (1: records were skipped) becomes git's; the branch is switched anyway.
    const git = spawnSync('git', ['checkout', 'evil'], { cwd: sb.p.root, encoding: 'utf8' });
    expect(git.status).toBe(1);
    expect(git.stderr).toContain("Switched to branch 'evil'");
    expect(git.stderr).toContain('pipelines/x.lock:5:15: error[E_PATH_OUTSIDE]');
    sb.expectSafe(before, ['.git', 'pipelines', 'evil.dvcts', 'overwrite.dvcts']); // git's own switch changes .git
    expect(existsSync(sb.p.path('.git/info/x'))).toBe(false);
  });

  it('lock entries of stages no pipeline defines are reported and skipped', () => {
    sb.p.write({
      'pipelines/x.yaml': 'stages:\n  real:\n    cmd: echo\n',
      'pipelines/x.lock': craftedLock('ghost', [{ path: 'data/ghost.txt', id: fileId, size: 6 }]),
      'pipelines/y.lock': craftedLock('orphan', [{ path: 'data/orphan.txt', id: fileId, size: 6 }]),
    });
    const run = sb.p.dvcts('checkout');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pipelines/x.lock:3:3: error[E_LOCK_UNKNOWN_STAGE]');
    expect(run.stderr).toContain('pipelines/y.lock:3:3: error[E_LOCK_UNKNOWN_STAGE]');
    expect(sb.p.sh('ls data')).not.toContain('ghost');
    expect(sb.p.sh('ls data')).not.toContain('orphan');
  });

  it('a committed symlink cannot carry a checkout, an add or a stage output out of the project', () => {
    sb.p.sh('ln -s ../outside lnk');
    sb.p.write({
      'pwn.dvcts': craftedPointer('lnk/pwn.txt', fileId, 6),
      'pwndir.dvcts': craftedPointer('lnk/victim', dirId, 4, 2), // a folder record: the many-files checkout
      'pipelines/out.yaml': 'stages:\n  out:\n    cmd: echo pwned > lnk/secret.txt\n    outs: [lnk/secret.txt]\n',
    });
    sb.p.commit('link');
    const before = sb.snapshot();
    const checkout = sb.p.dvcts('checkout');
    expect(checkout.code).toBe(1);
    expect(checkout.stderr).toContain('error[E_PATH_SYMLINK]');
    expect(checkout.stderr).toContain('pwn.dvcts');
    expect(checkout.stderr).toContain('pwndir.dvcts');
    for (const path of ['lnk/secret.txt', 'lnk/victim']) {
      const add = sb.p.dvcts('add', path);
      expect(add.code).toBe(2);
      expect(add.stderr).toContain('E_PATH_SYMLINK');
    }
    const repro = sb.p.dvcts('repro');
    expect(repro.code).toBe(1);
    expect(repro.stderr).toContain('E_PATH_SYMLINK');
    sb.expectSafe(before);
  });
});
