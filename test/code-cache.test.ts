import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CliRun, TempProject } from './helpers/project.js';

// The CLI's chunks are compiled with V8's code cache that the build's warm-up writes
// (scripts/cli-entry.cjs, scripts/code-cache-warmup.mjs). DVCTS_CODE_CACHE=report makes the entry
// say, per chunk it loads, whether V8 took the chunk's cache.
const BIN = dirname(CLI);

function verdicts(stderr: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of stderr.matchAll(/^code cache (\w+): (\S+)$/gm)) found.set(m[2]!, m[1]!);
  return found;
}

describe('the CLI code cache', () => {
  let p: TempProject;
  beforeAll(() => {
    p = TempProject.init({ 'data/a.txt': 'a\n', 'data/b.txt': 'b\n' });
    p.dvcts('add', 'data').expectOk();
  });
  afterAll(() => p.cleanup());

  it('is used for every chunk that status, add, checkout and --version load', () => {
    const runs = [['status'], ['add', 'data'], ['--version']].map((args) => p.dvctsEnv({ DVCTS_CODE_CACHE: 'report' }, ...args).expectOk());
    rmSync(p.path('data'), { recursive: true });
    runs.push(p.dvctsEnv({ DVCTS_CODE_CACHE: 'report' }, 'checkout').expectOk());
    for (const run of runs) {
      const found = verdicts(run.stderr);
      expect(found.get('cli.js')).toBe('used');
      expect([...found].filter(([, verdict]) => verdict !== 'used')).toEqual([]);
    }
    expect(p.read('data/b.txt')).toBe('b\n');
  });

  it('a damaged or missing cache is compiled from source: same output, nothing written', () => {
    // A sibling of dist/bin, so the chunks' paths to dist/cli and package.json still hold.
    const copy = join(dirname(BIN), `bin-damaged-cache-${process.pid}`);
    cpSync(BIN, copy, { recursive: true });
    try {
      const caches = readdirSync(copy).filter((f) => f.endsWith('.cache'));
      expect(caches.length).toBeGreaterThan(10);
      const garbage = Buffer.alloc(4096, 7);
      for (const f of caches) writeFileSync(join(copy, f), garbage);
      const removed = caches.find((f) => f.startsWith('dvcts-status-'))!;
      unlinkSync(join(copy, removed));
      for (const args of [['status'], ['--version']]) {
        const damaged = new CliRun(spawnSync(process.execPath, [join(copy, 'dvcts.js'), ...args], { cwd: p.root, encoding: 'utf8', env: { ...process.env, DVCTS_CODE_CACHE: 'report' } })).expectOk();
        const found = verdicts(damaged.stderr);
        expect(found.get('cli.js')).toBe('rejected');
        if (args[0] === 'status') expect(found.get(removed.replace(/\.cache$/, ''))).toBe('none');
        expect([...found.values()].filter((v) => v === 'used')).toEqual([]);
        expect(damaged.stdout).toBe(p.dvcts(...args).expectOk().stdout);
      }
      // read only: outside the build's warm-up nothing is written
      const after = readdirSync(copy).filter((f) => f.endsWith('.cache'));
      expect(after).toEqual(caches.filter((f) => f !== removed));
      for (const f of after) expect(readFileSync(join(copy, f))).toEqual(garbage);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
