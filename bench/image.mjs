// `image`: the image stage (`dvcts repro`, cold: no cache, no state) on 2,000 photo-like JPEGs of
// mixed sizes up to 2560x1600, against a plain sharp loop doing the same ops with the same images
// in flight (bench/_image-baseline.mjs); goal: the stage reaches >= 0.85x the loop's images/s.
// Then the rerun after adding 1 photo (goal: <= 5% of the full run) and the full run's peak RSS.
// Runs alternate (loop, stage, rerun) ROUNDS times on this shared machine; medians are compared.
// The photos live in a temp folder, deleted at the end. BENCH_IMAGES / BENCH_ROUNDS override.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, sh } from './_measure.mjs';
import { writePhotos } from './_photos.mjs';
import { fmt } from './_timing.mjs';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(repo, 'dist/bin/dvcts.js');
const COUNT = Number(process.env.BENCH_IMAGES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = availableParallelism();

const dir = mkdtempSync(join(tmpdir(), 'dvcts-bench-image-'));
const project = join(dir, 'project');
try {
  const bytes = await writePhotos(join(project, 'raw'), COUNT);
  console.log(`${COUNT} photos, ${(bytes / 1e6).toFixed(0)} MB, ${IN_FLIGHT} in flight (cores: ${availableParallelism()})`);
  sh(`${process.execPath} ${CLI} init`, project);
  writeFileSync(
    join(project, 'pipelines/images.yaml'),
    `stages:
  images:
    uses: image
    deps: [raw]
    outs: [out]
    with:
      ops:
        - normalize: { width: 256, height: 256, fit: cover }
        - crop: { width: 224, height: 224, mode: random }
        - jitter: { p: 1 }
        - flip: {}
      copies: 1
      concurrency: ${IN_FLIGHT}
`,
  );

  const loop = [];
  const full = [];
  const rerun = [];
  for (let round = 0; round < ROUNDS; round++) {
    loop.push(
      measure(process.execPath, [join(repo, 'bench/_image-baseline.mjs'), join(project, 'raw'), join(dir, 'loop-out'), String(IN_FLIGHT)], {
        runs: 1,
        before: () => rmSync(join(dir, 'loop-out'), { recursive: true, force: true }),
      }),
    );
    full.push(
      measure(process.execPath, [CLI, 'repro', '-q'], {
        runs: 1,
        cwd: project,
        before: () => sh('rm -rf .dvcts/cache .dvcts/tmp out pipelines/images.lock', project),
      }),
    );
    await writePhotos(join(project, 'raw'), 1, { start: COUNT + round, bases: 1 }); // one more 2560x1600 photo
    rerun.push(measure(process.execPath, [CLI, 'repro', '-q'], { runs: 1, cwd: project }));
    sh(`rm -f raw/*/${String(COUNT + round).padStart(5, '0')}.jpg`, project);
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const loopMs = median(loop.map((m) => m.ms));
  const fullMs = median(full.map((m) => m.ms));
  const rerunMs = median(rerun.map((m) => m.ms));
  const rate = (ms) => (COUNT / (ms / 1000)).toFixed(1);
  console.log(`rounds: loop ${loop.map((m) => fmt(m.ms)).join(' ')}; stage ${full.map((m) => fmt(m.ms)).join(' ')}; rerun ${rerun.map((m) => fmt(m.ms)).join(' ')}`);
  console.log(`plain sharp loop          ${fmt(loopMs)}  ${rate(loopMs)} images/s  peak RSS ${(median(loop.map((m) => m.rssKiB)) / 1024).toFixed(0)} MiB`);
  console.log(`dvcts repro (image stage) ${fmt(fullMs)}  ${rate(fullMs)} images/s  peak RSS ${(median(full.map((m) => m.rssKiB)) / 1024).toFixed(0)} MiB`);
  console.log(`stage / loop = ${(loopMs / fullMs).toFixed(2)}x the loop's images/s  (goal >= 0.85)`);
  console.log(`rerun after adding 1 photo: ${fmt(rerunMs)} = ${((100 * rerunMs) / fullMs).toFixed(1)}% of the full run  (goal <= 5%)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
