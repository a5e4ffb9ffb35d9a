import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliResult } from '../helpers/project.js';
import { cleanUpAfterEach, errorCode, filesBelow, RemoteProject } from './project.js';
import { closedPort, S3RVER_KEY, S3Server, silentServer, xxh64 } from './servers.js';

const BUCKET = 'dvcts-test';
const SECRET = 'sEcReT-4f1c9a7e-never-print-me';
let server: S3Server;
let prefixCount = 0;
const track = cleanUpAfterEach();

beforeAll(async () => {
  server = await S3Server.start([BUCKET]);
});
afterAll(() => server.stop());

/** Configures remote `s3` (default) at a fresh key prefix of the test bucket; returns the prefix. */
function addS3Remote(p: RemoteProject, endpoint = server.endpoint): string {
  const prefix = `run${process.pid}-${++prefixCount}`;
  p.dvcts('remote', 'add', '-d', 's3', `s3://${BUCKET}/${prefix}`).expectOk();
  p.dvcts('remote', 'modify', 's3', 'endpoint', endpoint).expectOk();
  setCredentials(p, S3RVER_KEY, SECRET);
  return prefix;
}

function setCredentials(p: RemoteProject, key: string, secret: string): void {
  p.dvcts('remote', 'modify', '--local', 's3', 'access_key_id', key).expectOk();
  p.dvcts('remote', 'modify', '--local', 's3', 'secret_access_key', secret).expectOk();
}

/** Checks (with the SDK and xxhsum, not dvcts) that every object under `prefix` holds bytes that hash to its name. */
async function expectIntactObjects(prefix: string): Promise<string[]> {
  const keys = (await server.keys(BUCKET, `${prefix}/objects/`)).filter((k) => !k.endsWith('.dir'));
  const scratch = join(tmpdir(), `dvcts-s3-object-${process.pid}`);
  try {
    for (const key of keys) {
      writeFileSync(scratch, await server.get(BUCKET, key));
      const id = key.split('/').slice(-2).join('');
      expect(xxh64(scratch)).toBe(id.slice(0, 16));
    }
  } finally {
    rmSync(scratch, { force: true });
  }
  return keys;
}

/** Every text a person or a log could see: command output, and every file of the project but the local config. */
function expectNoSecret(p: RemoteProject, outputs: readonly CliResult[]): void {
  for (const r of outputs) {
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(S3RVER_KEY);
  }
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === p.path('.dvcts/config.local.yaml')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else expect(readFileSync(path, 'latin1').includes(SECRET), path).toBe(false);
    }
  };
  walk(p.root);
  expect(p.git('log', '-p', '--all')).not.toContain(SECRET);
}

