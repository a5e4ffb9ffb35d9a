import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';

/** Resolves once `path` exists (the stage has started), or rejects after `ms`. */
async function waitFor(path: string, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (existsSync(path)) return;
  throw new Error(`${path} did not appear within ${ms} ms`);
}

/** Pids of processes whose command line is exactly `args` (the test's own, unusual sleeps). */
function processesRunning(args: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    return m && m[2] === args ? [Number(m[1])] : [];
  });
}

// Durations no other test uses, so the stage's processes can be told apart.
const FOREGROUND = 'sleep 31.7';
const BACKGROUND = 'sleep 37.3';

/**
 * Should-fix of the security issue: a signal to `repro` stops everything a shell stage started
 * (the shell, its children, its background jobs), so nothing writes outputs after dvcts exited.
 */
describe('SIGTERM and SIGINT to repro stop the stage process group', () => {
  let p: TempProject;
  afterEach(() => {
    // What a failing run left behind: the test's own processes, by pid.
    for (const pid of [...processesRunning(FOREGROUND), ...processesRunning(BACKGROUND)]) process.kill(pid, 'SIGKILL');
    p.cleanup();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: no stage process outlives dvcts`, async () => {
      p = TempProject.init({
        'pipelines/p.yaml': `stages:\n  slow:\n    cmd: touch started; (${BACKGROUND}; echo late > bg.txt) & ${FOREGROUND}; echo late > fg.txt; wait\n    outs: [fg.txt]\n`,
      });
      const child = spawn(process.execPath, [CLI, 'repro'], { cwd: p.root, stdio: 'ignore' });
      const exited = new Promise<{ code: number | null }>((done) => child.on('exit', (code) => done({ code })));
      await waitFor(p.path('started'), 20_000);
      await sleep(200); // the background job and the foreground sleep are started by now
      child.kill(signal);
      const { code } = await exited;
      expect(code).toBe(130); // interrupted (the README's exit codes)
      expect(processesRunning(FOREGROUND)).toEqual([]);
      expect(processesRunning(BACKGROUND)).toEqual([]);
    });
  }
});
