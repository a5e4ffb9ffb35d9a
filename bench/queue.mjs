// Queue executor figures (issue 11), in one run on one machine, interleaved (each round times
// every contender once, in turn), medians of BENCH_RUNS (default 3):
//  - 40 independent `sleep 1` stages: `repro` on the local executor (--jobs 1, the baseline) and
//    `repro --executor queue` with 1, 2 and 4 `dvcts worker` processes (coordinator --jobs 8):
//    wall time and speed-up against 1 worker;
//  - overhead per job: 40 empty stages, 1 worker, coordinator --jobs 1, against the local
//    executor --jobs 1: (queue - local) / 40 is what one job adds from enqueue to recorded
//    (push inputs, Redis round trips, scratch workspace, push and fetch of outputs, lock).
// Each timed repro is `-f --no-run-cache` on an already-run project (nothing is restored).
// A real redis-server on a free 127.0.0.1 port and a folder remote, removed after.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dvcts as run, median, startRedis, startWorkers, timed } from './_cluster.mjs';
import { fmt } from './_timing.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STAGES = 40;
const WORKER_COUNTS = [1, 2, 4];

function project(dir, name, cmd, remote) {
  const root = join(dir, name);
  mkdirSync(join(root, 'pipelines'), { recursive: true });
  run(['init'], root);
  run(['remote', 'add', '--default', 'shared', remote], root);
  const items = Array.from({ length: STAGES }, (_, i) => i).join(', ');
  writeFileSync(join(root, 'pipelines', 'p.yaml'), `stages:\n  s:\n    foreach: [${items}]\n    do:\n      cmd: mkdir -p out && ${cmd} && echo \${item} > out/\${item}.txt\n      outs: ["out/\${item}.txt"]\n`);
  return root;
}

const dir = mkdtempSync(join(tmpdir(), 'dvcts-bench-queue-'));
const remote = join(dir, 'remote');
mkdirSync(remote);
const redis = await startRedis(dir);
try {
  const sleepy = project(dir, 'sleep', 'sleep 1', remote);
  const empty = project(dir, 'empty', 'true', remote);
  const times = { local: [], emptyLocal: [], emptyQueue: [], ...Object.fromEntries(WORKER_COUNTS.map((k) => [k, []])) };
  const force = ['repro', '-f', '--no-run-cache', '-q'];
  const queue = [...force, '--executor', 'queue', '--queue', redis.url];
  run(['repro', '-q'], sleepy);
  run(['repro', '-q'], empty);
  for (let round = 0; round < RUNS; round++) {
    times.local.push(timed([...force, '--jobs', '1'], sleepy));
    for (const k of WORKER_COUNTS) {
      const workers = await startWorkers(k, redis.url, remote, dir);
      try {
        times[k].push(timed([...queue, '--jobs', '8'], sleepy));
        if (k === 1) {
          times.emptyLocal.push(timed([...force, '--jobs', '1'], empty));
          times.emptyQueue.push(timed([...queue, '--jobs', '1'], empty));
        }
      } finally {
        for (const w of workers) w.kill('SIGKILL');
      }
    }
    process.stderr.write(`round ${round + 1}/${RUNS} done\n`);
  }
  const one = median(times[1]);
  console.log(`${STAGES} x sleep 1 (medians of ${RUNS}, interleaved):`);
  console.log(`  local executor --jobs 1        ${fmt(median(times.local))}`);
  for (const k of WORKER_COUNTS) console.log(`  queue, ${k} worker(s), --jobs 8  ${fmt(median(times[k]))}   speed-up vs 1 worker ${(one / median(times[k])).toFixed(2)}x, vs local --jobs 1 ${(median(times.local) / median(times[k])).toFixed(2)}x`);
  const perJob = (median(times.emptyQueue) - median(times.emptyLocal)) / STAGES;
  console.log(`${STAGES} empty stages, --jobs 1: local ${fmt(median(times.emptyLocal))} (${fmt(median(times.emptyLocal) / STAGES)}/stage), queue on 1 worker ${fmt(median(times.emptyQueue))} (${fmt(median(times.emptyQueue) / STAGES)}/stage)`);
  console.log(`  overhead per job (enqueue to recorded, beyond a local run): ${fmt(perJob)}`);
} finally {
  redis.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
