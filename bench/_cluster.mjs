// Shared by the queue benchmarks: a real redis-server on a free 127.0.0.1 port and `dvcts worker` processes.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
export const env = { ...process.env, NO_COLOR: '1', DVCTS_QUEUE_SECRET: 'bench-secret-0123456789' };

export function dvcts(args, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/** Wall time of one dvcts command, in ms. */
export function timed(args, cwd) {
  const t0 = process.hrtime.bigint();
  dvcts(args, cwd);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function freePort() {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

export async function startRedis(dir) {
  const port = await freePort();
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((done) => createInterface({ input: child.stdout }).on('line', (l) => /Ready to accept/.test(l) && done()));
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** `count` workers, each with its own scratch folder below `dir`; resolves once all wait for jobs. */
export function startWorkers(count, redis, remote, dir) {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const args = [CLI, 'worker', '--queue', redis, '--remote', remote, '--name', `w${i + 1}`, '--scratch', join(dir, `w${i + 1}-${Date.now()}`)];
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      return new Promise((done) => createInterface({ input: child.stderr }).on('line', (l) => /waiting for jobs/.test(l) && done(child)));
    }),
  );
}
