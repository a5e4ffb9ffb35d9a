// Issue 12 figure: the time `dvcts repro --dry` takes on this repository's example project (a
// copy: its pipelines, committed lock files, params and raw data, outputs not built), against
// `dvcts status` on the same copy (the same loading, validation and hashing, no plan) and the
// start-up floor (`dvcts --version`, `node -e 0`). Interleaved rounds, medians (see _rounds.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, load } from './_rounds.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(repo, 'dist', 'cli', 'main.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const root = mkdtempSync(join(tmpdir(), 'dvcts-bench-dry-'));
try {
  const run = (args) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  spawnSync('git', ['init', '-q'], { cwd: root });
  run(['init']);
  const digits = join(repo, 'datasets/raw/digits');
  for (const path of ['params.yaml', 'datasets/raw', 'pipelines']) {
    cpSync(join(repo, path), join(root, path), { recursive: true, filter: (source) => source !== digits });
  }
  const written = spawnSync(process.execPath, [join(repo, 'scripts/example-digits.mjs'), join(root, 'datasets/raw/digits')], { encoding: 'utf8' });
  if (written.status !== 0) throw new Error(written.stderr);

  const dry = run(['repro', '--dry']);
  const wouldRun = (`${dry.stdout}${dry.stderr}`.match(/Would run stage/g) ?? []).length;
  const node = (args) => ({ cmd: process.execPath, args: [CLI, ...args], cwd: root });
  const results = interleave(
    [
      { name: 'dvcts repro --dry', ...node(['repro', '--dry']) },
      { name: 'dvcts status', ...node(['status']) },
      { name: 'dvcts --version', ...node(['--version']) },
      { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], cwd: root },
    ],
    ROUNDS,
  );
  const baseline = results.get('dvcts status').wall;
  console.log(`example project (copy, outputs not built): --dry says ${wouldRun} stage(s) would run; medians of ${ROUNDS} interleaved rounds`);
  for (const [name, r] of results) {
    console.log(`  ${name.padEnd(18)} ${r.wall.toFixed(3)} s (user ${r.user.toFixed(2)}, sys ${r.sys.toFixed(2)}, ${r.rssMB.toFixed(0)} MB) = ${(r.wall / baseline).toFixed(2)}x status  [load ${load()}]`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
