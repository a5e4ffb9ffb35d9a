import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TempProject, waitFor } from '../helpers/project.js';
import { TEMP_FILE_RE } from './harness.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM, sent for real to the CLI while it works: the command stops its
 * stage commands' whole process groups and its built-ins (their ctx.signal fires), removes what
 * was half-written, records nothing for what it stopped, releases the project lock, says what it
 * stopped and exits 130.
 */
let project: TempProject | undefined;
afterEach(() => project?.cleanup());

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
  /** From the signal to the exit. */
  readonly ms: number;
}

/** Starts the CLI; `send` delivers a real signal to it (and only to it: not to its stage commands). */
function start(p: TempProject, ...args: string[]): { send(signal: NodeJS.Signals): void; readonly exit: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: p.root, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let sentAt = 0;
  const exit = new Promise<Exit>((done) => child.on('close', (code) => done({ code, stderr, ms: Date.now() - sentAt })));
  return {
    send: (signal) => {
      sentAt = Date.now();
      child.kill(signal);
    },
    exit,
  };
}

/** Every temp file of an atomic write anywhere in the project, the cache included. */
function tempFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory()) visit(join(dir, d.name));
      else if (TEMP_FILE_RE.test(d.name)) found.push(join(dir, d.name));
    }
  };
  visit(root);
  return found;
}

const BIG_FILES = 24;
const BIG_SIZE = 8 << 20;

/** What `echo I; yes abcdefgh | head -c 8M` writes. */
function bigFile(i: number): Buffer {
  return Buffer.from(`${i}\n${'abcdefgh\n'.repeat(Math.ceil(BIG_SIZE / 9))}`).subarray(0, `${i}\n`.length + BIG_SIZE);
}

/**
 * A project with data/big10.bin ... big33.bin, 8 MiB each: large files are read and linked one
 * by one, asynchronously, so add and checkout take long enough to be stopped halfway on any
 * machine (small files are stored faster than a test can watch).
 */
