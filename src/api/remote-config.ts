import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, type Document } from 'yaml';
import { remoteConfigError } from '../remote/errors.js';
import { isSecretOption } from '../remote/spec.js';
import { replaceAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { DEFAULT_CONFIG_TEXT } from './config.js';
import { parseConfigText } from './config-file.js';
import { DVCTS_DIR } from './project.js';

/** The shared config (committed) and the machine's own (git-ignored, mode 0600: credentials). */
export type ConfigFile = 'shared' | 'local';

export const CONFIG_FILES: Record<ConfigFile, string> = {
  shared: `${DVCTS_DIR}/config.yaml`,
  local: `${DVCTS_DIR}/config.local.yaml`,
};

const LOCAL_HEADER = `# dvcts settings of this machine only: git-ignored, readable by you alone (mode 0600).
# Credentials of remotes go here (dvcts remote modify --local NAME KEY VALUE), never in config.yaml.
`;

/** Remotes as both config files define them: config.local.yaml wins key by key. */
export interface RemotesConfig {
  readonly defaultName?: string;
  /** Settings of each remote, merged; names sorted. */
  readonly remotes: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Where each remote's url is defined. */
  readonly definedIn: ReadonlyMap<string, ConfigFile>;
}

export async function loadRemotesConfig(root: string): Promise<RemotesConfig> {
  const shared = remoteSection(await readConfig(root, 'shared'), 'shared');
  const local = remoteSection(await readConfig(root, 'local'), 'local');
  const remotes = new Map<string, Record<string, unknown>>();
  const definedIn = new Map<string, ConfigFile>();
  for (const name of [...new Set([...Object.keys(shared.remotes), ...Object.keys(local.remotes)])].sort()) {
    remotes.set(name, { ...shared.remotes[name], ...local.remotes[name] });
    definedIn.set(name, local.remotes[name]?.url !== undefined ? 'local' : 'shared');
  }
  const defaultName = local.defaultName ?? shared.defaultName;
  return { remotes, definedIn, ...(defaultName !== undefined ? { defaultName } : {}) };
}

/** The config file as a YAML document (comments kept when it is edited); an absent file is empty. */
export async function readConfig(root: string, which: ConfigFile): Promise<Document> {
  const path = CONFIG_FILES[which];
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    text = which === 'shared' ? DEFAULT_CONFIG_TEXT : LOCAL_HEADER;
  }
  return parseConfigText(path, text);
}

function remoteSection(doc: Document, which: ConfigFile): { remotes: Record<string, Record<string, unknown>>; defaultName?: string } {
  const path = CONFIG_FILES[which];
  const raw = (doc.toJS() ?? {}) as { remote?: unknown; core?: { remote?: unknown } };
  const section = raw.remote ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw remoteConfigError(path, '`remote` must be a mapping of remote names to settings');
  const remotes: Record<string, Record<string, unknown>> = {};
  for (const [name, settings] of Object.entries(section)) {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw remoteConfigError(path, `remote '${name}' must be a mapping of settings (url: ...)`);
    if (which === 'shared') {
      const leaked = Object.keys(settings).filter(isSecretOption);
      if (leaked.length > 0) {
        throw remoteConfigError(
          path,
          `remote '${name}' has credentials (${leaked.join(', ')}) in the shared config, which is committed to git`,
          `move them to ${CONFIG_FILES.local} with \`dvcts remote modify --local ${name} KEY VALUE\`, delete them from ${path}, and rotate them if they were ever committed`,
        );
      }
    }
    remotes[name] = settings as Record<string, unknown>;
  }
  const defaultName = raw.core?.remote;
  if (defaultName !== undefined && typeof defaultName !== 'string') throw remoteConfigError(path, 'core.remote must be the name of a remote');
  return { remotes, ...(defaultName !== undefined ? { defaultName } : {}) };
}

/**
 * Rewrites one config file after `edit` changed its document (comments and order are kept). The
 * local file is created readable by its owner only, from its first byte, and git-ignored.
 */
export async function writeConfig(root: string, which: ConfigFile, doc: Document): Promise<void> {
  const path = join(root, CONFIG_FILES[which]);
  const text = doc.toString().replace(/\n*$/, '\n');
  if (which === 'shared') return writeFileAtomic(path, text);
  await replaceAtomic(path, async (tmp) => {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.chmod(0o600); // exact mode whatever the umask
    } finally {
      await handle.close();
    }
  });
  await ensureLocalConfigIgnored(root);
}

/** Projects created before config.local.yaml existed get the ignore rule when it is first written. */
async function ensureLocalConfigIgnored(root: string): Promise<void> {
  const path = join(root, DVCTS_DIR, '.gitignore');
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text.split('\n').includes(LOCAL_CONFIG_RULE)) return;
  await writeFileAtomic(path, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${LOCAL_CONFIG_RULE}\n`);
}

export const LOCAL_CONFIG_RULE = '/config.local.yaml';

/** Deletes the key at `path`, and the mappings that this leaves empty (`remote: {}`, `core: {}`). */
export function deletePruning(doc: Document, path: readonly string[]): void {
  if (!doc.hasIn(path)) return;
  doc.deleteIn(path);
  for (let depth = path.length - 1; depth > 0; depth--) {
    const parent = doc.getIn(path.slice(0, depth));
    if (!isMap(parent) || parent.items.length > 0) return;
    doc.deleteIn(path.slice(0, depth));
  }
}
