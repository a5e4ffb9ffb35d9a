import { chmodSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, errorCode, filesBelow, remoteObjects, RemoteProject, tempRemoteDir } from './project.js';
import { xxh64 } from './servers.js';

const track = cleanUpAfterEach();

/** Deterministic bytes that differ per seed (no two files share content, so objects = files). */
function bytes(seed: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const PIPELINE = `stages:
  summarize:
    cmd: mkdir -p out && ls -R data > out/listing.txt && wc -c big.bin > out/size.txt
    deps: [data, big.bin]
    outs: [out]
`;

/**
 * A project with a tracked folder (21 files in two levels), a 2 MiB file (above the in-memory
 * transfer size) and a stage whose output is a folder of 2 files, committed with a folder
 * remote as the default. Objects: 21 + 1 + 2 files, plus 2 folder manifests = 26.
 */
function project(remote: string): RemoteProject {
  const p = track(RemoteProject.create());
  const files: Record<string, Buffer> = { 'big.bin': bytes(999, 2 * 1024 * 1024), 'pipelines/p.yaml': Buffer.from(PIPELINE) };
  for (let i = 0; i < 20; i++) files[`data/part${i % 2}/f${i}.bin`] = bytes(i + 1, 100 + i * 37);
  files['data/README'] = Buffer.from('sample data\n');
  p.write(files);
  p.dvcts('add', 'data', 'big.bin').expectOk();
  p.dvcts('repro').expectOk();
  p.dvcts('remote', 'add', '-d', 'store', remote).expectOk();
  p.commit('data v1');
  return p;
}
const OBJECTS = 26;

describe('folder remote', { timeout: 120_000 }, () => {
  it('a push from one clone and a pull into a fresh clone give identical data; a second push sends nothing', () => {
    const remote = track(tempRemoteDir());
    const p = project(remote.path);
    const before = JSON.parse(p.dvcts('status', '--cloud', '--json').expectOk().stdout) as { outputs: { path: string; state: string }[] };
    expect(before.outputs.map((o) => [o.path, o.state])).toEqual([
      ['big.bin', 'local-only'],
      ['data', 'local-only'],
      ['out', 'local-only'],
    ]);

    expect(p.dvcts('push').expectOk().stdout).toContain(`Pushed ${OBJECTS} object(s)`);
    const stored = remoteObjects(remote.path);
    expect(stored).toHaveLength(OBJECTS);
    // Each object's bytes hash (by xxhsum, not by dvcts) to its name: nothing half-written or misnamed.
    for (const id of stored) expect(xxh64(join(remote.path, 'objects', id.slice(0, 2), id.slice(2)))).toBe(id.slice(0, 16));
    expect(p.dvcts('push').expectOk().stdout).toContain(`Everything is already on 'store'`);

    const c = track(p.clone());
    const pulled = c.dvcts('pull').expectOk();
    expect(pulled.stdout).toContain(`Fetched ${OBJECTS} object(s)`);
    for (const dir of ['data', 'out']) expect(filesBelow(c.path(dir))).toEqual(filesBelow(p.path(dir)));
    expect(readFileSync(c.path('big.bin')).equals(readFileSync(p.path('big.bin')))).toBe(true);
    expect(c.dvcts('status').expectOk().stdout).toBe('Data and pipelines are up to date.\n');
    expect(c.dvcts('status', '--cloud').expectOk().stdout).toContain('are in sync (3 output(s))');
  });

  it('a folder with a file missing from the cache is pushed without its manifest, and a later push sends only the rest', () => {
    const remote = track(tempRemoteDir());
    const p = project(remote.path);
    const dataId = /id: (\S+)/.exec(p.read('data.dvcts'))![1]!;
    const manifest = p.read(`.dvcts/cache/objects/${dataId.slice(0, 2)}/${dataId.slice(2)}`);
    const lost = (JSON.parse(manifest.split('\n').find((l) => l.includes('"part0/f0.bin"'))!) as { id: string }).id;
    rmSync(p.path(`.dvcts/cache/objects/${lost.slice(0, 2)}/${lost.slice(2)}`));

    const partial = p.dvcts('push', 'data').expectOk();
    expect(partial.stdout).toContain('Pushed 20 object(s)'); // the other 20 files of data
    expect(partial.stderr).toMatch(/warning: 1 output\(s\) are not \(completely\) in the local cache[^\n]*\n {2}data \(data\.dvcts\)/);
    // On the remote too, a manifest promises its files: it was held back.
    expect(remoteObjects(remote.path)).not.toContain(dataId);

    p.dvcts('add', 'data').expectOk(); // stores the lost file again
    const rest = p.dvcts('push').expectOk();
    expect(rest.stdout).toContain(`Pushed ${OBJECTS - 20} object(s)`);
    expect(rest.stdout).toContain('20 were already there');
    expect(remoteObjects(remote.path)).toContain(dataId);
  });

  it('a corrupted object on the remote is caught on pull, named with the remote, and never enters the cache', () => {
    const remote = track(tempRemoteDir());
    const p = project(remote.path);
    p.dvcts('push').expectOk();
    // Corrupt data/part0/f0.bin (the only 100-byte file) on the remote: same size, one byte changed.
    const victim = remoteObjects(remote.path).find((o) => !o.endsWith('.dir') && readFileSync(join(remote.path, 'objects', o.slice(0, 2), o.slice(2))).length === 100)!;
    const victimPath = join(remote.path, 'objects', victim.slice(0, 2), victim.slice(2));
    const damaged = readFileSync(victimPath);
    damaged[0] = damaged[0]! ^ 0xff;
    chmodSync(victimPath, 0o644);
    writeFileSync(victimPath, damaged);

    const c = track(p.clone());
    const r = c.dvcts('pull');
    expect(r.code).toBe(1);
    expect(errorCode(r.stderr)).toBe('E_REMOTE_OBJECT_CORRUPT');
    expect(r.stderr).toContain(victim);
    expect(r.stderr).toContain(`'store' (${remote.path})`);
    expect(c.objects()).not.toContain(victim);
    // A manifest in the cache promises its files: the folder's manifest was not stored either.
    expect(c.objects()).not.toContain(/id: (\S+)/.exec(c.read('data.dvcts'))![1]);
    // The outputs that do not need the corrupt object were still checked out.
    expect(readFileSync(c.path('big.bin')).equals(readFileSync(p.path('big.bin')))).toBe(true);
    expect(() => readFileSync(c.path('data/part0/f0.bin'))).toThrow();
  });

  it('objects the remote lacks are E_REMOTE_OBJECT_MISSING naming the outputs; a missing remote folder is E_REMOTE_UNREACHABLE', () => {
    const remote = track(tempRemoteDir());
    const p = project(remote.path);
    p.dvcts('push', 'big.bin').expectOk();
    const c = track(p.clone());
    const r = c.dvcts('pull');
    expect(r.code).toBe(1);
    expect(errorCode(r.stderr)).toBe('E_REMOTE_OBJECT_MISSING');
    expect(r.stderr).toMatch(/incomplete in the cache: data, out/);
    expect(readFileSync(c.path('big.bin')).length).toBe(2 * 1024 * 1024);

    rmSync(remote.path, { recursive: true, force: true });
    const gone = c.dvcts('fetch');
    expect(gone.code).toBe(1);
    expect(errorCode(gone.stderr)).toBe('E_REMOTE_UNREACHABLE');
    expect(gone.stderr).toContain('does not exist');
  });

  it('status --cloud tells in-sync, local-only, remote-only and missing outputs apart', () => {
    const remote = track(tempRemoteDir());
    const p = track(RemoteProject.create());
    p.write({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'd.txt': 'd\n' });
    p.dvcts('add', 'a.txt', 'b.txt', 'c.txt', 'd.txt').expectOk();
    p.dvcts('remote', 'add', '-d', 'store', remote.path).expectOk();
    p.dvcts('push', 'a.txt', 'b.txt').expectOk();
    const idOf = (f: string): string => /id: (\S+)/.exec(p.read(`${f}.dvcts`))![1]!;
    const dropLocal = (f: string): void => rmSync(p.path(`.dvcts/cache/objects/${idOf(f).slice(0, 2)}/${idOf(f).slice(2)}`), { force: true });
    dropLocal('b.txt');
    dropLocal('d.txt');
    const json = JSON.parse(p.dvcts('status', '--cloud', '--json').expectOk().stdout) as { outputs: { path: string; state: string }[] };
    expect(json.outputs.map((o) => [o.path, o.state])).toEqual([
      ['a.txt', 'in-sync'],
      ['b.txt', 'remote-only'],
      ['c.txt', 'local-only'],
      ['d.txt', 'missing'],
    ]);
    const text = p.dvcts('status', '--cloud').expectOk().stdout;
    expect(text).toMatch(/local-only \(only in the local cache: dvcts push\):\n {2}c\.txt\n/);
    expect(text).toMatch(/remote-only \(only on the remote: dvcts fetch \/ pull\):\n {2}b\.txt\n/);
    expect(text).toMatch(/missing \(in neither the cache nor the remote: reproduce or re-add it\):\n {2}d\.txt\n/);
    expect(text).toContain('1 output(s) in sync');
  });

  it('push --all-commits sends old versions, pull --rev gets one; gc --cloud removes what no kept version uses, with --dry and a grace period', () => {
    const remote = track(tempRemoteDir());
    const p = track(RemoteProject.create());
    p.dvcts('remote', 'add', '-d', 'store', remote.path).expectOk();
    p.write({ 'm.txt': 'version 1\n' });
    p.dvcts('add', 'm.txt').expectOk();
    const v1 = p.commit('v1');
    p.write({ 'm.txt': 'version 2\n' });
    p.dvcts('add', 'm.txt').expectOk();
    p.commit('v2');

    expect(p.dvcts('push').expectOk().stdout).toContain('Pushed 1 object(s)');
    expect(p.dvcts('push', '--all-commits').expectOk().stdout).toContain('Pushed 1 object(s)');
    expect(remoteObjects(remote.path)).toHaveLength(2);
    // --rev: the version a commit records, checked out without moving HEAD.
    const old = track(p.clone());
    expect(old.dvcts('pull', '--rev', v1).expectOk().stdout).toContain(`1 restored, 0 unchanged at ${v1}`);
    expect(old.read('m.txt')).toBe('version 1\n');

    // Just pushed: younger than the default grace period of 60 minutes, so kept.
    expect(p.dvcts('gc', '--cloud').expectOk().stdout).toMatch(/Removed 0 object\(s\).*kept 1 unreferenced object\(s\) younger than 60 minute/);
    expect(p.dvcts('gc', '--cloud', '--all-commits', '--keep-recent', '0').expectOk().stdout).toMatch(/^Removed 0 object\(s\)/);
    expect(p.dvcts('gc', '--cloud', '--dry', '--keep-recent', '0').expectOk().stdout).toMatch(/^Would remove 1 object\(s\), 10 B/);
    expect(remoteObjects(remote.path)).toHaveLength(2);
    expect(p.dvcts('gc', '--cloud', '--keep-recent', '0').expectOk().stdout).toMatch(/^Removed 1 object\(s\), 10 B/);
    expect(remoteObjects(remote.path)).toHaveLength(1);

    const c = track(p.clone());
    c.git('checkout', '-q', v1);
    const r = c.dvcts('pull');
    expect(errorCode(r.stderr)).toBe('E_REMOTE_OBJECT_MISSING');
    c.git('checkout', '-q', 'main');
    c.dvcts('pull').expectOk();
    expect(c.read('m.txt')).toBe('version 2\n');
  });
  it('gc --cloud keeps the files that a manifest kept for its age lists, so a later push may trust that manifest', () => {
    const remote = track(tempRemoteDir());
    const p = track(RemoteProject.create());
    p.dvcts('remote', 'add', '-d', 'store', remote.path).expectOk();
    p.commit('remote');
    const other = track(p.clone()); // a clone whose versions never had the folder
    p.write({ 'd/a.txt': 'shared by both versions\n', 'd/b.txt': 'only in version 1\n' });
    p.dvcts('add', 'd').expectOk();
    p.commit('v1');
    p.dvcts('push').expectOk();
    const hour = Date.now() / 1000 - 2 * 3600;
    for (const id of remoteObjects(remote.path)) utimesSync(join(remote.path, 'objects', id.slice(0, 2), id.slice(2)), hour, hour);
    // Version 2 keeps a.txt (its object is old on the remote) and adds c.txt: its manifest is young.
    rmSync(p.path('d/b.txt'));
    p.write({ 'd/c.txt': 'only in version 2\n' });
    p.dvcts('add', 'd').expectOk();
    p.commit('v2');
    expect(p.dvcts('push').expectOk().stdout).toContain('Pushed 2 object(s)');

    // The other clone knows neither version: v1's manifest and b.txt go, v2's young manifest stays,
    // and so does a.txt, which that manifest lists.
    expect(other.dvcts('gc', '--cloud').expectOk().stdout).toMatch(/^Removed 2 object\(s\)/);
    const prefixOf = (file: string): string => xxh64(p.path(file));
    const left = remoteObjects(remote.path);
    expect(left.filter((id) => id.endsWith('.dir'))).toHaveLength(1);
    expect(left.filter((id) => !id.endsWith('.dir')).map((id) => id.slice(0, 16)).sort()).toEqual([prefixOf('d/a.txt'), prefixOf('d/c.txt')].sort());
    const c = track(p.clone());
    c.dvcts('pull').expectOk();
    expect(filesBelow(c.path('d'))).toEqual(filesBelow(p.path('d')));
  });
});
