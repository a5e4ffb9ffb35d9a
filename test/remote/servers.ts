import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { S3Client, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';

export const S3RVER_KEY = 'S3RVER'; // the only access key id s3rver accepts (it does not check secrets)
const MAIN = resolve(import.meta.dirname, '../helpers/s3rver-main.mjs');

/**
 * A real S3-protocol server (s3rver) on 127.0.0.1, in a child process so that tests can run the
 * CLI synchronously while it answers. s3rver makes its list continuation tokens with DES, which
 * OpenSSL 3 only offers through the legacy provider: without it, any listing longer than one
 * page fails with HTTP 500.
 */
export class S3Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(buckets: readonly string[]): Promise<S3Server> {
    const dir = mkdtempSync(join(tmpdir(), 'dvcts-s3rver-'));
    const child = spawn(process.execPath, ['--openssl-legacy-provider', MAIN, join(dir, 'data'), join(dir, 'requests.log'), ...buckets], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout! }).once('line', done);
      child.once('exit', (code) => fail(new Error(`s3rver exited ${code}`)));
    });
    return new S3Server(child, dir, (JSON.parse(line) as { port: number }).port);
  }

  /** The request lines the server received so far ("PUT /bucket/key?partNumber=1&uploadId=…"). */
  requests(): string[] {
    return readFileSync(join(this.dir, 'requests.log'), 'utf8').split('\n').filter(Boolean);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A client of its own, independent of the code under test. */
  client(): S3Client {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    return new S3Client({ endpoint: this.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: 'x' } });
  }

  async keys(bucket: string, prefix: string): Promise<string[]> {
    const client = this.client();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    const out = await this.client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  async put(bucket: string, key: string, body: Buffer): Promise<void> {
    await this.client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  stop(): void {
    this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP server that accepts connections and never answers: a hung S3 endpoint. */
export async function silentServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => void sockets.add(s));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** XXH64 (seed 0) of a file by the `xxhsum` tool: the first 16 hex digits of a dvcts id, computed independently. */
export function xxh64(path: string): string {
  const r = spawnSync('xxhsum', ['-H1', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xxhsum failed: ${r.stderr}`);
  return r.stdout.split(/\s+/)[0]!.replace(/^XXH64_/, '');
}
