import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { readdirSync, readFileSync, type BigIntStats, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf, rethrowSystemError } from './errors.js';
import { replaceAtomic } from './atomic.js';

/**
 * The state cache: (path, inode, size, mtime) -> id, so an unchanged file is never read twice.
 *
 * Storage, in `.dvcts/tmp/state/`:
 *   base.tsv             a compacted snapshot of everything known
 *   delta-<t>-<pid>-<r>.tsv the entries one process learnt, written once at flush
 * Each file is a header line `dvcts-state 3`, then one line per entry: `key TAB stamp TAB id`
 * (a key holding a tab, newline, backslash or leading quote is written as a JSON string), written
 * with temp + rename. In memory an entry is the key and ONE string `stamp TAB id` sliced from the
 * file text: loading 100k entries makes no arrays or objects (their collection cost more than
 * the parse when this was JSON).
 *
 * Why deltas: a command that hashes 3 new files writes 3 entries, not the 100k-entry snapshot,
 * and two processes flushing at once write two different files, so neither loses the other's
 * work. Load merges base + deltas; once there are more than COMPACT_AFTER deltas, a flush folds
 * everything into a new base and deletes the deltas it read (and files of older formats). Two
 * compactions racing can drop a delta another process wrote meanwhile: the cost is a re-hash,
 * never a wrong id, because an entry is only used when inode, size and mtime all still match.
 *
 * Trade-off (DVC and git have it too): a file rewritten with the same size and its mtime
 * restored (or rewritten within the filesystem's timestamp granularity) is not noticed.
 */
const HEADER = 'dvcts-state 3\n';
const SUFFIX = '.tsv';
const BASE_FILE = `base${SUFFIX}`;
const DELTA_PREFIX = 'delta-';
const COMPACT_AFTER = 16;
/** Keys that would break the line format are stored JSON-quoted. */
const NEEDS_QUOTING = /[\t\n\\]|^"/;

/**
 * What identifies a file version without reading it: "<inode>:<size>:<mtime ms>". Plain (not
 * bigint) stats are used: BigIntStats cost 14 BigInts + 4 Dates per file, and on a 100k-file
 * status their garbage collection was a sixth of the run. The price: mtimeMs is a double, exact
 * to ~0.25 µs at today's epoch, and inodes above 2^53 round. Two versions of one path that share
 * size and inode and whose mtimes differ by less than that are taken as the same; Linux stamps
 * files from a clock that ticks far coarser on most filesystems, so nothing is lost in practice
 * (the same trade-off as mtime granularity itself, see above). BigIntStats (tests, callers that
 * have them) give the identical string: Node derives mtimeMs as sec * 1e3 + nsec / 1e6.
 */
export function stampOf(stats: Stats | BigIntStats): string {
  if ('mtimeNs' in stats) {
    const { ino, size, mtimeNs } = stats;
    const ms = Number(mtimeNs / 1_000_000_000n) * 1e3 + Number(mtimeNs % 1_000_000_000n) / 1e6;
    return `${Number(ino)}:${Number(size)}:${ms}`;
  }
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

export interface StateCache {
  /** The id recorded for `key` if the file still has the same stamp (inode, size, mtime). */
  lookup(key: string, stamp: string): ObjectId | undefined;
  record(key: string, stamp: string, id: ObjectId): void;
  /** Whether anything is recorded for `key` (whatever its stamp). */
  has(key: string): boolean;
  /** Writes what this process learnt since the last flush (no-op when nothing is new). */
  flush(): Promise<void>;
}

export async function openStateCache(stateDir: string): Promise<StateCache> {
  return loadStateCache(stateDir);
}

/**
 * The state cache, loaded on first use: a command that never asks it (a no-op status answered by
 * directory stamps, see dir-stamps.ts) never reads it. Loading is synchronous for that reason.
 */
export function lazyStateCache(stateDir: string): StateCache {
  let loaded: StateCache | undefined;
  const state = (): StateCache => (loaded ??= loadStateCache(stateDir));
  return {
    lookup: (key, stamp) => state().lookup(key, stamp),
    record: (key, stamp, id) => state().record(key, stamp, id),
    has: (key) => state().has(key),
    flush: async () => loaded?.flush(),
  };
}

function loadStateCache(stateDir: string): StateCache {
  const rows = new Map<string, string>();
  const deltasRead: string[] = [];
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw e;
    names = [];
  }
  // Base first so that deltas (newer knowledge) override it.
  const deltas = names.filter((n) => n.startsWith(DELTA_PREFIX) && n.endsWith(SUFFIX)).sort();
  const ordered = names.includes(BASE_FILE) ? [BASE_FILE, ...deltas] : deltas;
  for (const name of ordered) {
    if (readStateFile(join(stateDir, name), rows) && name !== BASE_FILE) deltasRead.push(name);
  }
  const outdated = names.filter((n) => !n.startsWith('.tmp-') && !n.endsWith(SUFFIX));
  return new FileStateCache(stateDir, rows, deltasRead, outdated);
}

