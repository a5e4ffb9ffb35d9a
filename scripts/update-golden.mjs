// Rewrites the golden files of test/stages/synonyms/golden/ from golden-cases.json, by running
// each case through the built CLI (`npm run build` first). Tests only compare against these
// files; review `git diff` before committing what this writes.
//   npm run golden
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CASES = join(REPO, 'test/stages/synonyms/golden-cases.json');
const GOLDEN = join(REPO, 'test/stages/synonyms/golden');

for (const c of JSON.parse(readFileSync(CASES, 'utf8')).cases) {
  const dir = mkdtempSync(join(tmpdir(), 'dvcts-golden-'));
  try {
    const cli = (...args) => {
      const run = spawnSync(process.execPath, [join(REPO, 'dist/bin/dvcts.js'), ...args], { cwd: dir, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`dvcts ${args.join(' ')} failed for ${c.name}:\n${run.stderr}`);
    };
    cli('init');
    const deps = ['input.csv'];
    copyFileSync(join(REPO, c.input), join(dir, 'input.csv'));
    const options = { ...c.with };
    if (c.dictionary) {
      copyFileSync(join(REPO, c.dictionary), join(dir, basename(c.dictionary)));
      deps.push(basename(c.dictionary));
      options.dictionary = basename(c.dictionary);
    }
    mkdirSync(join(dir, 'pipelines'), { recursive: true });
    const stage = { stages: { golden: { uses: 'synonyms', deps, outs: ['out.csv'], with: options } } };
    writeFileSync(join(dir, 'pipelines/golden.yaml'), JSON.stringify(stage, null, 2));
    cli('repro');
    copyFileSync(join(dir, 'out.csv'), join(GOLDEN, c.name));
    console.log(`wrote ${join('test/stages/synonyms/golden', c.name)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
