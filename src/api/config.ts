import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { openCache, type Cache, type CacheActivity, type LinkType } from '../cache/index.js';
import { DvctsError, ExitCode } from '../core/errors.js';
import { DEFAULT_UNPACK_STYLE, type UnpackStyle } from '../pipeline/dict-unpack.js';
import { parsedCopy } from '../pipeline/parsed-copy.js';
import { DVCTS_DIR } from './project.js';

/** `.dvcts/config.yaml`: project settings. Every key is optional. */
export interface ProjectConfig {
  /** Link chain used to materialise cached files, first that works wins. */
  readonly linkTypes: readonly LinkType[];
  /** Default for `--jobs`. */
  readonly jobs: number;
  /** How a mapping interpolated in `cmd` becomes arguments (DVC's `parsing.bool` / `parsing.list`). */
  readonly parsing: UnpackStyle;
  /** Where `repro` runs stages (`executor:`); options of `repro` override it. */
  readonly executor: ExecutorConfig;
}

/** `executor: { type: local|queue, queue: redis://HOST:PORT, queue_name: NAME }`. */
export interface ExecutorConfig {
  readonly type?: 'local' | 'queue';
  readonly queue?: string;
  readonly queueName?: string;
}

const LINK_TYPES: readonly LinkType[] = ['reflink', 'hardlink', 'symlink', 'copy'];

export const DEFAULT_CONFIG_TEXT = `# dvcts project configuration
cache:
  # How cached files are placed in the workspace: the first type that works is used.
  type: [reflink, copy]
# core:
#   jobs: 4             # default for --jobs (default: number of cores)
#   remote: storage     # default remote of push / pull / fetch (see \`dvcts remote\`)
# parsing:    # how \${dict} in a cmd becomes arguments (as in DVC)
#   bool: store_true   # or boolean_optional: --no-key for false
#   list: nargs        # or append: --key 1 --key 2
`;

export async function loadConfig(root: string): Promise<ProjectConfig> {
  const path = join(DVCTS_DIR, 'config.yaml');
  let raw: unknown = {};
  try {
    const text = await readFile(join(root, path), 'utf8');
    raw = await parsedCopy(root, 'config', path, text, async () => (await import('./config-file.js')).parseConfigText(path, text).toJS({ maxAliasCount: -1 }) ?? {});
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // unreadable: reported as the system error it is, with the path
  }
  const doc = raw as { cache?: { type?: unknown }; core?: { jobs?: unknown }; parsing?: { bool?: unknown; list?: unknown }; executor?: unknown };
  const types = doc.cache?.type ?? ['reflink', 'copy'];
  const list = typeof types === 'string' ? types.split(',').map((t) => t.trim()) : types;
  if (!Array.isArray(list) || list.length === 0 || !list.every((t) => LINK_TYPES.includes(t as LinkType))) {
    throw invalid(path, `cache.type must be a list of ${LINK_TYPES.join(', ')} (got ${JSON.stringify(types)})`);
  }
  const jobs = doc.core?.jobs ?? availableParallelism();
  if (typeof jobs !== 'number' || !Number.isInteger(jobs) || jobs < 1) throw invalid(path, `core.jobs must be a positive integer (got ${JSON.stringify(jobs)})`);
  const parsing = { bool: doc.parsing?.bool ?? DEFAULT_UNPACK_STYLE.bool, list: doc.parsing?.list ?? DEFAULT_UNPACK_STYLE.list };
  if (!BOOL_STYLES.includes(parsing.bool as never)) throw invalid(path, `parsing.bool must be ${BOOL_STYLES.join(' or ')} (got ${JSON.stringify(parsing.bool)})`);
  if (!LIST_STYLES.includes(parsing.list as never)) throw invalid(path, `parsing.list must be ${LIST_STYLES.join(' or ')} (got ${JSON.stringify(parsing.list)})`);
  return { linkTypes: list as LinkType[], jobs, parsing: parsing as UnpackStyle, executor: executorConfig(doc.executor, path) };
}

function executorConfig(raw: unknown, path: string): ExecutorConfig {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(path, 'executor must be a mapping (type, queue, queue_name)');
  const { type, queue, queue_name: queueName } = raw as Record<string, unknown>; // other keys: E_CONFIG_UNKNOWN_KEY
  if (type !== undefined && type !== 'local' && type !== 'queue') throw invalid(path, `executor.type must be local or queue (got ${JSON.stringify(type)})`);
  for (const [key, value] of [['queue', queue], ['queue_name', queueName]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalid(path, `executor.${key} must be a non-empty string`);
  }
  return { ...(type !== undefined ? { type } : {}), ...(queue !== undefined ? { queue: queue as string } : {}), ...(queueName !== undefined ? { queueName: queueName as string } : {}) };
}

const BOOL_STYLES: readonly UnpackStyle['bool'][] = ['store_true', 'boolean_optional'];
const LIST_STYLES: readonly UnpackStyle['list'][] = ['nargs', 'append'];

function invalid(path: string, why: string): DvctsError {
  return new DvctsError('E_CONFIG_INVALID', `${path}: ${why}`, { data: { path }, exitCode: ExitCode.usage });
}

/** The project's cache, opened with the link types its config asks for. */
export async function openProjectCache(root: string, activity?: CacheActivity): Promise<Cache> {
  return openCache({ root, linkTypes: (await loadConfig(root)).linkTypes, ...(activity ? { activity } : {}) });
}
