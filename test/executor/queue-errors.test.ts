import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { createHmac } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';
import { errorCode } from '../remote/project.js';
import { Cluster, SECRET } from './cluster.js';
import { freePort, RedisServer } from './redis-server.js';

function repro(p: TempProject, env: Record<string, string | undefined>, ...args: string[]) {
  const started = Date.now();
  const r = p.dvctsEnv(env, 'repro', '--executor', 'queue', ...args);
  return { ...r, code: r.code, stderr: r.stderr, ms: Date.now() - started };
}

const PROJECT = {
  'data/in.txt': 'in\n',
  'data/other.txt': 'other\n',
  'pipelines/p.yaml': `stages:
  reads-undeclared:
    cmd: cat data/in.txt data/other.txt > both.txt
    deps: [data/in.txt]
    outs: [both.txt]
`,
};

describe('queue executor: clear errors', () => {
  let p: TempProject;
  beforeAll(() => {
    p = TempProject.init(PROJECT);
  });
  afterAll(() => p?.cleanup());

  it('Redis down: E_QUEUE_UNREACHABLE within 10 s, from repro and from a worker', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    mkdirSync(p.path('remote'), { recursive: true });
    p.dvcts('remote', 'add', '--default', 'shared', 'remote').expectOk();
    const r = repro(p, { DVCTS_QUEUE_SECRET: SECRET }, '--queue', url);
    expect(r.code, r.stderr).toBe(1);
    expect(errorCode(r.stderr)).toBe('E_QUEUE_UNREACHABLE');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.ms).toBeLessThan(10_000); // the whole command, start-up included
    const w = spawnSync(process.execPath, [CLI, 'worker', '--queue', url, '--remote', p.path('remote')], { encoding: 'utf8', env: { ...process.env, DVCTS_QUEUE_SECRET: SECRET }, timeout: 20_000 });
    expect(errorCode(w.stderr), w.stderr).toBe('E_QUEUE_UNREACHABLE');
  }, 60_000);

  it('a wrong password: E_QUEUE_AUTH, and the password is never printed', async () => {
    const redis = await RedisServer.start({ password: 'right-password-1' });
    try {
      const url = `redis://:wrong-password-2@127.0.0.1:${redis.port}`;
      const r = repro(p, { DVCTS_QUEUE_SECRET: SECRET }, '--queue', url);
      expect(errorCode(r.stderr), r.stderr).toBe('E_QUEUE_AUTH');
      expect(r.stderr).not.toContain('wrong-password-2');
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('no DVCTS_QUEUE_SECRET: E_QUEUE_SECRET_MISSING (exit code 2); no queue URL: E_EXECUTOR_CONFIG', () => {
    const r = repro(p, { DVCTS_QUEUE_SECRET: undefined }, '--queue', 'redis://127.0.0.1:1');
    expect([r.code, errorCode(r.stderr)]).toEqual([2, 'E_QUEUE_SECRET_MISSING']);
    const n = repro(p, { DVCTS_QUEUE_SECRET: SECRET });
    expect([n.code, errorCode(n.stderr)]).toEqual([2, 'E_EXECUTOR_CONFIG']);
  });
});

describe('queue executor: what workers refuse', () => {
  let cluster: Cluster;
  let p: TempProject;
  beforeAll(async () => {
    cluster = await Cluster.start(1);
    cluster.addWorker('shell-refuser', ['--builtins-only']);
    p = TempProject.init(PROJECT);
    mkdirSync(cluster.remote, { recursive: true });
    p.dvcts('remote', 'add', '--default', 'shared', cluster.remote).expectOk();
    await cluster.ready();
  });
  afterAll(async () => {
    p?.cleanup();
    await cluster?.stop();
  });

  it('an undeclared input works locally and fails on a worker with E_UNDECLARED_INPUT naming the file', async () => {
    await cluster.workers[1]!.kill('SIGKILL'); // only the worker that runs shell stages
    const r = repro(p, cluster.env(), '--queue', cluster.redis.url);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Stage 'reads-undeclared' failed: stage "reads-undeclared" read "data\/other.txt", not among its deps/);
    expect(r.stderr).toContain('[E_UNDECLARED_INPUT]');
    expect(p.dvcts('repro').code).toBe(0); // a local run hides the bug
  }, 60_000);

  it('unsigned and altered jobs are refused, and so is a shell stage by a --builtins-only worker', async () => {
    const refuser = cluster.addWorker('only-builtins', ['--builtins-only']);
    await cluster.workers[0]!.kill('SIGKILL');
    await cluster.ready();
    const client = createClient({ url: cluster.redis.url });
    const events = createClient({ url: cluster.redis.url });
    await Promise.all([client.connect(), events.connect()]);
    const queue = new Queue('dvcts', { connection: client });
    const queueEvents = new QueueEvents('dvcts', { connection: events });
    try {
      await queueEvents.waitUntilReady();
      const failure = async (data: unknown, id: string): Promise<string> => {
        const job = await queue.add('stage', data, { jobId: id, attempts: 1 });
        return job.waitUntilFinished(queueEvents).then(
          () => 'completed',
          (e: Error) => e.message,
        );
      };
      const body = JSON.stringify({ format: 'dvcts-job/1', stage: { id: 'p:x', name: 'x', cmd: ['echo this must not run'], deps: [], outs: [], params: [], wdir: '.' }, deps: [], params: {}, inputs: [] });
      const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
      expect(await failure({ body }, 'unsigned')).toContain('E_JOB_UNSIGNED');
      expect(await failure({ body, sig: mac('another-secret-0123456', body) }, 'other-secret')).toContain('E_JOB_SIGNATURE');
      expect(await failure({ body: body.replace('x', 'y'), sig: mac(SECRET, body) }, 'altered')).toContain('E_JOB_SIGNATURE');
      expect(await failure({ body, sig: mac(SECRET, body) }, 'signed-shell')).toContain('E_JOB_SHELL_REFUSED');
      expect(refuser.log).toMatch(/job unsigned: failed \[E_JOB_UNSIGNED\]/);
    } finally {
      await queueEvents.close();
      await queue.close();
      await Promise.all([client.quit(), events.quit()]);
    }
  }, 60_000);
});
