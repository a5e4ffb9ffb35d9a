import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/project.js';
import { cleanUpAfterEach, RemoteProject, tempRemoteDir } from './project.js';

const track = cleanUpAfterEach();

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), returning what the terminal showed. */
function onTerminal(cwd: string, args: string): string {
  const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} ${args}`, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`script failed: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('transfer progress', () => {
  it('shows a bar with objects and bytes on a terminal, and only the summary when piped', () => {
    const remote = track(tempRemoteDir());
    const p = track(RemoteProject.create());
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d/f${i}.txt`] = `${i}\n`.repeat(500);
    p.write(files);
    p.dvcts('add', 'd').expectOk();
    p.dvcts('remote', 'add', '-d', 's', remote.path).expectOk();

    const tty = onTerminal(p.root, 'push --jobs 1');
    expect(tty).toMatch(/push \[[=-]+\] +\d+% \| \d+\/41 objects \| [\d.]+ (B|KiB)\/[\d.]+ KiB \| /);
    expect(tty).toContain('Pushed 41 object(s)');

    p.sh('rm -rf d .dvcts/cache');
    const piped = p.dvcts('pull').expectOk();
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^Fetched 41 object\(s\), [\d.]+ KiB from 's' \([^)]+\); 0 were already in the cache\nM\td\n1 restored, 0 unchanged\n$/);
  });
});
