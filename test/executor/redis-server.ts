import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real redis-server (Debian's) on a free 127.0.0.1 port, with no persistence, in a temp
 * folder; `stop()` kills it and removes the folder. A password makes it require AUTH.
 */
export class RedisServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly password: string | undefined,
  ) {}

  static async start(opts: { password?: string } = {}): Promise<RedisServer> {
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'dvcts-redis-'));
      const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice', '--logfile', ''];
      if (opts.password !== undefined) args.push('--requirepass', opts.password);
      const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const ready = await new Promise<boolean>((done) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => /Ready to accept connections/.test(line) && done(true));
        child.once('exit', () => done(false));
        setTimeout(() => done(false), 10_000);
      });
      if (ready) return new RedisServer(child, dir, port, opts.password);
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (attempt >= 3) throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
    }
  }

  get url(): string {
    return `redis://${this.password !== undefined ? `:${encodeURIComponent(this.password)}@` : ''}127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
