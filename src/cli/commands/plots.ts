import { relative } from 'node:path';
import { plots } from '../../api/plots.js';

export async function plotsCommand(targets: string[], revs: (string | undefined)[], opts: { out: string; json?: boolean }): Promise<void> {
  const result = await plots({ targets, revs, out: opts.out });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const p of result.problems) process.stderr.write(`note: ${p.path} at ${p.side}: ${p.message}\n`);
  process.stdout.write(`${result.plots.length} plot(s) drawn: ${relative(process.cwd(), result.page) || result.page}\n`);
}