function withBigFiles(): TempProject {
  const p = TempProject.init({});
  p.sh(`mkdir data && for i in $(seq 10 ${9 + BIG_FILES}); do { echo $i; yes abcdefgh | head -c ${BIG_SIZE}; } > data/big$i.bin; done`);
  return p;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const lockHeld = (p: TempProject): boolean => existsSync(p.path('.dvcts/tmp/repo.lock'));

describe('Ctrl-C and SIGTERM', () => {
  it('repro + SIGINT: the stage\'s whole process group stops, its partial output goes, finished stages stay recorded', async () => {
    const p = (project = TempProject.init({
      'pipelines/p.yaml': `stages:
  first:
    cmd: echo one > one.txt
    outs: [one.txt]
  slow:
    cmd: echo $$ > pgid.txt; (sleep 3; echo late > late.txt) & echo partial > out.txt; sleep 60
    deps: [one.txt]
    outs: [out.txt]
  after:
    cmd: cp out.txt after.txt
    deps: [out.txt]
    outs: [after.txt]
`,
    }));
    const run = start(p, 'repro');
    await waitFor(() => existsSync(p.path('out.txt')) && existsSync(p.path('pgid.txt')), 'the slow stage to write');
    const pgid = Number(readFileSync(p.path('pgid.txt'), 'utf8'));
    expect(groupAlive(pgid)).toBe(true);
    run.send('SIGINT');
    const r = await run.exit;
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(5_000); // not the 60 s the command would have taken
    expect(r.stderr).toContain("Stage 'slow' interrupted");
    expect(r.stderr).toContain('removed its partial outputs (out.txt)');
    expect(r.stderr).toContain('Interrupted by SIGINT');
    expect(existsSync(p.path('out.txt'))).toBe(false);
    await waitFor(() => !groupAlive(pgid), 'the stage\'s process group to end', 2_000); // the background (sleep; echo late) too
    await new Promise((done) => setTimeout(done, 3_500));
    expect(existsSync(p.path('late.txt'))).toBe(false);
    const lock = p.read('pipelines/p.lock');
    expect(lock).toContain('first:');
    expect(lock).not.toContain('slow:');
    expect(lockHeld(p)).toBe(false);
    expect(tempFiles(p.root)).toEqual([]);
    // The next run continues from there: first is up to date.
    const again = p.dvcts('repro', 'first').expectOk();
    expect(again.stderr).toContain("Stage 'first' is up to date");
  });

  it('repro + SIGTERM during a built-in: the worker stops through its signal, no temp file or output is left', async () => {
    const sentences = readFileSync(resolve(import.meta.dirname, '../fixtures/sotu-sentences.csv'), 'utf8').trimEnd().split('\n');
    const rows = Array.from({ length: 400 }, () => sentences.slice(1).join('\n')).join('\n');
    const p = (project = TempProject.init({
      'pipelines/p.yaml': `stages:
  aug:
    uses: synonyms
    deps: [big.csv]
    outs: [out/aug.csv]
    with: { column: text, p: 0.2, seed: 1 }
`,
      'big.csv': `${sentences[0]}\n${rows}\n`,
    }));
    const run = start(p, 'repro');
    // The output's temp file appears once the built-in writes rows.
    await waitFor(() => existsSync(p.path('out')) && readdirSync(p.path('out')).some((n) => TEMP_FILE_RE.test(n)), 'the built-in to write', 60_000);
    run.send('SIGTERM');
    const r = await run.exit;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("Stage 'aug' interrupted");
    expect(r.stderr).toContain('Interrupted by SIGTERM');
    expect(readdirSync(p.path('out'))).toEqual([]);
    expect(existsSync(p.path('pipelines/p.lock'))).toBe(false);
    expect(lockHeld(p)).toBe(false);
    expect(tempFiles(p.root)).toEqual([]);
  });

  it('add + SIGINT: no pointer file, nothing half-stored, and the same add then finishes', async () => {
    const p = (project = withBigFiles());
    const run = start(p, 'add', 'data');
    await waitFor(() => existsSync(p.path('.dvcts/cache/objects')) && readdirSync(p.path('.dvcts/cache/objects')).length > 0, 'objects to be stored', 60_000);
    run.send('SIGINT');
    const r = await run.exit;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('error[E_INTERRUPTED]: interrupted by SIGINT while adding data: no pointer file was written');
    expect(existsSync(p.path('data.dvcts'))).toBe(false);
    expect(lockHeld(p)).toBe(false);
    expect(tempFiles(p.root)).toEqual([]);
    p.dvcts('add', 'data').expectOk();
    expect(p.dvcts('fsck').expectOk().stdout).toContain('0 corrupt, 0 missing');
  });

  it('checkout + SIGTERM: every file whole, the message says how to finish, and checkout again does', async () => {
    const p = (project = withBigFiles());
    p.dvcts('add', 'data').expectOk();
    p.sh('rm -r data');
    const run = start(p, 'checkout');
    await waitFor(() => existsSync(p.path('data')) && readdirSync(p.path('data')).length > 0, 'files to be checked out', 60_000);
    run.send('SIGTERM');
    const r = await run.exit;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGTERM while checking out data');
    expect(r.stderr).toContain('`dvcts checkout` again finishes it');
    expect(lockHeld(p)).toBe(false);
    expect(tempFiles(p.root)).toEqual([]);
    // whatever was checked out is whole, and some was not
    const placed = readdirSync(p.path('data'));
    expect(placed.length).toBeLessThan(BIG_FILES);
    for (const name of placed) expect(readFileSync(p.path(`data/${name}`)).equals(bigFile(Number(name.slice(3, -4))))).toBe(true);
    p.dvcts('checkout').expectOk();
    expect(p.dvcts('status', '-q').code).toBe(0);
  });

  it("fires a built-in's ctx.signal through the library API; its half-written output is removed", async () => {
    const api = await import(pathToFileURL(resolve(import.meta.dirname, '../../dist/api/index.js')).href);
    const p = (project = TempProject.init({ 'pipelines/p.yaml': 'stages:\n  w:\n    uses: wait\n    outs: [out.txt]\n' }));
    const wait = {
      name: 'wait',
      version: '1',
      description: 'Waits for its signal (a test-only built-in).',
      options: { type: 'object', properties: {} },
      runner: pathToFileURL(resolve(import.meta.dirname, '../fixtures/plugin/wait-run.mjs')).href,
    };
    const controller = new AbortController();
    const events: { type: string; removed?: string[] }[] = [];
    const result = await api.repro({
      cwd: p.root,
      builtins: api.builtinRegistry([...api.builtins.values(), wait]),
      signal: controller.signal,
      onEvent: (e: { type: string }) => {
        events.push(e);
        if (e.type === 'stage-log') controller.abort(new Error('stop'));
      },
    });
    expect(result.interrupted).toEqual(['pipelines/p.yaml:w']);
    expect(p.read('signal-fired.txt')).toBe('E_INTERRUPTED'); // the worker's ctx.signal fired
    expect(events.find((e) => e.type === 'stage-interrupted')?.removed).toEqual(['out.txt']);
    expect(existsSync(p.path('out.txt'))).toBe(false);
    expect(existsSync(p.path('pipelines/p.lock'))).toBe(false);
    expect(lockHeld(p)).toBe(false);
  });
});
