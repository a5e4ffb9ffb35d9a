// Quality of the `synonyms` built-in on real e-mail text (test/fixtures/spam-assassin-paragraphs.csv,
// public SpamAssassin corpus): how many replacements damaged a token (URL, e-mail address, domain,
// handle, number, token with digits or inner capitals) and how many changed the part of speech,
// this build against a baseline build of an earlier revision, in one run.
//
//   npm run bench synonyms-quality                 # baseline: the synonyms stage before issue 12
//   BASELINE_REV=<rev> npm run bench synonyms-quality
//
// The audit (test/helpers/replacement-audit.mjs) diffs each copy against its source row and tags
// both with compromise, a tagger independent of the stage's own (natural's Brill tagger).
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nlp from 'compromise';
import Papa from 'papaparse';
import { damagedTokens, posMismatches } from '../test/helpers/replacement-audit.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(repo, 'test/fixtures/spam-assassin-paragraphs.csv');
const BASELINE_REV = process.env.BASELINE_REV ?? '598033b'; // synonyms version 1 (issue 12's report)
const SEEDS = [1, 2, 3];
const WITH = { column: 'text', p: 0.15, copies: 2, id_column: 'id' };

const variants = [
  { name: `baseline ${BASELINE_REV}`, dist: buildBaseline(BASELINE_REV) },
  { name: 'this build', dist: join(repo, 'dist') },
];
const results = [];
for (const variant of variants) results.push({ name: variant.name, ...(await measure(variant.dist)) });

console.log(`corpus: ${FIXTURE.slice(repo.length + 1)} (${rowsOf(readFileSync(FIXTURE, 'utf8')).length} rows), seeds ${SEEDS.join(',')}, with ${JSON.stringify(WITH)}`);
console.log('variant                | replacements | damaged tokens      | POS mismatches');
for (const r of results) {
  const pct = (n) => `${n} (${((100 * n) / Math.max(1, r.replacements)).toFixed(2)}%)`;
  console.log(`${r.name.padEnd(22)} | ${String(r.replacements).padStart(12)} | ${pct(r.damaged.length).padEnd(19)} | ${pct(r.mismatches.length)}`);
}
for (const r of results) {
  console.log(`\n${r.name}: damaged by kind ${JSON.stringify(countBy(r.damaged, (d) => d.kind))}`);
  for (const d of r.damaged.slice(0, 5)) console.log(`  ${d.chunk} -> ${d.became}`);
  console.log(`${r.name}: POS mismatches, first 8`);
  for (const m of r.mismatches.slice(0, 8)) console.log(`  ${m.word}/${m.was} -> ${m.replacement}/${m.now}`);
}

async function measure(dist) {
  const { run } = await import(pathToFileURL(join(dist, 'stages/synonyms/run.js')).href);
  const { synonymsStage } = await import(pathToFileURL(join(dist, 'stages/synonyms/definition.js')).href);
  const defaults = Object.fromEntries(
    Object.entries(synonymsStage.options.properties).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]),
  );
  const totals = { replacements: 0, damaged: [], mismatches: [] };
  for (const seed of SEEDS) {
    const root = mkdtempSync(join(tmpdir(), 'dvcts-bench-synonyms-'));
    try {
      copyFileSync(FIXTURE, join(root, 'in.csv'));
      await run(contextOf(root, { ...defaults, source: 'wordnet', ...WITH, seed }));
      totals.replacements += JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')).words_replaced;
      const rows = rowsOf(readFileSync(join(root, 'out.csv'), 'utf8'));
      const sources = new Map(rows.filter((r) => r.aug_method === '').map((r) => [r.id, r.text]));
      for (const copy of rows.filter((r) => r.aug_method !== '')) {
        const source = sources.get(copy.aug_source);
        totals.damaged.push(...damagedTokens(source, copy.text));
        totals.mismatches.push(...posMismatches(nlp, source, copy.text));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return totals;
}

function contextOf(root, options) {
  return {
    root,
    wdir: root,
    deps: [join(root, 'in.csv')],
    outs: [join(root, 'out.csv')],
    metrics: [join(root, 'report.json')],
    options,
    log: () => {},
    progress: () => {},
    itemCache: { get: async () => undefined, put: async () => {}, putMany: async () => {} },
    signal: new AbortController().signal,
  };
}

/** The baseline revision's src/ compiled once into a cached temp folder (node_modules linked). */
function buildBaseline(rev) {
  const commit = execFileSync('git', ['rev-parse', '--short=12', rev], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `dvcts-bench-baseline-${commit}`);
  if (existsSync(join(dir, 'dist/stages/synonyms/run.js'))) return join(dir, 'dist');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${commit} src tsconfig.json package.json | tar -x -C ${JSON.stringify(dir)}`, { cwd: repo });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  console.log(`building baseline ${commit} in ${dir}`);
  execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  return join(dir, 'dist');
}

function rowsOf(csv) {
  return Papa.parse(csv, { header: true, skipEmptyLines: true }).data;
}

function countBy(items, key) {
  const out = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}
