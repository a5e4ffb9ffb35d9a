// Throughput of the `encoding` and `dropna` built-ins against papaparse alone, on a generated GBK CSV.
// Run after building: `npx tsc -p tsconfig.json && node bench/text-throughput.mjs`.
//   BENCH_MB=1024      size of the generated file (default 1 GiB)
//   BENCH_ROUNDS=3     measurements of each kind, interleaved (the machine is shared); medians are compared
//   BENCH_BEFORE_DIST  another build (e.g. of the previous commit) whose stages are measured in the same rounds
// Each measurement runs in its own child process, which first reads its input once (so every
// side starts from the same warm page cache), then times only the work: papaparse's parse, or the
// stage runner's `run()` — module loading and CLI start-up are outside the timer on both sides.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = resolve(process.env.DVCTS_DIST ?? join(repo, 'dist'));
const beforeDist = process.env.BENCH_BEFORE_DIST ? resolve(process.env.BENCH_BEFORE_DIST) : undefined;
const targetBytes = Number(process.env.BENCH_MB ?? 1024) * 1024 * 1024;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

if (process.argv[2] === 'child') await child(process.argv[3], process.argv[4], process.argv.slice(5));
else await main();

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'dvcts-bench-'));
  try {
    const gbk = join(dir, 'big.gbk.csv');
    const rows = await generate(gbk);
    const size = (await stat(gbk)).size;
    console.log(`generated ${gbk}: ${(size / 2 ** 20).toFixed(0)} MiB, ${rows} rows (GBK); ${rounds} interleaved rounds\n`);
    const utf8 = join(dir, 'big.csv');
    const kinds = [
      ['papaparse (iconv-lite GBK decode stream + Papa.parse step)', 'papa-gbk', dist, [gbk]],
      ['encoding gbk -> utf-8', 'encoding', dist, [gbk, utf8]],
      ['papaparse (UTF-8, Papa.parse step)', 'papa-utf8', dist, [utf8]],
      ['dropna (columns text,dynasty)', 'dropna', dist, [utf8, join(dir, 'clean.csv')]],
    ];
    if (beforeDist) {
      kinds.push(['encoding gbk -> utf-8 [before]', 'encoding', beforeDist, [gbk, join(dir, 'before.csv')]]);
      kinds.push(['dropna (columns text,dynasty) [before]', 'dropna', beforeDist, [utf8, join(dir, 'clean.before.csv')]]);
    }
    const runs = new Map(kinds.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, kind, from, args] of kinds) runs.get(name).push(measure(kind, from, args));
    }
    const results = Object.fromEntries([...runs].map(([name, rs]) => [name, summary(rs)]));
    for (const [name, r] of Object.entries(results)) {
      const all = runs.get(name).map((x) => x.seconds.toFixed(2)).join(' ');
      console.log(`${name.padEnd(62)} ${String(r.rows).padStart(9)} rows  median ${r.seconds.toFixed(2).padStart(6)} s ${Math.round(r.rows / r.seconds).toLocaleString('en').padStart(10)} rows/s  peak RSS ${Math.round(r.maxRssKb / 1024)} MiB  (runs: ${all})`);
    }
    const rate = (r) => r.rows / r.seconds;
    const [papaGbk, enc, papaUtf8, drop] = kinds.slice(0, 4).map(([name]) => results[name]);
    console.log(`\nencoding / papaparse(GBK)      = ${(rate(enc) / rate(papaGbk)).toFixed(2)}  (goal >= 0.8)`);
    console.log(`dropna / papaparse(UTF-8)      = ${(rate(drop) / rate(papaUtf8)).toFixed(2)}  (goal >= 0.8)`);
    if (beforeDist) {
      const [encBefore, dropBefore] = kinds.slice(4).map(([name]) => results[name]);
      console.log(`[before] encoding / papaparse(GBK) = ${(rate(encBefore) / rate(papaGbk)).toFixed(2)}, dropna / papaparse(UTF-8) = ${(rate(dropBefore) / rate(papaUtf8)).toFixed(2)}`);
    }
    console.log(`peak RSS of the stages: ${Math.round(Math.max(enc.maxRssKb, drop.maxRssKb) / 1024)} MiB  (goal <= 300)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Median time (rows are the same every run); the highest peak RSS seen. */
function summary(runs) {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { rows: runs[0].rows, seconds: sorted[Math.floor(sorted.length / 2)].seconds, maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)) };
}

function measure(kind, from, args) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child', kind, from, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`${kind} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

/** Repeats the real poems (GBK bytes) with fresh ids until the file reaches the target size; 1 in 50 rows has no text. */
async function generate(path) {
  const lines = readFileSync(join(repo, 'datasets/raw/poems.gbk.csv')).toString('latin1').split('\n').filter(Boolean);
  const header = lines.shift();
  const bodies = lines.map((l) => l.slice(l.indexOf(',')));
  const out = createWriteStream(path);
  out.write(Buffer.from(header + '\n', 'latin1'));
  let bytes = 0;
  let rows = 0;
  while (bytes < targetBytes) {
    const parts = [];
    for (let k = 0; k < 10_000; k++, rows++) {
      const body = bodies[rows % bodies.length];
      const row = rows % 50 === 49 ? `${rows},tang,x,y,,\n` : `${rows}${body}\n`;
      parts.push(row);
      bytes += row.length;
    }
    if (!out.write(Buffer.from(parts.join(''), 'latin1'))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return rows;
}

/** Reads the file once so that it is in the page cache, whichever side runs first. */
async function warm(path) {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) void chunk;
}

async function child(kind, from, args) {
  await warm(args[0]);
  let rows = 0;
  let started;
  let seconds;
  if (kind === 'papa-gbk' || kind === 'papa-utf8') {
    const { default: Papa } = await import('papaparse');
    const iconv = (await import('iconv-lite')).default;
    started = process.hrtime.bigint();
    // Papa.parse(readable, { step }) is papaparse's own streaming mode, with no output at all. Its
    // `chunk` callback was slower here (1.42 s vs 1.25 s on 150 MB) and NODE_STREAM_INPUT ~100x
    // slower, so `step` is the strongest papaparse baseline.
    let stream = createReadStream(args[0], { highWaterMark: 1 << 20 });
    stream = kind === 'papa-gbk' ? stream.pipe(iconv.decodeStream('gbk')) : stream.setEncoding('utf8');
    await new Promise((resolve, reject) => {
      Papa.parse(stream, { header: false, step: () => rows++, complete: resolve, error: reject });
    });
    rows -= 1; // the header
  } else {
    const module = await import(pathToFileURL(join(from, `stages/${kind}/definition.js`)).href);
    const def = module[`${kind}Stage`];
    const options = kind === 'encoding' ? { from: 'gbk', to: 'utf-8' } : { columns: ['text', 'dynasty'] };
    const defaults = Object.fromEntries(Object.entries(def.options.properties).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    const report = join(dirname(args[1]), `${kind}.report.json`);
    const runner = await def.load();
    started = process.hrtime.bigint();
    await runner.run({
      root: dirname(args[0]), wdir: dirname(args[0]), deps: [args[0]], outs: [args[1], report], metrics: [report],
      options: { ...defaults, ...options }, log: () => {}, itemCache: null, signal: new AbortController().signal,
    });
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    rows = kind === 'encoding' ? r.rows_in - 1 : r.rows_in; // encoding counts lines, header included
  }
  seconds ??= Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ rows, seconds, maxRssKb: process.resourceUsage().maxRSS }));
}
