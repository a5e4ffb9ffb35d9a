// Issue 2 figures: `dvcts status` and a no-op `dvcts repro` on a generated project with 200 stages,
// and `dvcts --version` as the start-up floor (baseline: `node -e 0`, the bare runtime start).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { fmt, timeCommand } from './_timing.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'dvcts.js');
const STAGES = 200;
const root = mkdtempSync(join(tmpdir(), 'dvcts-bench-engine-'));
try {
  spawnSync(process.execPath, [CLI, 'init'], { cwd: root });
  mkdirSync(join(root, 'data'));
  // 20 independent chains of 10 stages, each stage reading the previous output and a param.
  let yaml = 'stages:\n';
  for (let c = 0; c < 20; c++) {
    writeFileSync(join(root, 'data', `in${c}.txt`), `chain ${c}\n`);
    for (let s = 0; s < STAGES / 20; s++) {
      const dep = s === 0 ? `data/in${c}.txt` : `data/c${c}s${s - 1}.txt`;
      yaml += `  c${c}s${s}:\n    cmd: cp ${dep} data/c${c}s${s}.txt\n    deps: [${dep}]\n    params: [p.c${c}]\n    outs: [data/c${c}s${s}.txt]\n`;
    }
  }
  writeFileSync(join(root, 'pipelines', 'gen.yaml'), yaml);
  writeFileSync(join(root, 'params.yaml'), `p:\n${Array.from({ length: 20 }, (_, c) => `  c${c}: ${c}\n`).join('')}`);
  const first = timeCommand(process.execPath, [CLI, 'repro'], { cwd: root, runs: 1 });
  const status = timeCommand(process.execPath, [CLI, 'status'], { cwd: root });
  const noop = timeCommand(process.execPath, [CLI, 'repro'], { cwd: root });
  const version = timeCommand(process.execPath, [CLI, '--version'], { cwd: root, runs: 9 });
  const node = timeCommand(process.execPath, ['-e', '0'], { runs: 9 });
  console.log(`project: ${STAGES} cmd stages (20 chains x 10), medians of ${status.runs} runs`);
  console.log(`first repro (runs all ${STAGES}):  ${fmt(first.median)}`);
  console.log(`dvcts status (no-op):          ${fmt(status.median)}`);
  console.log(`dvcts repro (no-op):           ${fmt(noop.median)}`);
  console.log(`dvcts --version:               ${fmt(version.median)}   (node -e 0: ${fmt(node.median)}, ratio ${(version.median / node.median).toFixed(2)}x)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