/**
 * Adds one state file's entries to `rows`; false when it is missing (compacted meanwhile) or not
 * a state file of this version. A damaged line is skipped, not trusted.
 */
function readStateFile(path: string, rows: Map<string, string>): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
  if (!text.startsWith(HEADER)) return false;
  for (let at = HEADER.length; at < text.length; ) {
    const end = text.indexOf('\n', at);
    if (end < 0) break; // a file cut short: its last line is not trusted
    const tab = text.indexOf('\t', at);
    const secondTab = tab < 0 ? -1 : text.indexOf('\t', tab + 1);
    if (tab > at && secondTab > tab + 1 && secondTab < end - 1) {
      const key = unquoteKey(text.slice(at, tab));
      if (key !== undefined) rows.set(key, text.slice(tab + 1, end));
    }
    at = end + 1;
  }
  return true;
}

function quoteKey(key: string): string {
  return NEEDS_QUOTING.test(key) ? JSON.stringify(key) : key;
}

function unquoteKey(field: string): string | undefined {
  if (!field.startsWith('"')) return field;
  try {
    const key: unknown = JSON.parse(field);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

class FileStateCache implements StateCache {
  /** Keys recorded since the last flush (a key recorded twice is written twice: the later line wins). */
  private dirty: string[] = [];

  constructor(
    private readonly dir: string,
    /** key -> "stamp TAB id" */
    private readonly rows: Map<string, string>,
    private deltasRead: string[],
    private readonly outdated: readonly string[],
  ) {}

  lookup(key: string, stamp: string): ObjectId | undefined {
    const row = this.rows.get(key);
    if (row === undefined || row.length <= stamp.length + 1 || row.charCodeAt(stamp.length) !== 9) return undefined;
    return row.startsWith(stamp) ? (row.slice(stamp.length + 1) as ObjectId) : undefined;
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  record(key: string, stamp: string, id: ObjectId): void {
    const row = `${stamp}\t${id}`;
    this.rows.set(key, row);
    this.dirty.push(key);
  }

  async flush(): Promise<void> {
    if (this.dirty.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    if (this.deltasRead.length >= COMPACT_AFTER) await this.compact();
    else await this.writeDelta();
    this.dirty = [];
  }

  private async writeDelta(): Promise<void> {
    const name = `${DELTA_PREFIX}${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}${SUFFIX}`;
    await writeRowsAtomic(join(this.dir, name), this.dirty, this.rows);
    this.deltasRead.push(name); // folded into the base by this process's next compaction
  }

  private async compact(): Promise<void> {
    await writeRowsAtomic(join(this.dir, BASE_FILE), this.rows.keys(), this.rows);
    const done = [...this.deltasRead, ...this.outdated];
    await Promise.all(done.map((name) => rm(join(this.dir, name), { force: true })));
    this.deltasRead = [];
  }
}

/**
 * Writes a state file atomically, a chunk of lines at a time: a million entries would otherwise
 * make a million line strings and a 100 MB joined copy at once.
 */
async function writeRowsAtomic(path: string, keys: Iterable<string>, rows: ReadonlyMap<string, string>): Promise<void> {
  // A full disk names the state file (the user's to fix), not the temp file beside it.
  await replaceAtomic(path, async (tmp) => {
    const handle = await open(tmp, 'w');
    try {
      let chunk = HEADER;
      for (const key of keys) {
        chunk += `${quoteKey(key)}\t${rows.get(key)}\n`;
        if (chunk.length >= 1 << 20) {
          await handle.write(chunk);
          chunk = '';
        }
      }
      await handle.write(chunk);
    } finally {
      await handle.close();
    }
  }).catch((e: unknown) => rethrowSystemError(e, path, 'write'));
}
