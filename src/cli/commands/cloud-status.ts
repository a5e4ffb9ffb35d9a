import { cloudStatus, type CloudState } from '../../api/cloud-status.js';
import { describeRemote } from '../../remote/errors.js';
import { styleFor } from '../../report/style.js';
import type { ScopeFlags } from '../scope-flags.js';
import { scopeOf } from '../scope-flags.js';

const WHAT_TO_DO: Record<Exclude<CloudState, 'in-sync'>, string> = {
  'local-only': 'only in the local cache: dvcts push',
  'remote-only': 'only on the remote: dvcts fetch / pull',
  mixed: 'partly only here, partly only there: dvcts push and dvcts fetch',
  missing: 'in neither the cache nor the remote: reproduce or re-add it',
};

/** `dvcts status --cloud`: every output not in sync, grouped by what to do about it. */
export async function cloudStatusCommand(targets: string[], f: ScopeFlags & { remote?: string; rev?: string; jobs?: number; json?: boolean }): Promise<void> {
  const result = await cloudStatus({
    targets,
    scope: scopeOf(f),
    ...(f.remote !== undefined ? { remote: f.remote } : {}),
    ...(f.rev !== undefined ? { rev: f.rev } : {}),
    ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
  });
  if (f.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const s = styleFor(process.stdout);
  const remote = describeRemote(result.remote);
  const behind = result.outputs.filter((o) => o.state !== 'in-sync');
  if (behind.length === 0) {
    process.stdout.write(`Cache and remote ${remote} are in sync (${result.outputs.length} output(s)).\n`);
    return;
  }
  process.stdout.write(`Compared with remote ${remote}:\n`);
  for (const state of Object.keys(WHAT_TO_DO) as (keyof typeof WHAT_TO_DO)[]) {
    const outputs = behind.filter((o) => o.state === state);
    if (outputs.length === 0) continue;
    process.stdout.write(`${s.bold(`${state}`)} (${WHAT_TO_DO[state]}):\n`);
    for (const o of outputs) {
      const n = o.objects;
      const detail = n.total > 1 ? ` (${n.total} objects: ${n.localOnly} local only, ${n.remoteOnly} remote only, ${n.missing} in neither)` : '';
      process.stdout.write(`  ${s.yellow(o.path)}${detail}\n`);
    }
  }
  process.stdout.write(`${result.outputs.length - behind.length} output(s) in sync\n`);
}
