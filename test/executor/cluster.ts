import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/project.js';
import { RedisServer } from './redis-server.js';

export const SECRET = 'test-secret-0123456789abcdef';

/** One `dvcts worker` process, its log so far, and how many jobs it has taken. */
export class WorkerProcess {
  log = '';
  /** Killed by the test (not expected to be ready). */
  killed = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stderr!.on('data', (d) => (this.log += d));
    child.stdout!.on('data', (d) => (this.log += d));
  }

  get jobsStarted(): number {
    return [...this.log.matchAll(/: stage /g)].length;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    this.killed = true;
    if (this.exited) return;
    const gone = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    await gone;
  }
}

/**
 * A real redis-server, a folder remote and `dvcts worker` processes (each with its own scratch
 * folder and cache), all removed by `stop()`.
 */
export class Cluster {
  readonly workers: WorkerProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'dvcts-cluster-'));

  private constructor(readonly redis: RedisServer) {}

  static async start(workers: number, opts: { workerArgs?: string[] } = {}): Promise<Cluster> {
    const cluster = new Cluster(await RedisServer.start());
    for (let i = 1; i <= workers; i++) cluster.addWorker(`w${i}`, opts.workerArgs ?? []);
    return cluster;
  }

  get remote(): string {
    return join(this.dir, 'remote');
  }

  addWorker(name: string, args: readonly string[] = [], env: Record<string, string> = {}): WorkerProcess {
    const argv = [CLI, 'worker', '--queue', this.redis.url, '--remote', this.remote, '--name', name, '--scratch', join(this.dir, name), '--lock-timeout', '2', ...args];
    const child = spawn(process.execPath, argv, { env: { ...process.env, NO_COLOR: '1', DVCTS_QUEUE_SECRET: SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = new WorkerProcess(name, child);
    this.workers.push(worker);
    return worker;
  }

  /** Waits until every worker says it is waiting for jobs. */
  async ready(): Promise<void> {
    const deadline = Date.now() + 20_000;
    const live = this.workers.filter((w) => !w.killed);
    while (!live.every((w) => /waiting for jobs/.test(w.log))) {
      const dead = live.find((w) => w.exited);
      if (dead) throw new Error(`worker ${dead.name} exited: ${dead.log}`);
      if (Date.now() > deadline) throw new Error(`workers not ready: ${live.map((w) => w.log).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Environment of a coordinator (`repro --executor queue`) of this cluster. */
  env(): Record<string, string> {
    return { DVCTS_QUEUE_SECRET: SECRET };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.kill('SIGKILL')));
    await this.redis.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
