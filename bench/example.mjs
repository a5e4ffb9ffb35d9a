// `npm run bench example`: the example project's repro times on a fresh git clone of this
// repository's committed state (packages and build linked, raw data written and added as
// scripts/setup.sh does), interleaved rounds, medians:
//   cold     `dvcts repro` on a clone with no outputs and an empty cache  vs  `--jobs 1` (serial)
//   no-op    `dvcts repro` with everything up to date                     vs  `node -e 0` (start-up floor)
//   param    `repro` after train.poems.lr 0.005 -> 0.01 (3 stages run)   vs  changing it back (restored from the run-cache)
// BENCH_RUNS (default 1) rounds of the cold pair (about a minute each on 2 cores), 5 no-op, 3 param.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, load, sh } from './_rounds.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(repo, 'dist/cli/main.js');
const rounds = Number(process.env.BENCH_RUNS ?? 1);
const base = mkdtempSync(join(tmpdir(), 'dvcts-bench-example-'));
const OUTPUTS = 'datasets/work datasets/splits datasets/sotu-splits datasets/penguins-splits datasets/augmented datasets/images reports models .dvcts';

function clone(name) {
  const dir = join(base, name);
  sh(`git clone -q ${JSON.stringify(repo)} ${name}`, base);
  for (const linked of ['node_modules', 'dist']) symlinkSync(join(repo, linked), join(dir, linked));
  appendFileSync(join(dir, '.git/info/exclude'), '/node_modules\n/dist\n');
  return dir;
}

/** Back to a fresh clone after set-up: outputs and cache gone, raw data written and added. */
function resetCold(dir) {
  sh(`rm -rf ${OUTPUTS} && git checkout -q -- . && node scripts/example-digits.mjs >/dev/null && node scripts/example-penguins.mjs >/dev/null && node dist/cli/main.js add datasets/raw/digits datasets/raw/penguins.csv >/dev/null`, dir);
}

const fmt = (r) => `${r.wall.toFixed(2)} s wall (user ${r.user.toFixed(1)} s, sys ${r.sys.toFixed(1)} s, peak RSS ${r.rssMB.toFixed(0)} MB)`;
try {
  const dir = clone('example');
  console.log(`load before: ${load()}`);
  const cold = interleave(
    [
      { name: 'cold', cmd: process.execPath, args: [CLI, 'repro', '-q'], cwd: dir, before: () => resetCold(dir) },
      { name: 'cold --jobs 1', cmd: process.execPath, args: [CLI, 'repro', '-q', '--jobs', '1'], cwd: dir, before: () => resetCold(dir) },
    ],
    rounds,
  );
  const clean = sh('git status --porcelain', dir) === '';
  console.log(`cold repro:          ${fmt(cold.get('cold'))}`);
  console.log(`cold repro --jobs 1: ${fmt(cold.get('cold --jobs 1'))}   ratio serial/default ${(cold.get('cold --jobs 1').wall / cold.get('cold').wall).toFixed(2)}x`);
  console.log(`git status after the cold repro: ${clean ? 'clean (the committed lock files reproduced)' : 'CHANGED'}`);

  const noop = interleave(
    [
      { name: 'no-op', cmd: process.execPath, args: [CLI, 'repro', '-q'], cwd: dir },
      { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], cwd: dir },
    ],
    5,
  );
  console.log(`no-op repro:         ${fmt(noop.get('no-op'))}   ratio to node -e 0 ${(noop.get('no-op').wall / noop.get('node -e 0').wall).toFixed(1)}x`);

  const params = join(dir, 'params.yaml');
  const original = readFileSync(params, 'utf8');
  const changed = original.replace('poems: { epochs: 5, lr: 0.005,', 'poems: { epochs: 5, lr: 0.01,');
  if (changed === original) throw new Error('params.yaml has no train.poems.lr 0.005 to change');
  // --no-run-cache: from the second round on, lr 0.01 would be restored rather than trained
  const param = interleave(
    [
      { name: 'param', cmd: process.execPath, args: [CLI, 'repro', '-q', '--no-run-cache'], cwd: dir, before: () => writeFileSync(params, changed) },
      { name: 'revert', cmd: process.execPath, args: [CLI, 'repro', '-q'], cwd: dir, before: () => writeFileSync(params, original) },
    ],
    3,
  );
  console.log(`repro after one param change (3 stages run): ${fmt(param.get('param'))}`);
  console.log(`repro after reverting it (3 stages restored from the run-cache): ${fmt(param.get('revert'))}   ratio ${(param.get('param').wall / param.get('revert').wall).toFixed(1)}x`);
  console.log(`load after: ${load()}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
