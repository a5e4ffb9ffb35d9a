// Remote figures (issue 9), in one run on one machine, interleaved (each run times every contender
// once, in turn), medians of BENCH_RUNS (default 3):
//  - push and pull of 10,000 x 4 KiB files and of one 1 GiB file to a folder remote, vs `cp -r` of the
//    same data (a push is one copy into the remote; a pull is a copy into the cache plus checkout);
//  - the same to an S3-protocol server (s3rver on 127.0.0.1, which stores objects as files) with
//    --jobs 1, 8 and 32, vs `cp -r` and vs --jobs 1.
// A pull starts from a clone with an empty cache and no data. Data lives in a temp folder, removed
// after (the 1 GiB file too). BENCH_SKIP_BIG=1 leaves out the 1 GiB file; BENCH_JOBS="1 8" picks jobs.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeBigFile, writeManyFiles } from './_data.mjs';
import { fmt } from './_timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'bin', 'dvcts.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = (process.env.BENCH_JOBS ?? '1 8 32').split(/\s+/).filter(Boolean).map(Number);
const BUCKET = 'dvcts-bench';

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
const dvcts = (cwd, ...args) => run(process.execPath, [CLI, ...args], cwd);

/** Wall time of one command, after an untimed `before`. */
function timeOnce(cmd, args, cwd, before) {
  before?.();
  const t0 = process.hrtime.bigint();
  run(cmd, args, cwd);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function startS3rver(dir) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', join(here, '..', 'test', 'helpers', 's3rver-main.mjs'), join(dir, 'data'), join(dir, 'requests.log'), BUCKET], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((done) => createInterface({ input: child.stdout }).once('line', done));
  return { child, dataDir: join(dir, 'data'), port: JSON.parse(line).port };
}

const work = mkdtempSync(join(tmpdir(), 'dvcts-bench-remotes-'));
let s3;
try {
  // The project that pushes, and a clone (pointer files + config, no cache, no data) that pulls.
  const source = join(work, 'source');
  const clone = join(work, 'clone');
  for (const dir of [source, clone]) {
    mkdirSync(dir);
    dvcts(dir, 'init');
  }
  console.log('generating 10,000 x 4 KiB files' + (process.env.BENCH_SKIP_BIG === '1' ? '' : ' and a 1 GiB file') + ' ...');
  writeManyFiles(join(source, 'many'), 10_000, 4096);
  const datasets = [{ name: '10,000 x 4 KiB', path: 'many' }];
  if (process.env.BENCH_SKIP_BIG !== '1') {
    writeBigFile(join(source, 'big.bin'), 1 << 30);
    datasets.push({ name: '1 GiB file', path: 'big.bin' });
  }
  for (const d of datasets) {
    dvcts(source, 'add', d.path);
    copyFileSync(join(source, `${d.path}.dvcts`), join(clone, `${d.path}.dvcts`));
  }
  // s3rver's FilesystemStore keeps each remote key below <data>/<bucket>/<key>.
  s3 = await startS3rver(work);
  const folder = join(work, 'folder-remote');
  const remotes = [{ label: 'folder', name: 'folder', url: folder, reset: () => rmSync(folder, { recursive: true, force: true }) }];
  for (const jobs of JOBS) {
    const prefix = `jobs${jobs}`;
    remotes.push({ label: `s3 --jobs ${jobs}`, name: `s3j${jobs}`, url: `s3://${BUCKET}/${prefix}`, jobs, reset: () => rmSync(join(s3.dataDir, BUCKET, prefix), { recursive: true, force: true }) });
  }
  for (const dir of [source, clone]) {
    for (const r of remotes) {
      dvcts(dir, 'remote', 'add', r.name, r.url);
      if (r.name === 'folder') continue;
      dvcts(dir, 'remote', 'modify', r.name, 'endpoint', `http://127.0.0.1:${s3.port}`);
      dvcts(dir, 'remote', 'modify', r.name, 'access_key_id', 'S3RVER');
      dvcts(dir, 'remote', 'modify', r.name, 'secret_access_key', 'S3RVER');
    }
  }

  const times = new Map(); // "dataset|contender" -> ms[]
  const record = (key, ms) => times.set(key, [...(times.get(key) ?? []), ms]);
  const copyDest = join(work, 'cp-copy');
  for (const d of datasets) {
    run('sh', ['-c', `find ${d.path} -type f -exec cat {} + > /dev/null`], source); // warm the page cache for everyone
    for (let i = 0; i < RUNS; i++) {
      record(`${d.name}|cp -r`, timeOnce('cp', ['-r', d.path, copyDest], source, () => rmSync(copyDest, { recursive: true, force: true })));
      for (const r of remotes) {
        const jobs = r.jobs !== undefined ? ['--jobs', String(r.jobs)] : [];
        record(`${d.name}|push ${r.label}`, timeOnce(process.execPath, [CLI, 'push', '-r', r.name, ...jobs, d.path], source, r.reset));
        const emptyClone = () => {
          rmSync(join(clone, '.dvcts', 'cache'), { recursive: true, force: true });
          rmSync(join(clone, d.path), { recursive: true, force: true });
        };
        record(`${d.name}|pull ${r.label}`, timeOnce(process.execPath, [CLI, 'pull', '-r', r.name, ...jobs, d.path], clone, emptyClone));
        if (d.path === 'big.bin' && statSync(join(clone, d.path)).size !== 1 << 30) throw new Error('the pulled file has the wrong size');
        // Only one copy of the data on a remote at a time: the machine is shared.
        r.reset();
        emptyClone();
      }
      console.log(`  ${d.name}: run ${i + 1}/${RUNS} done`);
    }
    rmSync(copyDest, { recursive: true, force: true });
  }

  console.log(`\nmedians of ${RUNS} interleaved run(s); ratio = time / baseline (lower is better)\n`);
  console.log('dataset          operation               time     vs cp -r   vs --jobs 1');
  for (const d of datasets) {
    const base = median(times.get(`${d.name}|cp -r`));
    console.log(`${d.name.padEnd(16)} ${'cp -r (baseline)'.padEnd(22)} ${fmt(base).padStart(8)}`);
    for (const op of ['push', 'pull']) {
      for (const r of remotes) {
        const ms = median(times.get(`${d.name}|${op} ${r.label}`));
        const j1 = times.get(`${d.name}|${op} s3 --jobs 1`);
        const vsJ1 = r.jobs !== undefined && j1 !== undefined ? `${(ms / median(j1)).toFixed(2)}x` : '';
        console.log(`${d.name.padEnd(16)} ${`${op} ${r.label}`.padEnd(22)} ${fmt(ms).padStart(8)} ${`${(ms / base).toFixed(2)}x`.padStart(10)} ${vsJ1.padStart(13)}`);
      }
    }
  }
} finally {
  s3?.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
