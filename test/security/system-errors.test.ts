import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';
import { objectPath, pointerId } from './sandbox.js';

const NO_STACK = /\n\s+at |internal error/;

/**
 * The CLI as an ordinary user: root ignores file modes, so as root it runs without the
 * capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
 */
function restricted(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [cmd, argv] =
    process.getuid?.() === 0
      ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, CLI, ...args]]
      : [process.execPath, [CLI, ...args]];
  const r = spawnSync(cmd, argv as string[], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Temp files (`.tmp-*`) anywhere below `dir`. */
function litter(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.tmp-')) found.push(join(d, e.name));
      if (e.isDirectory()) walk(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

/** Should-fix of the security issue: system errors are coded, located errors; nothing is left half-written. */
describe('permissions and odd files', () => {
  let p: TempProject;
  beforeEach(() => {
    p = TempProject.init({ 'data/a.txt': 'alpha\n', 'data/dir/x.txt': 'x\n', 'data/dir/sub/y.txt': 'y\n', 'pipelines/p.yaml': 'stages:\n  s:\n    cmd: echo > s.txt\n    outs: [s.txt]\n' });
  });
  afterEach(() => {
    p.sh('chmod -R u+rwX .');
    p.cleanup();
  });

  const cases: { name: string; setup: () => void; args: string[]; code: number; expected: string[] }[] = [
    { name: 'an unreadable folder inside a folder being added', setup: () => chmodSync(p.path('data/dir/sub'), 0o000), args: ['add', 'data/dir'], code: 1, expected: ['E_PERMISSION', 'data/dir/sub'] },
    { name: 'a read-only .dvcts/tmp', setup: () => chmodSync(p.path('.dvcts/tmp'), 0o555), args: ['add', 'data/a.txt'], code: 1, expected: ['E_PERMISSION', '.dvcts/tmp'] },
    { name: 'a read-only folder for the pointer', setup: () => chmodSync(p.path('data'), 0o555), args: ['add', 'data/a.txt'], code: 1, expected: ['E_PERMISSION', 'data/a.txt.dvcts'] },
    { name: 'an unreadable config', setup: () => chmodSync(p.path('.dvcts/config.yaml'), 0o000), args: ['status'], code: 1, expected: ['E_PERMISSION', '.dvcts/config.yaml'] },
    { name: 'an unreadable pipeline', setup: () => chmodSync(p.path('pipelines/p.yaml'), 0o000), args: ['status'], code: 2, expected: ['E_PERMISSION', 'pipelines/p.yaml'] },
  ];
  for (const c of cases) {
    it(`${c.name}: a coded error naming the path, no stack trace`, () => {
      c.setup();
      const r = restricted(p.root, ...c.args);
      expect(r.code, r.stderr).toBe(c.code);
      for (const text of c.expected) expect(r.stderr).toContain(text);
      expect(r.stderr).not.toMatch(/not valid YAML|does not exist/);
      expect(r.stderr).not.toMatch(NO_STACK);
      expect(litter(p.root)).toEqual([]);
    });
  }

  it('an unreadable pointer file is reported; the rest is checked out', () => {
    p.dvcts('add', 'data/a.txt', 'data/dir').expectOk();
    rmSync(p.path('data/a.txt'));
    chmodSync(p.path('data/dir.dvcts'), 0o000);
    const r = restricted(p.root, 'checkout');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('data/dir.dvcts');
    expect(r.stderr).toContain('E_RECORD_UNREADABLE');
    expect(p.read('data/a.txt')).toBe('alpha\n');
  });

  it('a cache object replaced by a folder is named as such', () => {
    p.dvcts('add', 'data/a.txt').expectOk();
    const object = objectPath(p, pointerId(p.read('data/a.txt.dvcts')));
    rmSync(object);
    mkdirSync(object);
    rmSync(p.path('data/a.txt'));
    const r = p.dvcts('checkout');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_OBJECT_CORRUPT');
    expect(r.stderr).toContain('is not a file');
    expect(r.stderr).not.toContain('4096');
  });
});

/** A project on a small tmpfs in a private mount namespace (no root needed: a user namespace maps us to root there). */
function onSmallDisk(p: TempProject, kib: number, script: string): string {
  const disk = join(p.root, '..', `${statSync(p.root).ino}-disk`);
  mkdirSync(disk, { recursive: true });
  try {
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${kib}k tmpfs '${disk}' && cp -a '${p.root}/.' '${disk}/' && cd '${disk}' && ${script}`], {
      encoding: 'utf8',
      // ERR: a file off the small disk, which may be too full to hold even an error message.
      env: { ...process.env, NO_COLOR: '1', CLI: `${process.execPath} ${CLI}`, ERR: join(p.root, 'stderr.txt') },
    });
    if (r.status !== 0) throw new Error(`small-disk script failed: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(disk, { recursive: true, force: true });
  }
}

describe('a full disk', () => {
  let p: TempProject;
  beforeEach(() => {
    p = TempProject.init();
  });
  afterEach(() => p.cleanup());

  it('while add stores data: E_NO_SPACE with the path, no temp file left, the data intact', () => {
    writeFileSync(p.path('big.bin'), Buffer.alloc(700 * 1024, 7));
    const out = onSmallDisk(p, 1024, `$CLI add big.bin 2>"$ERR"; echo "rc=$?"; cat "$ERR"; find . -name '.tmp-*'; cksum big.bin; ls`);
    expect(out).toContain('rc=1');
    expect(out).toContain('E_NO_SPACE');
    expect(out).toMatch(/cannot [a-z ]+ '[^']+'/);
    expect(out).not.toMatch(NO_STACK);
    expect(out).not.toContain('.tmp-');
    expect(out).not.toContain('big.bin.dvcts');
    expect(out).toContain(spawnSync('cksum', ['big.bin'], { cwd: p.root, encoding: 'utf8' }).stdout.trim());
  });

  it('before the command starts: the repo lock leaves no temp file behind', () => {
    writeFileSync(p.path('a.txt'), 'a\n');
    const out = onSmallDisk(p, 256, `head -c 1048576 /dev/zero > filler 2>/dev/null; $CLI add a.txt 2>"$ERR"; echo "rc=$?"; cat "$ERR"; find . -name '.tmp-*'`);
    expect(out).toContain('rc=1');
    expect(out).toContain('E_NO_SPACE');
    expect(out).not.toMatch(NO_STACK);
    expect(out).not.toContain('.tmp-');
  });
});