// Each test drives the CLI a dozen times against a server in another process: on a loaded machine
// that takes longer than the default minute.
describe('S3 remote (s3rver on 127.0.0.1)', { timeout: 180_000 }, () => {
  it('round trip through S3 with a multipart upload; a clone without credentials gets E_REMOTE_AUTH; a corrupt object is caught; no credential leaks', async () => {
    const p = track(RemoteProject.create());
    const files: Record<string, Buffer> = { 'big.bin': Buffer.alloc(9 * 1024 * 1024) };
    for (let i = 0; i < files['big.bin']!.length; i += 4) files['big.bin']!.writeUInt32LE((i * 2654435761) >>> 0, i);
    for (let i = 0; i < 12; i++) files[`data/f${i}.txt`] = Buffer.from(`row ${i}\n`.repeat(i + 1));
    p.write(files);
    const outputs: CliResult[] = [];
    const run = (q: RemoteProject, ...args: string[]): CliResult => {
      const r = q.dvcts(...args);
      outputs.push(r);
      return r;
    };
    run(p, 'add', 'data', 'big.bin').expectOk();
    const prefix = addS3Remote(p);
    expect(statSync(p.path('.dvcts/config.local.yaml')).mode & 0o777).toBe(0o600);
    p.commit('data');

    expect(run(p, 'push').expectOk().stdout).toContain('Pushed 14 object(s), 9.0 MiB'); // 12 + big + manifest
    const bigKey = `${prefix}/objects/${/id: (\S+)/.exec(p.read('big.bin.dvcts'))![1]!.slice(0, 2)}/${/id: (\S+)/.exec(p.read('big.bin.dvcts'))![1]!.slice(2)}`;
    // The server saw a multipart upload of the large object: 9 MiB in 8 MiB parts is 2 parts.
    const partPuts = server.requests().filter((r) => r.startsWith(`PUT /${BUCKET}/${bigKey}?`) && r.includes('partNumber='));
    expect(partPuts).toHaveLength(2);
    expect(server.requests().some((r) => r.startsWith(`POST /${BUCKET}/${bigKey}?uploadId=`))).toBe(true);
    expect(await expectIntactObjects(prefix)).toHaveLength(13);
    // Pushing again asks only for the folder's manifest (it promises its 12 files) and big.bin,
    // after the one request every command makes first to check the bucket and credentials.
    const before = server.requests().length;
    expect(run(p, 'push').expectOk().stdout).toContain("Everything is already on 's3'");
    expect(server.requests().slice(before).map((r) => r.split(' ')[0])).toEqual(['GET', 'HEAD', 'HEAD']);
    run(p, 'remote', 'list').expectOk();
    run(p, 'status', '--cloud').expectOk();

    const c = track(p.clone());
    const anonymous = spawnSync(process.execPath, [CLI, 'pull'], {
      cwd: c.root,
      encoding: 'utf8',
      // No credentials anywhere: not in the clone (config.local.yaml is not in git), not in the environment.
      env: { PATH: process.env.PATH, HOME: c.root, NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(errorCode(anonymous.stderr)).toBe('E_REMOTE_AUTH');
    setCredentials(c, S3RVER_KEY, SECRET);
    run(c, 'pull').expectOk();
    expect(filesBelow(c.path('data'))).toEqual(filesBelow(p.path('data')));
    expect(readFileSync(c.path('big.bin')).equals(files['big.bin']!)).toBe(true);

    // Corrupt the large object on the server (the streamed download path re-hashes too).
    const damaged = Buffer.from(files['big.bin']!);
    damaged[12345] = damaged[12345]! ^ 1;
    await server.put(BUCKET, bigKey, damaged);
    c.sh('rm -rf .dvcts/cache big.bin');
    const corrupt = run(c, 'pull');
    expect(corrupt.code).toBe(1);
    expect(errorCode(corrupt.stderr)).toBe('E_REMOTE_OBJECT_CORRUPT');
    expect(corrupt.stderr).toContain(`'s3' (s3://${BUCKET}/${prefix})`);
    expectNoSecret(p, outputs);
    expectNoSecret(c, outputs);
  });

  it('wrong credentials and unreachable or silent endpoints fail with a clear code within a bounded time', async () => {
    const p = track(RemoteProject.create());
    p.write({ 'a.txt': 'a\n' });
    p.dvcts('add', 'a.txt').expectOk();
    addS3Remote(p);
    setCredentials(p, 'WRONGKEY', SECRET);
    const timed = async (run: () => Promise<CliResult> | CliResult): Promise<{ r: CliResult; seconds: number }> => {
      const t0 = Date.now();
      const r = await run();
      return { r, seconds: (Date.now() - t0) / 1000 };
    };

    const auth = await timed(() => p.dvcts('push'));
    expect(errorCode(auth.r.stderr)).toBe('E_REMOTE_AUTH');
    expect(auth.r.stderr).toContain('InvalidAccessKeyId');
    expect(auth.r.stderr + auth.r.stdout).not.toContain(SECRET);
    expect(auth.seconds).toBeLessThan(20);

    setCredentials(p, S3RVER_KEY, SECRET);
    p.dvcts('remote', 'modify', 's3', 'endpoint', `http://127.0.0.1:${await closedPort()}`).expectOk();
    const refused = await timed(() => p.dvcts('push'));
    expect(errorCode(refused.r.stderr)).toBe('E_REMOTE_UNREACHABLE');
    expect(refused.r.stderr).toContain('ECONNREFUSED');
    expect(refused.seconds).toBeLessThan(20);

    const silent = await silentServer();
    try {
      p.dvcts('remote', 'modify', 's3', 'endpoint', `http://127.0.0.1:${silent.port}`).expectOk();
      p.dvcts('remote', 'modify', 's3', 'read_timeout', '1').expectOk();
      p.dvcts('remote', 'modify', 's3', 'retries', '1').expectOk();
      // The silent server lives in this process: run the CLI without blocking its event loop.
      const hung = await timed(() => p.spawnDvcts('status', '--cloud'));
      expect(errorCode(hung.r.stderr)).toBe('E_REMOTE_UNREACHABLE');
      expect(hung.r.stderr).toMatch(/timed out/);
      expect(hung.r.stderr).toContain('after 2 attempt(s)');
      expect(hung.seconds).toBeLessThan(15);
    } finally {
      silent.close();
    }
  });

  it('a push killed mid-transfer leaves only whole objects on S3, and the next push sends only the rest; so does a fetch, in the cache', async () => {
    const p = track(RemoteProject.create());
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`many/f${i}.txt`] = `file number ${i}\n`.repeat(8);
    p.write(files);
    p.dvcts('add', 'many').expectOk();
    const prefix = addS3Remote(p);
    p.commit('many');

    const child = spawn(process.execPath, [CLI, 'push', '--jobs', '1'], { cwd: p.root, stdio: 'ignore' });
    const exited = new Promise((done) => child.once('exit', done));
    for (let i = 0; i < 600 && (await server.keys(BUCKET, `${prefix}/objects/`)).length < 20; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    const kept = await expectIntactObjects(prefix);
    expect(kept.length).toBeGreaterThanOrEqual(20);
    expect(kept.length).toBeLessThan(300);

    const before = server.requests().length;
    const resumed = p.dvcts('push').expectOk();
    // What the remote has was found by listing each fan-out folder once (fewer requests than one
    // HEAD per object): besides uploads, the first bucket check, one HEAD for the folder's
    // manifest (not there: the push was killed before it), and one listing per fan-out folder.
    const asked = server.requests().slice(before).filter((r) => !r.startsWith('PUT ') && !r.startsWith('POST '));
    const keys = await server.keys(BUCKET, `${prefix}/objects/`);
    const folders = new Set(keys.filter((k) => !k.endsWith('.dir')).map((k) => k.split('/').at(-2)));
    const manifestKey = keys.find((k) => k.endsWith('.dir'))!;
    expect(asked.filter((r) => r.startsWith('HEAD '))).toEqual([`HEAD /${BUCKET}/${manifestKey}`]);
    expect(asked.filter((r) => r.startsWith('GET '))).toHaveLength(1 + folders.size);
    expect(resumed.stdout).toContain(`Pushed ${301 - kept.length} object(s)`);
    expect(resumed.stdout).toContain(`${kept.length} were already there`);

    // A fetch killed mid-transfer: the clone's cache holds only whole objects (a temp file at
    // most), and the next fetch gets only the rest: one GET per object it lacks.
    const c = track(p.clone());
    setCredentials(c, S3RVER_KEY, SECRET);
    const objects = c.path('.dvcts/cache/objects');
    const stored = (): string[] => {
      try {
        return (existsSync(objects) ? [...filesBelow(objects).keys()] : []).filter((f) => !f.split('/').at(-1)!.startsWith('.tmp-'));
      } catch (e) {
        // While the fetch runs, a temp file listed a moment ago may already be renamed: look again.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    };
    const fetching = spawn(process.execPath, [CLI, 'fetch', '--jobs', '1'], { cwd: c.root, stdio: 'ignore' });
    const fetchExited = new Promise((done) => fetching.once('exit', done));
    for (let i = 0; i < 600 && stored().length < 20; i++) await new Promise((r) => setTimeout(r, 25));
    fetching.kill('SIGKILL');
    await fetchExited;
    const have = stored();
    expect(have.length).toBeGreaterThanOrEqual(20);
    expect(have.length).toBeLessThan(300);
    for (const f of have) expect(xxh64(join(objects, f))).toBe(f.replace('/', '').slice(0, 16));
    const beforeFetch = server.requests().length;
    const refetched = c.dvcts('fetch').expectOk();
    expect(refetched.stdout).toContain(`Fetched ${301 - have.length} object(s)`);
    expect(refetched.stdout).toContain(`${have.length} were already in the cache`);
    const objectGets = server.requests().slice(beforeFetch).filter((r) => r.startsWith(`GET /${BUCKET}/${prefix}/objects/`));
    expect(objectGets).toHaveLength(301 - have.length);
    c.dvcts('checkout').expectOk();
    expect(filesBelow(c.path('many'))).toEqual(filesBelow(p.path('many')));
  });
});

