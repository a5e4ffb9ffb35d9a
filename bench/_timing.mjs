// Shared helpers for benchmark scripts: run a command N times and report the median wall time.
import { spawnSync } from 'node:child_process';

export function timeCommand(cmd, args, opts = {}) {
  const runs = opts.runs ?? 5;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: opts.cwd, stdio: opts.stdio ?? 'ignore', env: { ...process.env, ...(opts.env ?? {}) } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], runs };
}

export function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
