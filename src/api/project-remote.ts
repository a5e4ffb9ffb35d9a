import { cacheDirOf } from '../cache/index.js';
import { didYouMean } from '../core/suggest.js';
import { noRemoteError, unknownRemoteError } from '../remote/errors.js';
import { Remote, type TransferObserver } from '../remote/index.js';
import { remoteSpecOf } from '../remote/spec.js';
import { CONFIG_FILES, loadRemotesConfig } from './remote-config.js';

export interface RemoteChoice {
  /** A remote's name; default: `core.remote`, else the only remote configured. */
  readonly remote?: string;
  readonly jobs?: number;
  readonly observer?: TransferObserver;
}

/** Opens the project's remote (named, default, or the only one) bound to the project's cache. */
export async function openProjectRemote(root: string, choice: RemoteChoice = {}): Promise<Remote> {
  const config = await loadRemotesConfig(root);
  const known = [...config.remotes.keys()];
  const name = choice.remote ?? config.defaultName ?? (known.length === 1 ? known[0] : undefined);
  if (name === undefined) throw noRemoteError(known);
  const settings = config.remotes.get(name);
  if (settings === undefined) throw unknownRemoteError(name, known, didYouMean(name, known));
  const where = config.definedIn.get(name) === 'local' ? CONFIG_FILES.local : CONFIG_FILES.shared;
  const spec = remoteSpecOf(name, settings, root, where);
  return Remote.open(spec, {
    cacheDir: cacheDirOf(root),
    ...(choice.jobs !== undefined ? { jobs: choice.jobs } : {}),
    ...(choice.observer !== undefined ? { observer: choice.observer } : {}),
  });
}
