// Interleaved measurement for noisy machines: every contender runs once per round, rounds repeat,
// and each figure is the median over rounds of wall time, user CPU, sys CPU and peak RSS (GNU time).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const timeFile = join(tmpdir(), `dvcts-bench-time-${process.pid}`);

/** One run of `cmd args` in `cwd`: { wall, user, sys } in seconds and rssMB (peak resident set). */
function runOnce(cmd, args, cwd, env) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed for user/sys CPU and peak RSS`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: env === undefined ? process.env : { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal ?? r.error}: ${(r.stderr ?? '').slice(-2000)}`);
  const [user, sys, rssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(timeFile, { force: true });
  return { wall, user, sys, rssMB: rssKiB / 1024 };
}

/**
 * Runs `rounds` rounds; in each, every contender's `before()` (untimed) then its command, in the
 * listed order (`rotate`: round r starts at the r-th contender, so none always runs first or right
 * after the same neighbour). `warmup` rounds run first and are not counted. Returns
 * name -> medians { wall, user, sys, rssMB, runs, samples }.
 */
export function interleave(contenders, rounds, { warmup = 0, rotate = false } = {}) {
  const samples = new Map(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    const shift = rotate ? round % contenders.length : 0;
    for (const c of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      c.before?.();
      const sample = runOnce(c.cmd, c.args, c.cwd, c.env);
      if (round >= warmup) samples.get(c.name).push(sample);
      c.after?.();
    }
  }
  const result = new Map();
  for (const [name, runs] of samples) {
    result.set(name, {
      wall: median(runs.map((r) => r.wall)),
      user: median(runs.map((r) => r.user)),
      sys: median(runs.map((r) => r.sys)),
      rssMB: median(runs.map((r) => r.rssMB)),
      runs: runs.length,
      samples: runs,
    });
  }
  return result;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function load() {
  return loadavg().map((l) => l.toFixed(1)).join(' ');
}

export function sh(command, cwd) {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return r.stdout;
}
