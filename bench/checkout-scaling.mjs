// Does checkout's per-file cost hold from 10k to 1M files, and does the floor's? (issue 14: "1M
// files: per-file cost within 25% of the 10k figure"). For each scale, in one run: dvcts add (not
// timed: it makes the store), then interleaved rounds of `floors.mjs checkout` (copies every object
// of dvcts's store out, one file each) and `dvcts checkout` into an emptied workspace; medians of
// wall, user, sys and peak RSS. The last lines are each contender's per-file cost at every scale
// against the first scale: if the floor degrades as much as dvcts, the goal is bound by the machine.
// Both contenders write right after removing their own previous output (the floor's is made by an
// untimed first run): on a filesystem that skips recently freed inodes one by one when it makes a
// file (ext4 without a journal, as on this VM: perf shows ext4_create in recently_deleted), the
// kernel time of making a million files depends on how many were just removed.
// Env: BENCH_SCALES=10k,1m (10k = 10,000 x 4 KiB and 1m = 1,000,000 x 1 KiB, as in many-files;
// 100k, 300k: 1 KiB), BENCH_RUNS (rounds at 10k, default 5; one round above 100k).
// A 1m run takes ~15 min here: announce it in /work/wt/heavy-run.txt first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, load } from './_rounds.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.DVCTS_CLI ?? join(REPO, 'dist', 'bin', 'dvcts.js');
const NODE = process.execPath;
const FLOORS = [process.env.FLOORS, join(REPO, '..', 'shared', 'bench', 'floors.mjs'), join(REPO, '..', '..', 'shared', 'bench', 'floors.mjs'), '/work/shared/bench/floors.mjs'].find((p) => p && existsSync(p));
if (FLOORS === undefined) throw new Error('floors.mjs not found: set FLOORS=path/to/shared/bench/floors.mjs');
const SPEC = { '10k': { count: 10_000, size: 4096 }, '100k': { count: 100_000, size: 1024 }, '300k': { count: 300_000, size: 1024 }, '1m': { count: 1_000_000, size: 1024 } };
const SCALES = (process.env.BENCH_SCALES ?? '10k,1m').split(',');
const work = mkdtempSync(join(tmpdir(), 'dvcts-checkout-scaling-'));
const results = [];

function run(args, cwd) {
  const r = spawnSync(NODE, [CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')} failed: ${r.stderr}`);
}

function show(name, r, count) {
  console.log(`  ${name}: ${r.wall.toFixed(3)} s (user ${r.user.toFixed(2)}, sys ${r.sys.toFixed(2)}, ${r.rssMB.toFixed(0)} MB); per file ${((r.wall / count) * 1e6).toFixed(1)} us  [load ${load()}]`);
}

for (const scale of SCALES) {
  const { count, size } = SPEC[scale];
  const rounds = count <= 10_000 ? Number(process.env.BENCH_RUNS ?? 5) : 1;
  const root = join(work, scale);
  const out = join(work, `${scale}-floor-out`);
  console.log(`\n== ${scale}: ${count} files x ${size} B, ${rounds} round(s)  [load ${load()}]`);
  mkdirSync(root, { recursive: true });
  run(['init'], root);
  const dirs = Math.max(100, count / 1000);
  for (let d = 0; d < dirs; d++) mkdirSync(join(root, 'data', 'files', `d${String(d).padStart(4, '0')}`), { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(root, 'data', 'files', `d${String(i % dirs).padStart(4, '0')}`, `f${i}.bin`), Buffer.alloc(size, `file ${i} `));
  // The add that makes the store runs once: its figures are shown, not scored.
  const added = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', NODE, CLI, 'add', 'data/files'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`dvcts add failed: ${added.stderr}`);
  const [wall, user, sys, rssKiB] = added.stderr.trim().split('\n').pop().split(' ').map(Number);
  show(`${scale} dvcts add (once, the store for the rounds)`, { wall, user, sys, rssMB: rssKiB / 1024 }, count);
  try {
    const floorArgs = [FLOORS, 'checkout', join(root, '.dvcts', 'cache', 'objects'), out];
    spawnSync(NODE, floorArgs, { cwd: REPO, stdio: 'ignore' });
    const res = interleave([
      { name: 'floor', cmd: NODE, args: floorArgs, cwd: REPO, before: () => rmSync(out, { recursive: true, force: true }) },
      { name: 'dvcts', cmd: NODE, args: [CLI, 'checkout'], cwd: root, before: () => rmSync(join(root, 'data', 'files'), { recursive: true, force: true }) },
    ], rounds, { rotate: true });
    show(`${scale} floors.mjs checkout`, res.get('floor'), count);
    show(`${scale} dvcts checkout (emptied workspace)`, res.get('dvcts'), count);
    results.push({ scale, count, floor: res.get('floor'), dvcts: res.get('dvcts') });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
rmSync(work, { recursive: true, force: true });

const [first, ...rest] = results;
console.log(`\nper-file cost against ${first.scale} (wall; user; sys), medians; load average now ${load()}`);
const per = (r, f, n) => r[f] / n;
for (const r of rest) {
  for (const who of ['floor', 'dvcts']) {
    const ratio = (f) => (per(r[who], f, r.count) / per(first[who], f, first.count)).toFixed(2);
    console.log(`  ${who.padEnd(5)} ${r.scale} / ${first.scale}: wall ${ratio('wall')}x, user ${ratio('user')}x, sys ${ratio('sys')}x`);
  }
  console.log(`  dvcts / floor at ${r.scale}: wall ${(r.dvcts.wall / r.floor.wall).toFixed(2)}x (at ${first.scale}: ${(first.dvcts.wall / first.floor.wall).toFixed(2)}x)`);
}
