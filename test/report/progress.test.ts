import { describe, expect, it } from 'vitest';
import { consoleReporter } from '../../src/report/console-reporter.js';
import type { RunEvent } from '../../src/scheduler/events.js';

/** A stream that records what is written; `isTTY` as given. */
function recorder(isTTY: boolean): { isTTY: boolean; columns: number; text: string; write(s: string): boolean } {
  return {
    isTTY,
    columns: 120,
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

const ID = 'pipelines/images.yaml:images';
const progress = (done: number, total: number, at: number): RunEvent => ({ type: 'stage-progress', id: ID, done, total, unit: 'images', at });

describe('progress in the console reporter', () => {
  it('prints plain periodic lines when stderr is not a TTY, none for a short stage', async () => {
    const stdout = recorder(false);
    const stderr = recorder(false);
    const report = consoleReporter({ stdout, stderr, progressEveryMs: 50 });
    report({ type: 'stage-started', id: ID, reasons: [], at: Date.now() });
    report(progress(10, 40, Date.now()));
    expect(stderr.text).not.toContain('10/40');
    await new Promise((r) => setTimeout(r, 120));
    report(progress(20, 40, Date.now()));
    report(progress(21, 40, Date.now())); // within the period: no second line
    await new Promise((r) => setTimeout(r, 120));
    report(progress(30, 40, Date.now()));
    const lines = stderr.text.split('\n').filter((l) => l.startsWith('[images]'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[images\] 20\/40 images \([\d.]+\/s, ETA \d+s\)$/);
    expect(lines[1]).toMatch(/^\[images\] 30\/40 images /);
    expect(stderr.text).not.toContain('\x1b['); // no terminal control codes in a pipe
    expect(stdout.text).toBe('');
  });

  it('draws a bar on a TTY with done/total, rate and ETA, keeps log lines above it and clears it at the end', async () => {
    const stdout = recorder(false);
    const stderr = recorder(true);
    const report = consoleReporter({ stdout, stderr });
    report(progress(5, 40, Date.now()));
    await new Promise((r) => setTimeout(r, 50));
    report(progress(20, 40, Date.now()));
    report({ type: 'stage-log', id: ID, line: 'a log line', stream: 'stderr' });
    await new Promise((r) => setTimeout(r, 250)); // the bar redraws at 10 fps
    expect(stderr.text).toMatch(/images \[=+-+\] 20\/40 images \| [\d.]+\/s \| ETA \d+s/);
    expect(stderr.text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')).toContain('[images] a log line\n');
    report({ type: 'stage-finished', id: ID, startedAt: 0, at: 1000 });
    const end = stderr.text.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(stderr.text.length).toBe(end); // stopped: no more redraws
    expect(stderr.text).toContain("Stage 'images' done");
  });

  it('a stage that does not know its total (total 0) shows a count: rows so far and rate, plain or on a TTY', async () => {
    const rows = (done: number): RunEvent => ({ type: 'stage-progress', id: ID, done, total: 0, unit: 'rows', at: Date.now() });
    const piped = recorder(false);
    const report = consoleReporter({ stdout: recorder(false), stderr: piped, progressEveryMs: 50 });
    report(rows(100));
    await new Promise((r) => setTimeout(r, 120));
    report(rows(2500));
    expect(piped.text.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^\[images\] 2500 rows \([\d.]+\/s\)$/)]);
    const tty = recorder(true);
    const onTerminal = consoleReporter({ stdout: recorder(false), stderr: tty });
    onTerminal({ type: 'stage-started', id: ID, reasons: [], at: Date.now() });
    onTerminal(rows(100));
    onTerminal({ type: 'stage-finished', id: ID, startedAt: 0, at: 1000 });
    expect(tty.text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')).toMatch(/images 100 rows \| [\d.]+\/s/);
    expect(tty.text).not.toMatch(/100\/0/);
  });

  it('shows nothing with --quiet', async () => {
    const stderr = recorder(true);
    const report = consoleReporter({ stdout: recorder(false), stderr, quiet: true });
    report(progress(5, 40, Date.now()));
    await new Promise((r) => setTimeout(r, 150));
    expect(stderr.text).toBe('');
  });
});
