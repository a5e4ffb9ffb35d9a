// Issue 8 figures: seconds per epoch of the example's training with the `wasm` and the `cpu` tfjs
// backends (goal: wasm at least 3x faster; runs interleaved, medians), test accuracy and macro-F1
// of the example's models, and `dvcts status` start-up against `node -e 0` and against the same
// status with tfjs preloaded (status never loads it: test/train/startup.test.ts checks the modules).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { fmt, timeCommand } from './_timing.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(repo, 'dist', 'bin', 'dvcts.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'dvcts-bench-train-'));
const dvcts = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
};
const json = (rel) => JSON.parse(readFileSync(join(root, rel), 'utf8'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  dvcts('init');
  for (const path of ['params.yaml', 'datasets/raw', 'pipelines']) cpSync(join(repo, path), join(root, path), { recursive: true });
  for (const lock of ['text', 'report', 'models', 'images']) rmSync(join(root, `pipelines/${lock}.lock`), { force: true });
  // The benchmark needs the seconds per epoch, which the example keeps out of its reports.
  const models = join(root, 'pipelines/models.yaml');
  writeFileSync(models, readFileSync(models, 'utf8').replaceAll('machine_facts: false', 'machine_facts: true'));
  const trains = ['poems_train', ...(readFileSync(models, 'utf8').includes('digits_train:') ? ['digits_train'] : [])];

  const cold = timeCommand(process.execPath, [CLI, 'repro'], { cwd: root, runs: 1 });
  console.log(`example: cold \`dvcts repro\` of every pipeline (upstream stages, ${trains.length} model(s)): ${fmt(cold.median)}`);

  const params = join(root, 'params.yaml');
  const original = readFileSync(params, 'utf8');
  for (const stage of trains) {
    const perEpoch = { wasm: [], cpu: [] };
    const name = stage.replace(/_train$/, '');
    // The CNN takes minutes per epoch on cpu: its timing runs train one epoch (per-epoch cost is the same).
    const epochs = stage === 'digits_train' ? 1 : undefined;
    for (let round = 0; round < ROUNDS; round++) {
      for (const backend of ['wasm', 'cpu']) {
        let text = original.replace(/backend: \w+/, `backend: ${backend}`);
        if (epochs !== undefined) text = text.replace(new RegExp(`(${name}: \\{ epochs: )\\d+`), `$1${epochs}`);
        writeFileSync(params, text);
        dvcts('repro', '-f', '-s', stage);
        const r = json(`reports/train/${name}.json`);
        if (r.backend.name !== backend) throw new Error(`${stage} ran on ${r.backend.name}, not ${backend}`);
        perEpoch[backend].push(r.timing.seconds_per_epoch);
      }
    }
    const [w, c] = [median(perEpoch.wasm), median(perEpoch.cpu)];
    console.log(`${stage}: seconds per epoch, medians of ${ROUNDS} interleaved runs: wasm ${w.toFixed(3)} s, cpu ${c.toFixed(3)} s -> wasm is ${(c / w).toFixed(2)}x faster (goal >= 3x)`);
  }

  writeFileSync(params, original);
  dvcts('repro');
  for (const file of ['reports/train/poems-test.json', 'reports/train/digits-test.json'].filter((f) => existsSync(join(root, f)))) {
    const r = json(file);
    const majority = Math.max(...Object.values(r.per_class).map((c) => c.support)) / r.support;
    console.log(`${file}: accuracy ${r.accuracy.toFixed(4)}, macro-F1 ${r.macro.f1.toFixed(4)} on ${r.support} test rows (majority class: ${majority.toFixed(4)}; backend ${r.backend.name})`);
  }

  // Interleaved: plain status, status with tfjs preloaded (what loading it at start-up would cost), bare node.
  const tfjsMain = join(repo, 'node_modules/@tensorflow/tfjs/dist/tf.node.js');
  const variants = { status: [CLI, 'status'], 'status + tfjs': ['-r', tfjsMain, CLI, 'status'], 'node -e 0': ['-e', '0'] };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < 9; i++) for (const [name, args] of Object.entries(variants)) times[name].push(timeCommand(process.execPath, args, { cwd: root, runs: 1 }).median);
  const [st, withTf, bare] = Object.keys(variants).map((k) => median(times[k]));
  console.log(`dvcts status (example, up to date), medians of 9 interleaved: ${fmt(st)}; with tfjs preloaded: ${fmt(withTf)} (+${fmt(withTf - st)}); node -e 0: ${fmt(bare)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
