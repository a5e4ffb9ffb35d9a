import type { Document } from 'yaml';
import { didYouMean } from '../core/suggest.js';
import { remoteConfigError, remoteExistsError, unknownRemoteError } from '../remote/errors.js';
import { isRemoteOption, isSecretOption, kindOfUrl, parseOptionValue, parseS3Url, REMOTE_OPTIONS, remoteSpecOf } from '../remote/spec.js';
import { CONFIG_FILES, deletePruning, loadRemotesConfig, readConfig, writeConfig, type ConfigFile } from './remote-config.js';
import { findProjectRoot } from './project.js';

/**
 * `dvcts remote add|list|remove|modify|default`: remotes in `.dvcts/config.yaml`, credentials
 * (and anything given --local) in `.dvcts/config.local.yaml`. Every change is validated as a
 * whole before it is written, so a config never holds a remote that cannot be opened.
 */
export interface RemoteInfo {
  readonly name: string;
  readonly url: string;
  readonly isDefault: boolean;
  /** Where the url is defined. */
  readonly file: ConfigFile;
  /** Options other than url; credentials appear as names only, never values. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly credentials: readonly string[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export async function remoteAdd(opts: { cwd?: string; name: string; url: string; isDefault?: boolean; local?: boolean; force?: boolean }): Promise<RemoteInfo> {
  const root = findProjectRoot(opts.cwd);
  if (!NAME_RE.test(opts.name)) throw remoteConfigError('remote add', `'${opts.name}' is not a valid remote name`, 'use letters, digits, _, . and -');
  checkUrl(opts.url);
  const config = await loadRemotesConfig(root);
  if (config.remotes.has(opts.name) && !opts.force) throw remoteExistsError(opts.name);
  const which: ConfigFile = opts.local ? 'local' : 'shared';
  await editBoth(root, (docs) => {
    // --force replaces the remote everywhere, credentials included: they belonged to the old URL.
    for (const doc of Object.values(docs)) deletePruning(doc, ['remote', opts.name]);
    docs[which].setIn(['remote', opts.name, 'url'], opts.url);
    if (opts.isDefault) docs[which].setIn(['core', 'remote'], opts.name);
  });
  return (await remoteList({ cwd: root })).find((r) => r.name === opts.name)!;
}

export async function remoteList(opts: { cwd?: string } = {}): Promise<RemoteInfo[]> {
  const root = findProjectRoot(opts.cwd);
  const config = await loadRemotesConfig(root);
  return [...config.remotes].map(([name, settings]) => {
    const options: Record<string, unknown> = {};
    const credentials: string[] = [];
    for (const [key, value] of Object.entries(settings)) {
      if (isSecretOption(key)) credentials.push(key);
      else if (key !== 'url') options[key] = value;
    }
    return { name, url: String(settings.url ?? ''), isDefault: config.defaultName === name, file: config.definedIn.get(name)!, options, credentials };
  });
}

export async function remoteRemove(opts: { cwd?: string; name: string }): Promise<void> {
  const root = findProjectRoot(opts.cwd);
  await requireRemote(root, opts.name);
  await editBoth(root, (docs) => {
    for (const doc of Object.values(docs)) {
      deletePruning(doc, ['remote', opts.name]);
      if (doc.getIn(['core', 'remote']) === opts.name) deletePruning(doc, ['core', 'remote']);
    }
  });
}

export interface ModifyResult {
  readonly file: ConfigFile;
  /** Credentials always go to the local file; true when that overrode the choice of file. */
  readonly movedToLocal: boolean;
}

/** Sets (or with `unset`, removes) one option; credentials are always written to config.local.yaml. */
export async function remoteModify(opts: { cwd?: string; name: string; key: string; value?: string; local?: boolean; unset?: boolean }): Promise<ModifyResult> {
  const root = findProjectRoot(opts.cwd);
  await requireRemote(root, opts.name);
  const { key } = opts;
  if (!isRemoteOption(key)) {
    throw remoteConfigError('remote modify', `unknown option '${key}'`, didYouMean(key, Object.keys(REMOTE_OPTIONS)) ?? `options: ${Object.keys(REMOTE_OPTIONS).join(', ')}`);
  }
  if (!opts.unset && opts.value === undefined) throw remoteConfigError('remote modify', `a value for '${key}' is needed (or --unset)`);
  if (key === 'url' && opts.value !== undefined) checkUrl(opts.value);
  const secret = isSecretOption(key);
  const which: ConfigFile = secret || opts.local ? 'local' : 'shared';
  await editBoth(root, (docs) => {
    if (opts.unset) for (const doc of Object.values(docs)) deletePruning(doc, ['remote', opts.name, key]);
    else docs[which].setIn(['remote', opts.name, key], parseOptionValue(key, opts.value!));
  });
  return { file: which, movedToLocal: secret && !opts.local };
}

/** Sets the default remote (`core.remote`), or with no name returns it. */
export async function remoteDefault(opts: { cwd?: string; name?: string; unset?: boolean; local?: boolean }): Promise<string | undefined> {
  const root = findProjectRoot(opts.cwd);
  if (opts.name !== undefined) await requireRemote(root, opts.name);
  if (opts.name !== undefined || opts.unset) {
    await editBoth(root, (docs) => {
      for (const doc of Object.values(docs)) deletePruning(doc, ['core', 'remote']);
      if (opts.name !== undefined) docs[opts.local ? 'local' : 'shared'].setIn(['core', 'remote'], opts.name);
    });
  }
  return (await loadRemotesConfig(root)).defaultName;
}

async function requireRemote(root: string, name: string): Promise<void> {
  const known = [...(await loadRemotesConfig(root)).remotes.keys()];
  if (!known.includes(name)) throw unknownRemoteError(name, known, didYouMean(name, known));
}

function checkUrl(url: string): void {
  if (kindOfUrl(url, 'remote URL') === 's3') parseS3Url(url, 'remote URL');
}

/**
 * Edits both config files, checks that every remote the result defines can be opened (kinds,
 * types, both halves of a key pair), and only then writes the files that changed.
 */
async function editBoth(root: string, edit: (docs: Record<ConfigFile, Document>) => void): Promise<void> {
  const docs = { shared: await readConfig(root, 'shared'), local: await readConfig(root, 'local') };
  const before = { shared: docs.shared.toString(), local: docs.local.toString() };
  edit(docs);
  const shared = (docs.shared.toJS() ?? {}) as { remote?: Record<string, Record<string, unknown>> };
  const local = (docs.local.toJS() ?? {}) as { remote?: Record<string, Record<string, unknown>> };
  for (const name of new Set([...Object.keys(shared.remote ?? {}), ...Object.keys(local.remote ?? {})])) {
    remoteSpecOf(name, { ...shared.remote?.[name], ...local.remote?.[name] }, root, `${CONFIG_FILES.shared} + ${CONFIG_FILES.local}`, { partialCredentials: true });
  }
  for (const which of ['shared', 'local'] as const) if (docs[which].toString() !== before[which]) await writeConfig(root, which, docs[which]);
}
