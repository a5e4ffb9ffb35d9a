// Remote figures (issue 9), in one run on one machine: interleaved rounds (each round times every
// contender once, in turn; _rounds.mjs), medians of BENCH_RUNS rounds (default 3) of wall time,
// user CPU and peak RSS:
//  - push and pull of 10,000 x 4 KiB files and of one 1 GiB file to a folder remote, vs `cp -r` of the
//    same data (a push is one copy into the remote; a pull is a copy into the cache plus checkout);
//  - the same to an S3-protocol server (s3rver on 127.0.0.1, which stores objects as files) with
//    --jobs 1, 8 and 32, vs `cp -r` and vs --jobs 1.
// A push starts from an empty remote; a pull from a clone with an empty cache and no data. Data lives
// in a temp folder, removed after (the 1 GiB file too). BENCH_SKIP_BIG=1 leaves out the 1 GiB file;
// BENCH_JOBS="1 8" picks the S3 --jobs.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeBigFile, writeManyFiles } from './_data.mjs';
import { interleave, load, sh } from './_rounds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'bin', 'dvcts.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = (process.env.BENCH_JOBS ?? '1 8 32').split(/\s+/).filter(Boolean).map(Number);
const BUCKET = 'dvcts-bench';

function dvcts(cwd, ...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
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

  const copyDest = join(work, 'cp-copy');
  const results = [];
  for (const d of datasets) {
    sh(`find ${d.path} -type f -exec cat {} + > /dev/null`, source); // warm the page cache for everyone
    const emptyClone = () => {
      rmSync(join(clone, '.dvcts', 'cache'), { recursive: true, force: true });
      rmSync(join(clone, d.path), { recursive: true, force: true });
    };
    const contenders = [{ name: 'cp -r', cmd: 'cp', args: ['-r', d.path, copyDest], cwd: source, before: () => rmSync(copyDest, { recursive: true, force: true }) }];
    for (const r of remotes) {
      const args = ['-r', r.name, ...(r.jobs !== undefined ? ['--jobs', String(r.jobs)] : []), d.path];
      contenders.push({ name: `push ${r.label}`, cmd: process.execPath, args: [CLI, 'push', ...args], cwd: source, before: r.reset });
      const checkPulled = () => {
        if (d.path === 'big.bin' && statSync(join(clone, d.path)).size !== 1 << 30) throw new Error('the pulled file has the wrong size');
        // Only one copy of the data on a remote at a time: the machine is shared.
        r.reset();
        emptyClone();
      };
      contenders.push({ name: `pull ${r.label}`, cmd: process.execPath, args: [CLI, 'pull', ...args], cwd: clone, before: emptyClone, after: checkPulled });
    }
    console.log(`${d.name}: ${RUNS} interleaved round(s) of ${contenders.length} contenders [load ${load()}]`);
    results.push({ d, medians: interleave(contenders, RUNS) });
    rmSync(copyDest, { recursive: true, force: true });
  }

  console.log(`\nmedians of ${RUNS} interleaved round(s); ratio = wall time / baseline's (lower is better) [load ${load()}]\n`);
  console.log(`${'dataset'.padEnd(16)} ${'operation'.padEnd(20)} ${'wall'.padStart(8)} ${'user'.padStart(7)} ${'RSS'.padStart(7)} ${'vs cp -r'.padStart(9)} ${'vs --jobs 1'.padStart(12)}`);
  for (const { d, medians } of results) {
    const base = medians.get('cp -r');
    for (const [name, m] of medians) {
      const j1 = medians.get(name.replace(/--jobs \d+$/, '--jobs 1'));
      const vsJ1 = name.includes('--jobs') && j1 !== undefined ? `${(m.wall / j1.wall).toFixed(2)}x` : '';
      const vsCp = name === 'cp -r' ? '(baseline)' : `${(m.wall / base.wall).toFixed(2)}x`;
      console.log(`${d.name.padEnd(16)} ${name.padEnd(20)} ${`${m.wall.toFixed(2)} s`.padStart(8)} ${m.user.toFixed(2).padStart(7)} ${`${m.rssMB.toFixed(0)} MB`.padStart(7)} ${vsCp.padStart(9)} ${vsJ1.padStart(12)}`);
    }
  }
} finally {
  s3?.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
