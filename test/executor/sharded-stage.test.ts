import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';
import { filesBelow } from '../remote/project.js';
import { scene } from '../stages/image/helpers.js';
import { Cluster } from './cluster.js';
import { startQueueRepro } from './queue-run.js';

// An `image` stage with `shards: 3` on 3 workers: three shard jobs fill the per-item cache,
// then the stage runs once and finds every image there. The expected bytes are a local run's.

const PIPELINE = `stages:
  augment:
    uses: image
    deps: [images]
    outs: [augmented]
    with:
      ops:
        - normalize: { width: 24, height: 24, fit: cover }
        - jitter: { brightness: 0.3, contrast: 0.2, saturation: 0.2, hue: 0.1 }
      copies: 2
      seed: 5
      shards: 3
`;

async function images(): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 12; i++) files[`images/${i % 2 === 0 ? 'cat' : 'dog'}/${String(i).padStart(2, '0')}.jpg`] = await scene(64 + i, 48, i * 29);
  return files;
}

describe('a sharded per-item stage on 3 workers', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start(3);
    await cluster.ready();
  });
  afterAll(async () => cluster?.stop());

  it('gives the bytes of a local run; the shard jobs did the work, the stage run reused it', async () => {
    const files = { ...(await images()), 'pipelines/img.yaml': PIPELINE };
    const local = TempProject.init(files);
    const p = TempProject.init(files);
    try {
      local.dvcts('repro').expectOk();
      mkdirSync(cluster.remote, { recursive: true });
      p.dvcts('remote', 'add', '--default', 'shared', cluster.remote).expectOk();
      const run = await startQueueRepro(p, cluster).done;
      expect(run.code, run.stderr).toBe(0);
      expect(filesBelow(p.path('augmented'))).toEqual(filesBelow(local.path('augmented')));
      expect(p.read('pipelines/img.lock')).toBe(local.read('pipelines/img.lock'));
      const shardLines = [...run.stderr.matchAll(/shard (\d)\/3: (\d+) of 12 source images, (\d+) processed/g)];
      expect(shardLines.map((m) => m[1]).sort()).toEqual(['1', '2', '3']);
      expect(shardLines.reduce((n, m) => n + Number(m[3]), 0)).toBe(12); // every source in exactly one shard
      expect(run.stderr).toMatch(/12 source images: 0 processed, 12 reused from the cache/);
      expect(cluster.workers.filter((w) => /shard \d\/3/.test(w.log)).length).toBeGreaterThan(1); // spread over workers
    } finally {
      local.cleanup();
      p.cleanup();
    }
  }, 180_000);
});
