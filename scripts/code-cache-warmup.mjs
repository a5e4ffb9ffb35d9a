// Makes the V8 code cache of the CLI's chunks (dist/bin/*.js.cache, read by cli-entry.cjs): runs
// the commands whose start-up matters most in a small throwaway project, with
// DVCTS_CODE_CACHE=write. A chunk's cache is written by the first command that loads it and holds
// the functions that command compiled, so `status` (the one run most often, and the one that must
// start fastest) goes first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PIPELINE = `stages:
  copy:
    cmd: cp data/files/f0.txt copied.txt
    deps: [data/files/f0.txt]
    outs: [copied.txt]
`;

/** `entry`: dist/bin/dvcts.js. Throws if a command fails: the CLI just built does not work. */
export function warmCodeCache(entry) {
  const project = mkdtempSync(join(tmpdir(), 'dvcts-code-cache-'));
  const run = (args, writeCache = true) => {
    const r = spawnSync(process.execPath, [entry, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, DVCTS_CODE_CACHE: writeCache ? 'write' : '' } });
    if (r.status !== 0) throw new Error(`code cache warm-up: dvcts ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  };
  try {
    const git = spawnSync('git', ['init', '-q'], { cwd: project });
    if (git.status !== 0) throw new Error(`code cache warm-up: git init failed: ${git.stderr}`);
    mkdirSync(join(project, 'data', 'files'), { recursive: true });
    mkdirSync(join(project, 'pipelines'));
    for (let i = 0; i < 20; i++) writeFileSync(join(project, 'data', 'files', `f${i}.txt`), `file ${i}\n`);
    writeFileSync(join(project, 'pipelines', 'copy.yaml'), PIPELINE);
    run(['init'], false);
    run(['add', 'data/files'], false);
    run(['repro'], false);
    run(['status']);
    writeFileSync(join(project, 'data', 'files', 'f1.txt'), 'changed\n');
    run(['add', 'data/files']);
    rmSync(join(project, 'data', 'files'), { recursive: true });
    run(['checkout']);
    run(['repro', '--force']);
    run(['--version']);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
