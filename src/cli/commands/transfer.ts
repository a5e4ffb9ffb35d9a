import { fetch, pull, type FetchSummary } from '../../api/fetch.js';
import { push } from '../../api/push.js';
import { describeRemote } from '../../remote/errors.js';
import type { RunCacheTransfer } from '../../remote/index.js';
import { formatBytes } from '../../report/format-bytes.js';
import { transferProgress } from '../../report/transfer-progress.js';
import { cleanUpOnInterrupt } from '../interrupt.js';
import { reportSkippedRecords } from '../record-problems.js';
import { scopeOf, type ScopeFlags } from '../scope-flags.js';

export interface TransferFlags extends ScopeFlags {
  remote?: string;
  rev?: string;
  jobs?: number;
  runCache?: boolean;
  force?: boolean;
  wait: boolean;
}

const onWait = (holder: string): void => void process.stderr.write(`waiting for ${holder} to release the project lock...\n`);

function optionsOf(targets: string[], f: TransferFlags) {
  return {
    targets,
    scope: scopeOf(f),
    runCache: f.runCache ?? false,
    wait: f.wait,
    onWait,
    ...(f.remote !== undefined ? { remote: f.remote } : {}),
    ...(f.rev !== undefined ? { rev: f.rev } : {}),
    ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
  };
}

export async function pushCommand(targets: string[], f: TransferFlags): Promise<void> {
  cleanUpOnInterrupt();
  const progress = transferProgress('push');
  const r = await push({ ...optionsOf(targets, f), observer: progress.observer }).finally(() => progress.stop());
  const to = describeRemote(r.remote);
  if (r.pushed === 0) process.stdout.write(`Everything is already on ${to} (${r.present} object(s))\n`);
  else process.stdout.write(`Pushed ${r.pushed} object(s), ${formatBytes(r.bytes)} to ${to}; ${r.present} were already there\n`);
  if (r.runCache) process.stdout.write(runCacheLine('pushed', r.runCache));
  if (r.notInCache.length > 0) {
    const paths = r.notInCache.map((o) => `  ${o.path} (${o.source})`).join('\n');
    process.stderr.write(`warning: ${r.notInCache.length} output(s) are not (completely) in the local cache, so not on the remote either:\n${paths}\n`);
  }
}

export async function fetchCommand(targets: string[], f: TransferFlags): Promise<void> {
  cleanUpOnInterrupt();
  const progress = transferProgress('fetch');
  const r = await fetch({ ...optionsOf(targets, f), observer: progress.observer }).finally(() => progress.stop());
  process.stdout.write(fetchLine(r));
}

export async function pullCommand(targets: string[], f: TransferFlags): Promise<number> {
  cleanUpOnInterrupt();
  const progress = transferProgress('pull');
  const r = await pull({ ...optionsOf(targets, f), force: f.force ?? false, observer: progress.observer }).finally(() => progress.stop());
  process.stdout.write(fetchLine(r));
  for (const o of r.checkout.overwritten) process.stderr.write(`note: overwrote ${o.path}; its previous content is kept in the cache as ${o.saved.id}\n`);
  for (const path of r.checkout.restored) process.stdout.write(`M\t${path}\n`);
  process.stdout.write(`${r.checkout.restored.length} restored, ${r.checkout.unchanged.length} unchanged${f.rev !== undefined ? ` at ${f.rev}` : ''}\n`);
  return reportSkippedRecords(r.checkout.problems, r.checkout.sources);
}

function fetchLine(r: FetchSummary): string {
  const from = describeRemote(r.remote);
  const line =
    r.fetched === 0
      ? `Everything is already in the cache (${r.present} object(s)); nothing fetched from ${from}\n`
      : `Fetched ${r.fetched} object(s), ${formatBytes(r.bytes)} from ${from}; ${r.present} were already in the cache\n`;
  return line + (r.runCache ? runCacheLine('fetched', r.runCache) : '');
}

function runCacheLine(verb: string, r: RunCacheTransfer): string {
  const incomplete = r.incomplete.length > 0 ? `; ${r.incomplete.length} left out (their outputs are not all there)` : '';
  return `Run-cache: ${verb} ${r.transferred} record(s), ${r.present} already there${incomplete}\n`;
}
