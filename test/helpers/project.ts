import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds first). */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/bin/dvcts.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary dvcts project on disk, removed by `cleanup()`. */
export class TempProject {
  readonly root: string;

  /** A fresh temp folder, or `root` (created if needed) when the test places the project itself. */
  constructor(prefix = 'dvcts-test-', root?: string) {
    if (root !== undefined) mkdirSync(root, { recursive: true });
    this.root = root ?? mkdtempSync(join(tmpdir(), prefix));
  }

  static init(files: Record<string, string> = {}): TempProject {
    const p = new TempProject();
    p.dvcts('init').expectOk();
    p.write(files);
    return p;
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  write(files: Record<string, string | Buffer>): void {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(dirname(this.path(rel)), { recursive: true });
      writeFileSync(this.path(rel), content);
    }
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  dvcts(...args: string[]): CliRun {
    return this.dvctsEnv({}, ...args);
  }

  /** Runs the CLI with changes to the test environment (a variable set to undefined is removed). */
  dvctsEnv(changes: Record<string, string | undefined>, ...args: string[]): CliRun {
    const env = testEnv();
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return runCli(this.root, env, args);
  }

  /** Starts the CLI without waiting (for concurrency tests). */
  spawnDvcts(...args: string[]): Promise<CliResult> & { stderrSoFar(): string } {
    let stderr = '';
    const done = new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: this.root, env: testEnv() });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    return Object.assign(done, { stderrSoFar: () => stderr });
  }

  sh(command: string): string {
    const r = spawnSync('/bin/sh', ['-c', command], { cwd: this.root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
    return r.stdout;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export class CliRun implements CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(r: SpawnSyncReturns<string>) {
    this.code = r.status ?? -1;
    this.stdout = r.stdout;
    this.stderr = r.stderr;
  }

  expectOk(): this {
    if (this.code !== 0) throw new Error(`dvcts exited ${this.code}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
    return this;
  }

  /** Names of the stages that ran, from the "Running stage 'x'" lines. */
  get ran(): string[] {
    return [...this.stderr.matchAll(/^Running stage '([^']+)'/gm)].map((m) => m[1]!).sort();
  }
}

/** Runs the CLI in any folder (e.g. a git clone made inside a TempProject). */
export function dvctsIn(cwd: string, ...args: string[]): CliRun {
  return runCli(cwd, testEnv(), args);
}

function runCli(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): CliRun {
  return new CliRun(spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env }));
}

function testEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.DVCTS_DEBUG;
  return env;
}

/** Polls until `ready()` holds (10 s at most by default): for states another process reaches. */
export async function waitFor(ready: () => boolean, what = 'the condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
