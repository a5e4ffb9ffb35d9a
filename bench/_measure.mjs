// Timing with an untimed reset before each run, and peak RSS of the measured process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const rssFile = join(tmpdir(), `dvcts-bench-rss-${process.pid}`);

/**
 * Runs `cmd args` `runs` times (calling `before()` untimed first each time) and returns the
 * median wall time and the median peak RSS (KiB, from GNU time's %M; undefined without it).
 */
export function measure(cmd, args, { runs = 3, cwd, before } = {}) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const withTime = existsSync(GNU_TIME);
    const [file, argv] = withTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (withTime) rss.push(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()));
  }
  rmSync(rssFile, { force: true });
  return { ms: median(times), rssKiB: rss.length > 0 ? median(rss) : undefined, runs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function sh(command, cwd) {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return r.stdout;
}
