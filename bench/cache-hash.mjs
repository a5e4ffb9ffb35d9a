// Cache engine benchmark: hashing throughput (vs the C xxhsum) and state-cache hits.
// Usage: npx tsc -p tsconfig.json && node bench/cache-hash.mjs [--gib N]
// Creates its data under os.tmpdir() and removes it at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


const indexUrl = new URL('../dist/cache/index.js', import.meta.url).href;
const { hashFile, openCache } = await import(indexUrl);
const gibFlag = process.argv.indexOf('--gib');
const gib = gibFlag > 0 ? Number(process.argv[gibFlag + 1]) : 1;
const work = mkdtempSync(join(tmpdir(), 'dvcts-bench-'));

function seconds(fn) {
  const t0 = process.hrtime.bigint();
  const out = fn();
  return out instanceof Promise
    ? out.then(() => Number(process.hrtime.bigint() - t0) / 1e9)
    : Number(process.hrtime.bigint() - t0) / 1e9;
}

async function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await seconds(fn));
  return min;
}

try {
  // 1. Throughput on a page-cached file.
  const big = join(work, 'big.bin');
  const chunk = Buffer.alloc(4 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  const fd = openSync(big, 'w');
  for (let i = 0; i < gib * 256; i++) writeSync(fd, chunk);
  closeSync(fd);
  const bytes = gib * 2 ** 30;
  await hashFile(big); // warm the page cache
  const ours = await best(3, () => hashFile(big));
  const theirs = await best(3, () => execFileSync('xxhsum', ['-H1', big]));
  console.log(`hashFile ${gib} GiB: ${(bytes / ours / 1e9).toFixed(2)} GB/s (${ours.toFixed(3)} s, 2 lanes = 128-bit id)`);
  console.log(`xxhsum -H1 ${gib} GiB: ${(bytes / theirs / 1e9).toFixed(2)} GB/s (${theirs.toFixed(3)} s, 1 lane = 64-bit)`);
  rmSync(big);

  // 2. 10,000 files of 4 KiB: state cache cold vs warm.
  const root = join(work, 'project');
  const dir = join(root, 'data');
  for (let d = 0; d < 100; d++) {
    mkdirSync(join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `d${d}`, `f${f}.bin`), chunk.subarray(d * 100 + f, d * 100 + f + 4096));
  }
  let cache = await openCache({ root });
  const cold = await seconds(() => cache.hashPath(dir));
  const flush = await seconds(() => cache.flush());
  const load = await seconds(async () => (cache = await openCache({ root })));
  const warm = await seconds(() => cache.hashPath(dir));
  console.log(`hashPath 10,000 x 4 KiB: cold ${(cold * 1000).toFixed(0)} ms, warm ${(warm * 1000).toFixed(0)} ms`);
  console.log(`state: flush ${(flush * 1000).toFixed(1)} ms, load ${(load * 1000).toFixed(1)} ms (10,000 entries)`);

  // 3. The whole no-op status as a user sees it: process start + load state + hash 10k files.
  // Wall time is reported with the CPU time the child used (the shared 2-core machine is noisy).
  const script = `const { openCache } = await import(${JSON.stringify(indexUrl)});
    const cache = await openCache({ root: ${JSON.stringify(root)} });
    await cache.hashPath(${JSON.stringify(dir)});
    const cpu = process.cpuUsage();
    console.log((cpu.user + cpu.system) / 1000);`;
  let cpuMs = Infinity;
  const proc = await best(7, () => {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    cpuMs = Math.min(cpuMs, Number(out.stdout));
  });
  const bare = await best(7, () => spawnSync(process.execPath, ['-e', '0']));
  console.log(
    `no-op process on 10,000 files: ${(proc * 1000).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU ` +
      `(bare node start ${(bare * 1000).toFixed(0)} ms)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

