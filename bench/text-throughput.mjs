// Throughput of the `encoding` and `dropna` built-ins against papaparse alone, on a generated GBK CSV.
// Run after building: `npx tsc -p tsconfig.json && node bench/text-throughput.mjs` (BENCH_MB=1024 by default).
// Each measurement runs in its own child process, which reports its rows, seconds and peak RSS.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = resolve(process.env.DVCTS_DIST ?? join(repo, 'dist'));
const targetBytes = Number(process.env.BENCH_MB ?? 1024) * 1024 * 1024;

if (process.argv[2] === 'child') await child(process.argv[3], process.argv.slice(4));
else await main();

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'dvcts-bench-'));
  try {
    const gbk = join(dir, 'big.gbk.csv');
    const rows = await generate(gbk);
    const size = (await stat(gbk)).size;
    console.log(`generated ${gbk}: ${(size / 2 ** 20).toFixed(0)} MiB, ${rows} rows (GBK)\n`);
    const utf8 = join(dir, 'big.csv');
    const results = {
      'papaparse (iconv-lite GBK decode stream + Papa.parse step)': measure('papa-gbk', [gbk]),
      'encoding gbk -> utf-8': measure('encoding', [gbk, utf8]),
      'papaparse (UTF-8, Papa.parse step)': measure('papa-utf8', [utf8]),
      'dropna (columns text,dynasty)': measure('dropna', [utf8, join(dir, 'clean.csv')]),
    };
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name.padEnd(70)} ${String(r.rows).padStart(9)} rows ${r.seconds.toFixed(2).padStart(7)} s ${Math.round(r.rows / r.seconds).toLocaleString('en').padStart(11)} rows/s  peak RSS ${Math.round(r.maxRssKb / 1024)} MiB`);
    }
    const rate = (r) => r.rows / r.seconds;
    const [papaGbk, enc, papaUtf8, drop] = Object.values(results);
    console.log(`encoding / papaparse(GBK)      = ${(rate(enc) / rate(papaGbk)).toFixed(2)}  (goal >= 0.8)`);
    console.log(`dropna / papaparse(UTF-8)      = ${(rate(drop) / rate(papaUtf8)).toFixed(2)}  (goal >= 0.8)`);
    console.log(`encoding+dropna / papaparse(GBK), rows over the summed time = ${(drop.rows / (enc.seconds + drop.seconds) / rate(papaGbk)).toFixed(2)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function measure(kind, args) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child', kind, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
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

async function child(kind, args) {
  const started = process.hrtime.bigint();
  let rows = 0;
  if (kind === 'papa-gbk' || kind === 'papa-utf8') {
    const { default: Papa } = await import('papaparse');
    const iconv = (await import('iconv-lite')).default;
    // Papa.parse(readable, { step }) is papaparse's own streaming mode (its NODE_STREAM_INPUT duplex was
    // ~100x slower here, so it would flatter the stages).
    let stream = createReadStream(args[0], { highWaterMark: 1 << 20 });
    stream = kind === 'papa-gbk' ? stream.pipe(iconv.decodeStream('gbk')) : stream.setEncoding('utf8');
    await new Promise((resolve, reject) => {
      Papa.parse(stream, { header: false, step: () => rows++, complete: resolve, error: reject });
    });
    rows -= 1; // the header
  } else {
    const module = await import(pathToFileURL(join(dist, `stages/${kind}/definition.js`)).href);
    const def = module[`${kind}Stage`];
    const options = kind === 'encoding' ? { from: 'gbk', to: 'utf-8' } : { columns: ['text', 'dynasty'] };
    const defaults = Object.fromEntries(Object.entries(def.options.properties).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    const report = join(dirname(args[1]), `${kind}.report.json`);
    const runner = await def.load();
    await runner.run({
      root: dirname(args[0]), wdir: dirname(args[0]), deps: [args[0]], outs: [args[1], report], metrics: [report],
      options: { ...defaults, ...options }, log: () => {}, itemCache: null, signal: new AbortController().signal,
    });
    const r = JSON.parse(readFileSync(report, 'utf8'));
    rows = kind === 'encoding' ? r.rows_in - 1 : r.rows_in; // encoding counts lines, header included
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ rows, seconds, maxRssKb: process.resourceUsage().maxRSS }));
}
