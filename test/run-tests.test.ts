import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The summary line CI reads, from the real runner on small fixture projects
 * (test/fixtures/run-tests/*: a tsconfig, a vitest config and *.fixture.ts files). The expected
 * counts are read off the fixture files by hand.
 */
const REPO = resolve(import.meta.dirname, '..');

function runTests(fixture: string): Promise<{ status: number | null; lines: string[]; out: string }> {
  const root = join(REPO, 'test/fixtures/run-tests', fixture);
  const child = spawn(process.execPath, [join(REPO, 'scripts/run-tests.mjs'), '--root', root], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, lines: stdout.trimEnd().split('\n'), out: stdout + stderr })));
}

describe.concurrent('scripts/run-tests.mjs (the summary line of `npm test`)', () => {
  it('counts one failing test inside nested describes once, with the skipped one', async () => {
    const run = await runTests('nested');
    // a.fixture.ts: 2 pass, 1 fails (3 describes deep), 1 skipped; b.fixture.ts: 1 passes.
    expect(run.lines.at(-1)).toBe('3 passed, 1 failed, 1 skipped');
    expect(run.status).toBe(1);
    const report = join(REPO, 'test/fixtures/run-tests/nested/test-results/vitest.json');
    expect(run.out).toContain(`JSON report written to ${report}`);
    expect(existsSync(report)).toBe(true); // the path it printed is still there
    expect(JSON.parse(readFileSync(report, 'utf8')).numTotalTests).toBe(5);
  });

  it('counts an unhandled rejection as a failure although every test passed', async () => {
    const run = await runTests('rejection');
    expect(run.lines.at(-1)).toBe('2 passed, 1 failed, 0 skipped');
    expect(run.lines.at(-2)).toMatch(/unhandled error or rejection/);
    expect(run.status).toBe(1);
  });

  it('prints a failing line when the build (tsc) fails, and runs no test', async () => {
    const run = await runTests('tsc-error');
    expect(run.out).toContain("a.fixture.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(run.lines.at(-1)).toBe('0 passed, 1 failed, 0 skipped');
    expect(run.out).not.toContain('would pass if it ever ran');
    expect(run.status).toBe(1);
  });
});
