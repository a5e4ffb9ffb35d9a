import { remoteAdd, remoteDefault, remoteList, remoteModify, remoteRemove } from '../../api/remote.js';
import { CONFIG_FILES } from '../../api/remote-config.js';

export async function remoteAddCommand(name: string, url: string, f: { default?: boolean; local?: boolean; force?: boolean }): Promise<void> {
  const r = await remoteAdd({ name, url, isDefault: f.default ?? false, local: f.local ?? false, force: f.force ?? false });
  const note = r.isDefault ? ' (default)' : '';
  process.stdout.write(`Added remote '${r.name}' -> ${r.url}${note} in ${CONFIG_FILES[r.file]}\n`);
}

export async function remoteListCommand(f: { json?: boolean }): Promise<void> {
  const remotes = await remoteList();
  if (f.json) {
    process.stdout.write(`${JSON.stringify(remotes, null, 2)}\n`);
    return;
  }
  if (remotes.length === 0) {
    process.stdout.write('No remotes. Add one with `dvcts remote add --default NAME URL`.\n');
    return;
  }
  for (const r of remotes) {
    const options = Object.entries(r.options).map(([k, v]) => `${k}=${String(v)}`);
    // Credentials: only which ones are set, never their values.
    if (r.credentials.length > 0) options.push(`credentials: ${r.credentials.join(', ')} (in ${CONFIG_FILES.local})`);
    process.stdout.write(`${r.name}\t${r.url}${r.isDefault ? '\t(default)' : ''}${options.length > 0 ? `\t${options.join('  ')}` : ''}\n`);
  }
}

export async function remoteRemoveCommand(name: string): Promise<void> {
  await remoteRemove({ name });
  process.stdout.write(`Removed remote '${name}'\n`);
}

export async function remoteModifyCommand(name: string, key: string, value: string | undefined, f: { local?: boolean; unset?: boolean }): Promise<void> {
  const r = await remoteModify({ name, key, local: f.local ?? false, unset: f.unset ?? false, ...(value !== undefined ? { value } : {}) });
  if (f.unset) process.stdout.write(`Unset '${key}' of remote '${name}'\n`);
  else process.stdout.write(`Set '${key}' of remote '${name}' in ${CONFIG_FILES[r.file]}\n`);
  if (r.movedToLocal) process.stderr.write(`note: '${key}' is a credential: it is kept in ${CONFIG_FILES.local} (git-ignored, mode 0600), never in ${CONFIG_FILES.shared}\n`);
}

export async function remoteDefaultCommand(name: string | undefined, f: { unset?: boolean; local?: boolean }): Promise<void> {
  const current = await remoteDefault({ unset: f.unset ?? false, local: f.local ?? false, ...(name !== undefined ? { name } : {}) });
  process.stdout.write(current === undefined ? 'No default remote\n' : `${current}\n`);
}
