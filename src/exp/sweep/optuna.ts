import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DvctsError } from '../../core/errors.js';
import type { Direction } from '../show-table.js';
import { dimensionId, type Dimension } from './space.js';
import type { Sampler, TrialParams, TrialResult } from './sampler.js';

/** The bridge script, shipped beside dist/ and src/ (both three folders down from the package root). */
const BRIDGE = fileURLToPath(new URL('../../../python/optuna_bridge.py', import.meta.url));

/** Debian's python3 (which python3-optuna installs into), unless DVCTS_PYTHON names another. */
export function pythonForOptuna(): string {
  return process.env.DVCTS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

export interface TpeOptions {
  readonly direction: Direction;
  readonly seed: number;
  /** Trials drawn at random before TPE models the results. */
  readonly startupTrials: number;
  /** Optuna's MedianPruner on reported intermediate values; undefined: never prune. */
  readonly pruner?: { readonly startupTrials: number; readonly warmupSteps: number };
}

/**
 * TPE by Optuna itself: a Python process (python/optuna_bridge.py) keeps the study and answers
 * ask / report / tell over JSON lines, so dvcts needs no TPE of its own. A missing python3 or
 * Optuna is E_OPTUNA_MISSING, naming the Debian package.
 */
export async function tpeSampler(dimensions: readonly Dimension[], opts: TpeOptions): Promise<Sampler> {
  const bridge = await Bridge.start(pythonForOptuna());
  try {
    await bridge.request({
      op: 'create',
      direction: opts.direction,
      seed: opts.seed,
      startup_trials: opts.startupTrials,
      pruner: opts.pruner ? { startup_trials: opts.pruner.startupTrials, warmup_steps: opts.pruner.warmupSteps } : null,
      space: dimensions.map((d) => {
        const dist = d.distribution;
        const name = dimensionId(d);
        if (dist.kind === 'choice') return { name, kind: 'categorical', n: dist.values.length };
        return { name, kind: dist.kind === 'int' ? 'int' : 'float', low: dist.low, high: dist.high, log: dist.kind === 'loguniform' };
      }),
    });
  } catch (e) {
    await bridge.close();
    throw e;
  }
  return {
    name: 'tpe',
    ask: async (): Promise<TrialParams> => {
      const { trial, params } = (await bridge.request({ op: 'ask' })) as { trial: number; params: Record<string, number> };
      const value = (d: Dimension): unknown => {
        const raw = params[dimensionId(d)];
        return d.distribution.kind === 'choice' ? d.distribution.values[raw as number] : raw;
      };
      return { number: trial, overrides: dimensions.map((d) => ({ file: d.file, key: d.key, add: d.add, value: value(d) })) };
    },
    tell: async (number: number, result: TrialResult) => {
      await bridge.request({ op: 'tell', trial: number, state: result.state === 'failed' ? 'fail' : result.state, ...(result.state === 'complete' ? { value: result.value } : {}) });
    },
    report: async (number, step, value) => ((await bridge.request({ op: 'report', trial: number, step, value })) as { prune: boolean }).prune,
    close: () => bridge.close(),
  };
}

/** One bridge process: requests are answered in order, one line each. */
class Bridge {
  private readonly waiting: { resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  private readonly stderr: string[] = [];
  private failure: DvctsError | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly python: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.answer(line));
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 30) this.stderr.shift();
    });
    child.on('error', (e) => this.fail(missing(python, e.message)));
    child.stdin.on('error', () => undefined); // a dead bridge: its exit reports why
    child.on('exit', (code) => this.fail(code === 3 ? (this.failure ?? missing(python, 'optuna')) : bridgeError(`it exited with code ${code}`, this.stderr)));
  }

  static async start(python: string): Promise<Bridge> {
    return new Bridge(python, spawn(python, [BRIDGE], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Sends one request after the previous one was answered. */
  request(body: Record<string, unknown>): Promise<unknown> {
    const next = this.chain.then(
      () =>
        new Promise<unknown>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.waiting.push({ resolve, reject });
          this.child.stdin.write(`${JSON.stringify(body)}\n`);
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  private answer(line: string): void {
    let reply: { error?: string; kind?: string };
    try {
      reply = JSON.parse(line) as typeof reply;
    } catch {
      return this.fail(bridgeError(`it answered "${line.slice(0, 200)}"`, this.stderr));
    }
    const waiter = this.waiting.shift();
    if (reply.error === undefined) return waiter?.resolve(reply);
    const error = reply.kind === 'missing' ? missing(this.python, reply.error) : bridgeError(reply.error, this.stderr);
    if (reply.kind === 'missing') this.failure = error;
    waiter?.reject(error);
  }

  private fail(error: DvctsError): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.stdin.end();
    await exited;
  }
}

function missing(python: string, reason: string): DvctsError {
  return new DvctsError('E_OPTUNA_MISSING', `--sampler tpe needs Optuna for ${python}, which is not available (${reason})`, {
    data: { python, reason },
    hint: 'install it with `sudo apt-get install python3-optuna` (Debian/Ubuntu), or point DVCTS_PYTHON at a python3 that has optuna',
  });
}

function bridgeError(reason: string, stderr: readonly string[]): DvctsError {
  const tail = stderr.length > 0 ? `\n${stderr.map((l) => `  | ${l}`).join('\n')}` : '';
  return new DvctsError('E_OPTUNA_BRIDGE', `the Optuna bridge failed: ${reason}${tail}`, { data: { reason } });
}
