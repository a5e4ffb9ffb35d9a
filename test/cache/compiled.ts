import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

let built: Promise<string> | undefined;
let outDir: string | undefined;

/**
 * Child processes (real concurrency, SIGKILL) need JavaScript: compile src/cache once per test
 * file into a temp folder and return the URL of its index.js.
 */
export function compiledCache(): Promise<string> {
  built ??= (async () => {
    outDir = await mkdtemp(join(tmpdir(), 'dvcts-cache-build-'));
    const repo = resolve(import.meta.dirname, '../..');
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const args = ['--outDir', outDir, '--rootDir', join(repo, 'src'), '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
      '--target', 'ES2022', '--strict', '--skipLibCheck', '--types', 'node', join(repo, 'src/cache/index.ts')];
    await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: repo });
    // The compiled files import xxhash-wasm: let them resolve the repo's packages.
    await symlink(join(repo, 'node_modules'), join(outDir, 'node_modules'));
    return 'file://' + join(outDir, 'cache/index.js');
  })();
  return built;
}

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});
