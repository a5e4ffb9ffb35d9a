import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { craftedPointer, pointerId, Sandbox } from './sandbox.js';

/** Should-fix of the security issue: two records of one path, outputs over tracked data, broken pointer files, gc and links. */
describe('records that overlap, and broken pointer files', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/a.txt': 'alpha\n', 'data/b.txt': 'bravo\n', 'data/dir/x.txt': 'x\n' });
    sb.p.dvcts('add', 'data/a.txt', 'data/b.txt', 'data/dir').expectOk();
    sb.p.commit('base');
  });
  afterEach(() => sb.cleanup());

  it('two pointers of one path, or a pointer inside tracked data: both reported, neither acted on', () => {
    // A branch records data/a.txt twice and data/dir/x.txt inside the tracked data/dir.
    const bId = pointerId(sb.p.read('data/b.txt.dvcts'));
    sb.p.git('checkout', '-q', '-b', 'evil');
    sb.p.write({ 'data/twin.dvcts': craftedPointer('a.txt', bId, 6), 'data/dir/inner.dvcts': craftedPointer('x.txt', bId, 6) });
    sb.p.git('add', '-f', 'data/dir/inner.dvcts'); // data/dir itself is git-ignored
    sb.p.commit('overlapping records');
    sb.p.git('checkout', '-q', 'main');
    sb.p.write({ 'data/twin.dvcts': craftedPointer('a.txt', bId, 6) });
    const before = sb.snapshot();
    for (const args of [['checkout', '--rev', 'evil'], ['checkout', '--rev', 'evil', '-f'], ['checkout']]) {
      const run = sb.p.dvcts(...args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('data/a.txt.dvcts:3:9: error[E_RECORD_CONFLICT]');
      expect(run.stderr).toContain('data/twin.dvcts:2:9: error[E_RECORD_CONFLICT]');
      if (args.includes('evil')) expect(run.stderr).toContain('data/dir.dvcts:3:9: error[E_RECORD_CONFLICT]');
      if (args.includes('evil')) expect(run.stderr).toContain('data/dir/inner.dvcts:2:9: error[E_RECORD_CONFLICT]');
      sb.expectSafe(before); // nothing flips back and forth
    }
    const status = sb.p.dvcts('status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('E_RECORD_CONFLICT');
  });

  it('a stage whose output is, holds or lies inside data tracked with add is refused before anything runs', () => {
    sb.p.write({ 'raw/c.txt': 'charlie\n' });
    sb.p.dvcts('add', 'raw/c.txt').expectOk();
    sb.p.write({
      'pipelines/p.yaml': 'stages:\n  same:\n    cmd: echo > data/a.txt\n    outs: [data/a.txt]\n  holds:\n    cmd: mkdir -p raw\n    outs: [raw]\n  inside:\n    cmd: echo > data/dir/new.txt\n    outs: [data/dir/new.txt]\n',
    });
    const before = sb.snapshot();
    const run = sb.p.dvcts('repro');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipelines/p.yaml:4:12: error[E_OUT_TRACKED]');
    expect(run.stderr).toContain('pipelines/p.yaml:7:12: error[E_OUT_TRACKED]');
    expect(run.stderr).toContain('pipelines/p.yaml:10:12: error[E_OUT_TRACKED]');
    sb.expectSafe(before);
  });

  it('a pointer file that does not parse (a user\'s own notes.dvcts) is reported; status and checkout carry on', () => {
    sb.p.write({ 'notes.dvcts': 'my notes: [unclosed\n' });
    rmSync(sb.p.path('data/a.txt'));
    const status = sb.p.dvcts('status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('notes.dvcts:');
    expect(status.stdout).toContain('missing: data/a.txt');
    const checkout = sb.p.dvcts('checkout');
    expect(checkout.code).toBe(1);
    expect(checkout.stderr).toContain('notes.dvcts:');
    expect(sb.p.read('data/a.txt')).toBe('alpha\n');
  });
});

describe('gc and links', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/a.txt': 'alpha\n' });
    sb.p.dvcts('add', 'data/a.txt').expectOk();
  });
  afterEach(() => sb.cleanup());

  it('never follows a symlinked folder inside the cache', () => {
    // Files named like objects and like stale temp files, in a folder outside, linked in as a fan-out folder.
    writeFileSync(join(sb.outside, 'victim', 'c'.repeat(30)), 'not an object\n');
    writeFileSync(join(sb.outside, 'victim', '.tmp-x.999999.abcdef01'), 'not a temp\n');
    const fanout = sb.p.path('.dvcts/cache/objects/ab');
    rmSync(fanout, { recursive: true, force: true });
    symlinkSync(join(sb.outside, 'victim'), fanout);
    const before = sb.snapshot();
    const run = sb.p.dvcts('gc');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('skipped');
    sb.expectSafe(before);
  });

  it('refuses a cache shared with another project through a link, unless --force', () => {
    const other = join(sb.home, 'other');
    mkdirSync(other);
    sb.p.sh(`cd ${other} && node ${join(process.cwd(), 'dist/cli/main.js')} init >/dev/null && rm -r .dvcts/cache && ln -s ${sb.p.path('.dvcts/cache')} .dvcts/cache`);
    const objects = readdirSync(sb.p.path('.dvcts/cache/objects'), { recursive: true });
    const run = sb.p.sh(`cd ${other} && node ${join(process.cwd(), 'dist/cli/main.js')} gc 2>&1; echo rc=$?`);
    expect(run).toContain('E_GC_SHARED_CACHE');
    expect(run).toContain('rc=2');
    expect(readdirSync(sb.p.path('.dvcts/cache/objects'), { recursive: true })).toEqual(objects);
  });
});
