import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const ANSI = /\x1b\[/;

// `shout` writes to its stdout and its stderr: both are a stage's log, not dvcts's result.
const PIPELINE = `stages:
  shout:
    cmd: echo to-stdout; echo to-stderr >&2; tr a-z A-Z < in.txt > out.txt
    deps: [in.txt]
    outs: [out.txt]
  count:
    cmd: wc -c < out.txt > count.txt
    deps: [out.txt]
    outs: [count.txt]
`;

interface ReproJson {
  dry: boolean;
  stages: { stage: string; outcome: string; seconds?: number; reasons?: { kind: string }[]; error?: { code: string; exitCode?: number } }[];
  counts: Record<string, number>;
}

describe('streams: dvcts messages on stderr, results on stdout', () => {
  it('a reader that closes the pipe early ends the output, not the command: no EPIPE stack trace, exit 0', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': 'abc\n' }));
    // `true` exits before dvcts writes (its start-up alone takes longer): every write meets a closed pipe.
    for (const args of ['schema', 'status', 'repro --dry', 'dag']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" ${args} | true; echo "exit $\{PIPESTATUS[0]}" >&2`], { cwd: p.root, encoding: 'utf8' });
      expect(r.stderr, args).toBe('exit 0\n');
    }
  });

  it('repro writes nothing to stdout; stage logs, progress and the summary go to stderr, without ANSI codes off a TTY', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': 'abc\n' }));
    // NO_COLOR unset: colours must still be off because stderr is a pipe.
    const r = p.dvctsEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined }, 'repro').expectOk();
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[shout] to-stdout\n');
    expect(r.stderr).toContain('[shout] to-stderr\n');
    expect(r.stderr).toContain("Running stage 'count'");
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('Stages: 2 ran');
    expect(r.stderr).not.toMatch(ANSI);
    const again = p.dvctsEnv({ NO_COLOR: undefined }, 'status');
    expect(again.stdout).toBe('Data and pipelines are up to date.\n');
    expect(again.stdout + again.stderr).not.toMatch(ANSI);
  });

  it('repro --json: what ran, was restored or skipped, with durations; logs stay on stderr', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': 'abc\n' }));
    const first = JSON.parse(p.dvcts('repro', '--json').expectOk().stdout) as ReproJson;
    expect(first.dry).toBe(false);
    expect(first.stages.map((s) => [s.stage, s.outcome])).toEqual([
      ['pipelines/p.yaml:shout', 'ran'],
      ['pipelines/p.yaml:count', 'ran'],
    ]);
    for (const s of first.stages) expect(s.seconds).toBeGreaterThanOrEqual(0);
    expect(first.stages[0]!.reasons).toEqual([{ kind: 'never-run' }]);
    expect(first.counts).toEqual({ ran: 2 });

    p.write({ 'in.txt': 'xyz\n' }); // both run again (count.txt stays the same: same length)
    const second = JSON.parse(p.dvcts('repro', '--json').expectOk().stdout) as ReproJson;
    expect(second.stages.map((s) => s.outcome)).toEqual(['ran', 'ran']);
    p.write({ 'in.txt': 'abc\n' });
    const third = JSON.parse(p.dvcts('repro', '--json').expectOk().stdout) as ReproJson;
    expect(third.stages.map((s) => s.outcome)).toEqual(['restored', 'restored']);
    const fourth = JSON.parse(p.dvcts('repro', '--json').expectOk().stdout) as ReproJson;
    expect(fourth.counts).toEqual({ 'up-to-date': 2 });
  });

  it('repro --json reports a failure with its code and exit code, and the stage it blocked', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE.replace('tr a-z A-Z', 'exit 7; tr a-z A-Z'), 'in.txt': 'abc\n' }));
    const r = p.dvcts('repro', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ReproJson;
    expect(report.stages[0]).toMatchObject({ outcome: 'failed', error: { code: 'E_STAGE_FAILED', exitCode: 7 } });
    expect(report.stages[1]).toMatchObject({ stage: 'pipelines/p.yaml:count', outcome: 'blocked' });
    expect(r.stderr).toContain("Stage 'shout' failed");
  });

  it('add, checkout, gc and dag --json', () => {
    const p = (project = TempProject.init({ 'data/a.txt': 'hello\n', 'data/b.txt': 'hi\n', 'pipelines/p.yaml': PIPELINE, 'in.txt': 'abc\n' }));
    const added = JSON.parse(p.dvcts('add', 'data', '--json').expectOk().stdout) as { added: { path: string; pointer: string; id: string; size: number; nfiles: number }[]; gitignores: string[] };
    expect(added.added).toHaveLength(1);
    expect(added.added[0]).toMatchObject({ path: 'data', pointer: 'data.dvcts', size: 9, nfiles: 2 });
    expect(p.read('data.dvcts')).toContain(added.added[0]!.id);
    expect(added.gitignores).toEqual(['.gitignore']);

    rmSync(p.path('data/b.txt'));
    const checkedOut = JSON.parse(p.dvcts('checkout', '--json').expectOk().stdout) as { restored: string[]; unchanged: string[] };
    expect(checkedOut.restored).toEqual(['data']);
    expect(p.read('data/b.txt')).toBe('hi\n');

    rmSync(p.path('data.dvcts'));
    const collected = JSON.parse(p.dvcts('gc', '--json').expectOk().stdout) as { removed: number; bytesFreed: number; kept: number; dry: boolean };
    // two files (6 + 3 bytes) and the folder's manifest: 2 lines of JSON, 99 bytes each (path, id, size)
    expect(collected).toMatchObject({ removed: 3, kept: 0, dry: false });
    expect(collected.bytesFreed).toBe(6 + 3 + 2 * (`{"path":"a.txt","id":"${'0'.repeat(32)}","size":6}\n`.length));

    const dag = JSON.parse(p.dvcts('dag', '--json').expectOk().stdout) as { stages: { id: string; name: string; outs: string[]; upstream: string[] }[] };
    expect(dag.stages.map((s) => [s.name, s.outs, s.upstream])).toEqual([
      ['shout', ['out.txt'], []],
      ['count', ['count.txt'], ['pipelines/p.yaml:shout']],
    ]);
  });
});

describe('status -q', () => {
  it('prints nothing and exits 1 while anything is stale, 0 when all is up to date', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': 'abc\n' }));
    const stale = p.dvcts('status', '-q');
    expect([stale.code, stale.stdout, stale.stderr]).toEqual([1, '', '']);
    p.dvcts('repro').expectOk();
    const clean = p.dvcts('status', '-q');
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, '', '']);
    p.write({ 'in.txt': 'changed\n' });
    expect(p.dvcts('status', '--quiet').code).toBe(1);
  });

  it('exits 1 for changed data tracked with add', () => {
    const p = (project = TempProject.init({ 'raw.txt': 'one\n' }));
    p.dvcts('add', 'raw.txt').expectOk();
    expect(p.dvcts('status', '-q').code).toBe(0);
    p.write({ 'raw.txt': 'two\n' });
    expect(p.dvcts('status', '-q').code).toBe(1);
  });
});
