import { metricsDiff } from '../../api/metrics-diff.js';
import { printChanges, type CompareFlags } from './compare.js';
import { metricsShow } from '../../api/metrics.js';
import { styleFor } from '../../report/style.js';

export async function metricsShowCommand(targets: string[], opts: { json?: boolean }): Promise<void> {
  const files = await metricsShow({ targets });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ metrics: files }, null, 2)}\n`);
    return;
  }
  const s = styleFor(process.stdout);
  if (files.length === 0) process.stdout.write('No stage declares metrics.\n');
  for (const f of files) {
    process.stdout.write(`${s.bold(f.path)} ${s.dim(`(${f.stage})`)}\n`);
    if (f.error !== undefined) {
      process.stdout.write(`  ${s.yellow(f.error)}\n`);
      continue;
    }
    const keys = Object.keys(f.values ?? {});
    const width = Math.max(0, ...keys.map((k) => k.length));
    for (const k of keys) process.stdout.write(`  ${k.padEnd(width)}  ${JSON.stringify(f.values![k])}\n`);
  }
}

export async function metricsDiffCommand(a: string | undefined, b: string | undefined, flags: CompareFlags & { targets?: string[] }): Promise<void> {
  const result = await metricsDiff({ ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), all: flags.all === true, targets: flags.targets ?? [] });
  if (!flags.json) for (const p of result.problems) process.stderr.write(`note: ${p.path} at ${p.side}: ${p.message}\n`);
  printChanges('Metric', result, flags);
}
