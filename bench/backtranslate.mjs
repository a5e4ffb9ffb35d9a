// `backtranslate` (Apertium CLI, eng -> spa -> eng) on 1,000 real State of the Union sentences
// against piping the same sentences straight through `apertium eng-spa | apertium spa-eng`
// (sentences/s; goal: the stage reaches >= 0.8 of that rate), then a rerun after adding 10 rows
// (its time and how many sentences it translated vs took from the per-item cache).
// The machine is shared: pipe and stage runs alternate, ROUNDS times, and medians are compared.
// Run after building: `npx tsc -p tsconfig.json && node bench/backtranslate.mjs`.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = resolve(process.env.DVCTS_DIST ?? join(repo, 'dist'));
const SENTENCES = 1000;
const ADDED = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const { run } = await import(pathToFileURL(join(dist, 'stages/backtranslate/run.js')).href);
const { backtranslateStage } = await import(pathToFileURL(join(dist, 'stages/backtranslate/definition.js')).href);
const { openItemCache } = await import(pathToFileURL(join(dist, 'cache/item-cache.js')).href);

const csv = await readFile(join(repo, 'datasets/raw/sotu.csv'), 'utf8');
const parsed = Papa.parse(csv, { header: true, skipEmptyLines: true });
if (parsed.data.length < SENTENCES + ADDED) throw new Error(`datasets/raw/sotu.csv has ${parsed.data.length} rows, need ${SENTENCES + ADDED}`);
const dir = await mkdtemp(join(tmpdir(), 'dvcts-bench-bt-'));
try {
  const table = (n) => `${Papa.unparse(parsed.data.slice(0, n), { newline: '\n' })}\n`;
  const sentences = parsed.data.slice(0, SENTENCES).map((r) => r.text.trim());
  await writeFile(join(dir, 'sentences.txt'), `${sentences.join('\n')}\n`);

  // Baseline: one sentence per line, straight through the two directions.
  const direct = () => {
    const t0 = performance.now();
    execFileSync('bash', ['-c', 'apertium -u eng-spa "$0" | apertium -u spa-eng > "$1"', join(dir, 'sentences.txt'), join(dir, 'direct.txt')]);
    return (performance.now() - t0) / 1000;
  };

  let itemCache;
  const options = {};
  for (const [name, p] of Object.entries(backtranslateStage.options.properties)) if (p.default !== undefined) options[name] = p.default;
  const stage = async (n, label) => {
    await writeFile(join(dir, 'in.csv'), table(n));
    const log = [];
    const ctx = {
      root: dir,
      wdir: dir,
      deps: [join(dir, 'in.csv')],
      outs: [join(dir, 'out.csv'), join(dir, `${label}.json`)],
      metrics: [join(dir, `${label}.json`)],
      options: { ...options, column: 'text' },
      log: (line) => log.push(line),
      itemCache,
      signal: new AbortController().signal,
    };
    const start = performance.now();
    await run(ctx);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, report: JSON.parse(await readFile(join(dir, `${label}.json`), 'utf8')), log };
  };

  const directTimes = [];
  const stageRuns = [];
  for (let round = 0; round < ROUNDS; round++) {
    directTimes.push(direct());
    itemCache = openItemCache(join(dir, `.dvcts-${round}/cache`)); // cold cache each round
    stageRuns.push(await stage(SENTENCES, 'first'));
  }
  const rerun = await stage(SENTENCES + ADDED, 'rerun');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const directSeconds = median(directTimes);
  const first = stageRuns.find((r) => r.seconds === median(stageRuns.map((x) => x.seconds)));

  console.log(`${ROUNDS} alternating rounds; pipe: ${directTimes.map((t) => t.toFixed(2)).join(' ')} s; stage: ${stageRuns.map((r) => r.seconds.toFixed(2)).join(' ')} s`);
  const directRate = SENTENCES / directSeconds;
  const stageRate = SENTENCES / first.seconds;
  console.log(`apertium eng-spa | apertium spa-eng (direct pipe) ${SENTENCES} sentences, median ${directSeconds.toFixed(2)} s  ${directRate.toFixed(0)} sentences/s`);
  console.log(`backtranslate (apertium, cold cache)              ${SENTENCES} sentences, median ${first.seconds.toFixed(2)} s  ${stageRate.toFixed(0)} sentences/s  (${first.log[0]}; engine ${JSON.stringify(first.report.engine)})`);
  console.log(`backtranslate / direct pipe = ${(stageRate / directRate).toFixed(2)}  (goal >= 0.8)`);
  console.log(`rerun after adding ${ADDED} rows: ${rerun.seconds.toFixed(2)} s, translated ${rerun.report.sentences.translated}, from cache ${rerun.report.sentences.cached}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
