// Sharded per-item stage (issue 11), in one run, interleaved rounds, medians of BENCH_RUNS
// (default 3): an `image` stage over BENCH_IMAGES (default 300) generated 640x480 JPEGs
// (normalize 128x128, jitter, 1 copy + the original), run locally (the baseline) and with
// `shards: auto` on 1 and 2 `dvcts worker` processes (a real redis-server, a folder remote).
// Each timed run starts from an empty per-item cache and nothing recorded (a fresh copy of the
// project), so every image is processed; the queue runs include pushing the photos to the remote.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { dvcts, median, startRedis, startWorkers, timed } from './_cluster.mjs';
import { fmt } from './_timing.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 300);

async function photo(i) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="g"><stop offset="0" stop-color="hsl(${i % 360},70%,35%)"/><stop offset="1" stop-color="hsl(${(i * 7) % 360},60%,75%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${100 + (i % 400)}" cy="200" r="90" fill="hsl(${(i * 13) % 360},80%,55%)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

const dir = mkdtempSync(join(tmpdir(), 'dvcts-bench-shards-'));
const redis = await startRedis(dir);
try {
  const template = join(dir, 'template');
  mkdirSync(join(template, 'pipelines'), { recursive: true });
  dvcts(['init'], template);
  for (let i = 0; i < IMAGES; i++) {
    mkdirSync(join(template, 'photos', `c${i % 4}`), { recursive: true });
    writeFileSync(join(template, 'photos', `c${i % 4}`, `${i}.jpg`), await photo(i));
  }
  writeFileSync(
    join(template, 'pipelines', 'img.yaml'),
    'stages:\n  aug:\n    uses: image\n    deps: [photos]\n    outs: [out]\n    with:\n      ops:\n        - normalize: { width: 128, height: 128 }\n        - jitter: {}\n      copies: 1\n      seed: 1\n      shards: auto\n',
  );
  const fresh = (name) => {
    const root = join(dir, `${name}-${Date.now()}`);
    cpSync(template, root, { recursive: true });
    const remote = join(root, '..', `remote-${name}-${Date.now()}`);
    mkdirSync(remote);
    dvcts(['remote', 'add', '--default', 'shared', remote], root);
    return { root, remote };
  };
  const times = { local: [], 1: [], 2: [] };
  for (let round = 0; round < RUNS; round++) {
    const l = fresh('local');
    times.local.push(timed(['repro', '-q'], l.root));
    for (const k of [1, 2]) {
      const q = fresh(`q${k}`);
      const workers = await startWorkers(k, redis.url, q.remote, dir);
      try {
        times[k].push(timed(['repro', '-q', '--executor', 'queue', '--queue', redis.url], q.root));
      } finally {
        for (const w of workers) w.kill('SIGKILL');
      }
    }
    process.stderr.write(`round ${round + 1}/${RUNS} done\n`);
  }
  const local = median(times.local);
  console.log(`image stage over ${IMAGES} photos of 640x480 (medians of ${RUNS}, interleaved):`);
  console.log(`  local repro                       ${fmt(local)}  (${(IMAGES / (local / 1000)).toFixed(1)} photos/s)`);
  for (const k of [1, 2]) {
    const t = median(times[k]);
    console.log(`  queue, shards: auto, ${k} worker(s)   ${fmt(t)}  (${(IMAGES / (t / 1000)).toFixed(1)} photos/s, ${(local / t).toFixed(2)}x the local run)`);
  }
} finally {
  redis.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
