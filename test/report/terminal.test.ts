import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { activityProgress } from '../../src/report/activity-progress.js';
import { CLI, TempProject } from '../helpers/project.js';

/**
 * Progress as a person sees it: the CLI runs in a real pseudo-terminal (util-linux `script`
 * gives it one), and again through a pipe. Bars and colours on the terminal, nothing of either
 * in a pipe; NO_COLOR removes colours, -q removes progress.
 */
let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** Everything the command wrote to its terminal (stdout and stderr share it). */
function inTerminal(p: TempProject, args: string, env: Record<string, string | undefined> = {}): string {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  delete merged.NO_COLOR;
  if (env.NO_COLOR !== undefined) merged.NO_COLOR = env.NO_COLOR;
  const r = spawnSync('script', ['-q', '-e', '-c', `${process.execPath} ${CLI} ${args}`, '/dev/null'], { cwd: p.root, encoding: 'utf8', env: merged });
  if (r.status !== 0) throw new Error(`script exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

const COLOUR = /\x1b\[(1|2|3[0-9]|22|39)m/; // bold, dim, colours: what styleFor writes
// Without escape codes; a terminal's \r\n is \n, and a lone \r (a bar redrawn in place) a line break.
const plain = (text: string): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n').replace(/\r/g, '\n');

function manyFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`data/d${i % 30}/f${i}.txt`] = `file ${i}\n`.repeat(20);
  return files;
}

describe('progress in a pseudo-terminal and in a pipe', () => {
  it('repro shows the running stage with its time, in colour; NO_COLOR keeps the line and drops the colours', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': 'stages:\n  slow:\n    cmd: sleep 1.5; echo done > out.txt\n    outs: [out.txt]\n' }));
    const tty = inTerminal(p, 'repro');
    expect(plain(tty)).toMatch(/slow running \d+s/);
    expect(tty).toMatch(COLOUR);
    const noColor = inTerminal(p, 'repro -f', { NO_COLOR: '1' });
    expect(plain(noColor)).toMatch(/slow running \d+s/);
    expect(noColor).not.toMatch(COLOUR);
    expect(plain(noColor)).toContain('Stages: 1 ran');
  });

  it('a table built-in shows the rows it has done (their total is not known while streaming)', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i % 7 === 0 ? '' : `t${i}`}`).join('\n');
    const p = (project = TempProject.init({
      'pipelines/p.yaml': 'stages:\n  clean:\n    uses: dropna\n    deps: [in.csv]\n    outs: [out.csv]\n    with: { columns: [text] }\n',
      'in.csv': `id,text\n${rows}\n`,
    }));
    expect(plain(inTerminal(p, 'repro'))).toMatch(/clean \d+ rows \| [\d.]+\/s/);
    // 3000 rows, every 7th (i = 0, 7, ..., 2996: 429 of them) without text
    expect(p.read('out.csv').trimEnd().split('\n')).toHaveLength(1 + 3000 - 429);
  });

  it('add and checkout draw a bar of files and bytes; -q draws nothing; a pipe gets no bar and no escape codes', () => {
    const p = (project = TempProject.init(manyFiles(800)));
    const added = plain(inTerminal(p, 'add data'));
    // A folder is stored as it is walked (its size is not known first): files and bytes so far.
    expect(added).toMatch(/storing data \d+ files, [\d.]+ (B|KiB) \| [\d.]+\/s/);
    expect(added).toContain('Added data (800 files, 141800 bytes)');
    p.sh('rm -r data');
    expect(plain(inTerminal(p, 'checkout'))).toMatch(/checking out data \[[=-]+\] \d+\/800 files/);
    p.sh('rm -r data');
    const quiet = inTerminal(p, 'checkout -q');
    expect(quiet).not.toContain('checking out');
    expect(plain(quiet)).toBe('M\tdata\n1 restored, 0 unchanged\n');
    p.sh('rm -r data');
    const piped = p.dvctsEnv({ NO_COLOR: undefined }, 'checkout').expectOk();
    expect(piped.stdout).toBe('M\tdata\n1 restored, 0 unchanged\n');
    expect(piped.stdout + piped.stderr).not.toMatch(/\x1b\[/);
    expect(piped.stderr).not.toContain('checking out');
  });

  it('when piped, long work prints a plain line now and then: files and bytes of the total', async () => {
    const stream = { isTTY: false, text: '', write(s: string) { this.text += s; return true; } };
    const { activity, stop } = activityProgress({ stream, plainEveryMs: 50 });
    activity.planned!('storing', 'data', 4, 4096);
    activity.done!('storing', 'data', 1024);
    await new Promise((r) => setTimeout(r, 80));
    activity.done!('storing', 'data', 1024);
    activity.done!('storing', 'data', 1024); // within the period: no line
    activity.done!('storing', 'data', 1024); // the last: the line goes away, none is printed
    stop();
    expect(stream.text.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^\[storing data\] 2\/4 files, 2\.0 KiB\/4\.0 KiB \([\d.]+\/s, ETA \d+s\)$/)]);
  });
});
