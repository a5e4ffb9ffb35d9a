// `npm test`: builds (tsc, then the CLI bundle), runs vitest, and ends with the plain "N passed, N failed, N skipped"
// line CI reads (vitest does not print one). The line is honest: counts come from vitest's
// per-test results; a file that failed outside its tests (import error, failing hook), an
// unhandled error, or a failed build each count as a failure, and any failed run exits non-zero.
//   node scripts/run-tests.mjs [--root DIR] [vitest arguments...]
// DIR (default: the repository) holds the tsconfig.json and the vitest config; the JSON report
// stays in DIR/test-results/vitest.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Counts from vitest's JSON report and its exit status. `report` is undefined when vitest wrote
 * none. Returns the counts and why failures were added beyond failed tests.
 */
export function summarise(report, status) {
  const notes = [];
  if (report === undefined) {
    notes.push('vitest wrote no results: the run itself broke (see above)');
    return { passed: 0, failed: 1, skipped: 0, notes };
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') failed++;
      else skipped++; // skipped, pending, todo
    }
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed++;
      notes.push(`${file.name}: failed outside its tests: ${firstLine(file.message) || 'see above'}`);
    }
  }
  if (failed === 0 && (status !== 0 || report.success === false)) {
    failed = 1;
    notes.push(`vitest failed (exit status ${status}) although no test did: an unhandled error or rejection (see above)`);
  }
  return { passed, failed, skipped, notes };
}

export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

function firstLine(text) {
  return String(text ?? '').split('\n')[0].trim();
}

function main(argv) {
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 ? resolve(argv[rootAt + 1]) : REPO;
  const vitestArgs = rootAt >= 0 ? [...argv.slice(0, rootAt), ...argv.slice(rootAt + 2)] : argv;

  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  // The tests run the CLI as users do: the bundle `npm run build` makes after tsc (dist/bin/).
  const bundle = tsc.status === 0 && root === REPO ? spawnSync(process.execPath, [join(REPO, 'scripts/bundle-cli.mjs')], { stdio: 'inherit' }) : tsc;
  if (tsc.status !== 0 || bundle.status !== 0) {
    console.log(`The build (${tsc.status !== 0 ? 'tsc' : 'CLI bundle'}) failed: no test ran.`);
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }

  const resultsDir = join(root, 'test-results');
  const results = join(resultsDir, 'vitest.json');
  rmSync(results, { force: true }); // never read a report of an earlier run
  mkdirSync(resultsDir, { recursive: true });
  const run = spawnSync(
    process.execPath,
    [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, '--reporter=default', '--reporter=json', `--outputFile=${results}`, ...vitestArgs],
    { stdio: 'inherit' },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    report = undefined;
  }
  const summary = summarise(report, run.status ?? 1);
  for (const note of summary.notes) console.log(note);
  console.log(summaryLine(summary));
  return summary.failed > 0 || run.status !== 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
