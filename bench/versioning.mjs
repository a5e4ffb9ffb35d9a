// Versioning figures (issue: fsck/crash/bench), all in one run on the same machine, warm page cache:
//  (a) add of one 1 GiB file   vs  xxhsum -H1 FILE + cp FILE      goal <= 1.3x
//  (a2) checkout of it into an emptied workspace  vs  cp FILE (object known good: add stored it)
//  (a3) the same with the object not verified yet (hashed once before it is placed)
//  (b) add of 10,000 x 4 KiB   vs  cp -r                          goal <= 2x
//  (c) no-op status after (b)                                     goal <= 0.25 s
//  (d) checkout of (b) into an emptied workspace  vs  cp -r (objects known good: add stored them)
//  (d2) the same with no object verified yet (first checkout after a pull or a cleared .dvcts/tmp: every object is hashed once)
//  (e) 100,000 files: add and no-op status, with peak RSS          goal <= 300 MB
// Medians of BENCH_RUNS (default 3) runs (BENCH_E_RUNS for (e)); BENCH_SKIP_E=1 skips (e). Data lives in /tmp, removed after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBigFile, writeManyFiles } from './_data.mjs';
import { measure, sh } from './_measure.mjs';
import { fmt } from './_timing.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'dvcts.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dvcts = (cwd, ...args) => spawnSync(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' }).status;
const rows = [];

function row(name, result, baseline, goal) {
  const ratio = baseline === undefined ? undefined : result.ms / baseline.ms;
  rows.push({ name, ms: result.ms, rssKiB: result.rssKiB, baselineMs: baseline?.ms, ratio, goal });
  console.log(`  measured ${name}: ${fmt(result.ms)}${ratio === undefined ? '' : ` (${ratio.toFixed(2)}x)`}`);
}

/** A fresh project whose data is `dataRel`, created by `make(absPath)`. */
function project(prefix, dataRel, make) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  if (dvcts(root, 'init') !== 0) throw new Error('dvcts init failed');
  make(join(root, dataRel));
  return root;
}

/** Forget everything add stored, so each timed add hashes and copies the data again. */
function forgetAdd(root, dataRel) {
  rmSync(join(root, '.dvcts', 'cache'), { recursive: true, force: true });
  rmSync(join(root, '.dvcts', 'tmp', 'state'), { recursive: true, force: true });
  rmSync(join(root, '.dvcts', 'tmp', 'verified'), { recursive: true, force: true });
  rmSync(join(root, `${dataRel}.dvcts`), { force: true });
}

function benchBigFile() {
  const root = project('dvcts-bench-big-', 'data/big.bin', (p) => writeBigFile(p, 1 << 30));
  const file = join(root, 'data', 'big.bin');
  const copy = join(tmpdir(), `dvcts-bench-big-copy-${process.pid}`);
  try {
    sh(`cat ${file} > /dev/null`); // warm the page cache for every contender
    const xxh = measure('xxhsum', ['-H1', file], { runs: RUNS });
    const cp = measure('cp', [file, copy], { runs: RUNS, before: () => rmSync(copy, { force: true }) });
    const add = measure(process.execPath, [CLI, 'add', 'data/big.bin'], { runs: RUNS, cwd: root, before: () => forgetAdd(root, 'data/big.bin') });
    rows.push({ name: '(a) baseline xxhsum -H1', ms: xxh.ms }, { name: '(a) baseline cp', ms: cp.ms });
    row('(a) add 1 GiB file', add, { ms: xxh.ms + cp.ms }, '<= 1.3x xxhsum+cp');
    // Verified checkouts: an object is hashed before it is placed, once; later checkouts trust
    // what .dvcts/tmp/verified remembers of it (inode, size, mtime, ctime).
    const emptied = () => rmSync(file, { force: true });
    const known = measure(process.execPath, [CLI, 'checkout'], { runs: RUNS, cwd: root, before: emptied });
    row('(a2) checkout 1 GiB file, object known good', known, cp, 'vs cp');
    const unverified = () => {
      emptied();
      rmSync(join(root, '.dvcts', 'tmp', 'verified'), { recursive: true, force: true });
    };
    const first = measure(process.execPath, [CLI, 'checkout'], { runs: RUNS, cwd: root, before: unverified });
    row('(a3) checkout 1 GiB file, object not verified yet', first, cp, 'vs cp');
  } finally {
    rmSync(copy, { force: true });
    rmSync(root, { recursive: true, force: true });
  }
}

function benchManyFiles(label, count, withCheckout, runs = RUNS) {
  const root = project(`dvcts-bench-${count}-`, 'data/files', (p) => writeManyFiles(p, count, 4096));
  const copy = join(tmpdir(), `dvcts-bench-files-copy-${process.pid}`);
  try {
    sh('find data/files -type f -exec cat {} + > /dev/null', root);
    const cp = measure('cp', ['-r', 'data/files', copy], { runs, cwd: root, before: () => rmSync(copy, { recursive: true, force: true }) });
    const add = measure(process.execPath, [CLI, 'add', 'data/files'], { runs, cwd: root, before: () => forgetAdd(root, 'data/files') });
    const status = measure(process.execPath, [CLI, 'status'], { runs, cwd: root });
    rows.push({ name: `${label} baseline cp -r`, ms: cp.ms });
    row(`${label} add ${count} x 4 KiB`, add, cp, count === 10_000 ? '<= 2x cp -r' : 'RSS <= 300 MB');
    row(`${label} no-op status`, status, undefined, count === 10_000 ? '<= 0.25 s' : 'RSS <= 300 MB');
    if (withCheckout) {
      const emptied = () => rmSync(join(root, 'data', 'files'), { recursive: true, force: true });
      const checkout = measure(process.execPath, [CLI, 'checkout'], { runs: RUNS, cwd: root, before: emptied });
      row('(d) checkout into emptied workspace', checkout, cp, 'vs cp -r');
      const unverified = () => {
        emptied();
        rmSync(join(root, '.dvcts', 'tmp', 'verified'), { recursive: true, force: true });
      };
      const firstCheckout = measure(process.execPath, [CLI, 'checkout'], { runs: RUNS, cwd: root, before: unverified });
      row('(d2) checkout, no object verified yet', firstCheckout, cp, 'vs cp -r');
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
}

benchBigFile();
benchManyFiles('(b/c)', 10_000, true);
if (process.env.BENCH_SKIP_E !== '1') benchManyFiles('(e)', 100_000, false, Number(process.env.BENCH_E_RUNS ?? RUNS));

console.log(`medians of ${RUNS} run(s); RSS = peak resident set (GNU time %M)\n`);
console.log('measurement                               time       peak RSS   baseline   ratio   goal');
for (const r of rows) {
  const rss = r.rssKiB === undefined ? '' : `${(r.rssKiB / 1024).toFixed(0)} MB`;
  const base = r.baselineMs === undefined ? '' : fmt(r.baselineMs);
  const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`;
  console.log(`${r.name.padEnd(40)} ${fmt(r.ms).padStart(9)} ${rss.padStart(10)} ${base.padStart(10)} ${ratio.padStart(7)}   ${r.goal ?? ''}`);
}
